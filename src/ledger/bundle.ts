import { createHash } from 'node:crypto';
import { canonicalJson } from './event.js';
import { leafHash } from './merkle.js';
import { openNote, parseCheckpointBody, parseVerifierKey } from './note.js';
import { verifyInclusion } from './proofs.js';
import type { EventQuery, Ledger } from './ledger-types.js';

/**
 * An evidence bundle: a signed checkpoint and the entries a question selected, each with its index, its leaf
 * (the event's canonical bytes, base64) and its inclusion proof (hex) in the checkpoint's tree. It verifies
 * offline with nothing but the ledger's verifier key.
 */
export interface EvidenceBundle {
  readonly format: 'custos-evidence-bundle/1';
  readonly query: Readonly<Record<string, string>>;
  readonly checkpoint: string;
  readonly entries: readonly { readonly index: number; readonly leaf: string; readonly proof: readonly string[] }[];
}

export const MAX_BUNDLE_ENTRIES = 10_000;

/** Builds a bundle for a query against the ledger's current checkpoint. */
export async function exportBundle(ledger: Ledger, query: EventQuery): Promise<EvidenceBundle> {
  const cp = await ledger.checkpoint();
  const found = await ledger.events({ ...query, limit: MAX_BUNDLE_ENTRIES });
  const entries = [];
  for (const e of found) {
    if (e.index >= cp.size) continue;
    const p = await ledger.inclusionProof(e.index, cp.size);
    entries.push({ index: e.index, leaf: Buffer.from(e.leaf, 'utf8').toString('base64'), proof: p.proof });
  }
  const q: Record<string, string> = {};
  for (const k of ['subject', 'actor', 'from', 'to'] as const) if (query[k] !== undefined) q[k] = query[k];
  return { format: 'custos-evidence-bundle/1', query: q, checkpoint: cp.note, entries };
}

/**
 * One bundle for several queries (a case: every person concerned): the entries of all of them, each once, in
 * ledger order, against one checkpoint. Verifies like any bundle.
 */
export async function exportCaseBundle(ledger: Ledger, queries: readonly EventQuery[]): Promise<EvidenceBundle> {
  const cp = await ledger.checkpoint();
  const found = new Map<number, string>();
  for (const q of queries) {
    for (const e of await ledger.events({ ...q, limit: MAX_BUNDLE_ENTRIES })) {
      if (e.index < cp.size && found.size < MAX_BUNDLE_ENTRIES) found.set(e.index, e.leaf);
    }
  }
  const entries = [];
  for (const index of [...found.keys()].sort((a, b) => a - b)) {
    const p = await ledger.inclusionProof(index, cp.size);
    entries.push({ index, leaf: Buffer.from(found.get(index)!, 'utf8').toString('base64'), proof: p.proof });
  }
  return { format: 'custos-evidence-bundle/1', query: { queries: String(queries.length) }, checkpoint: cp.note, entries };
}

export type BundleCheck =
  | { readonly ok: true; readonly size: number; readonly entries: number }
  | { readonly ok: false; readonly index?: number; readonly reason: string };

const HEX32 = /^[0-9a-f]{64}$/;

/** Verifies a bundle (parsed JSON of unknown shape) with a verifier key line (`name+hash+key`). */
export function verifyBundle(bundle: unknown, verifierKey: string): BundleCheck {
  const key = parseVerifierKey(verifierKey);
  if (key === undefined) return { ok: false, reason: 'the verifier key is malformed or its key hash does not match' };
  const b = bundle as Partial<EvidenceBundle> | null;
  if (b === null || typeof b !== 'object' || b.format !== 'custos-evidence-bundle/1' || typeof b.checkpoint !== 'string' || !Array.isArray(b.entries)) {
    return { ok: false, reason: 'not a custos evidence bundle' };
  }
  const opened = openNote(b.checkpoint, key);
  if (!opened.ok) return { ok: false, reason: `checkpoint: ${opened.reason}` };
  const cp = parseCheckpointBody(opened.body);
  if (cp === undefined) return { ok: false, reason: 'checkpoint: malformed body' };
  let previous = -1;
  for (const e of b.entries as unknown[]) {
    const entry = e as { index?: unknown; leaf?: unknown; proof?: unknown };
    const index = entry.index;
    if (typeof index !== 'number' || !Number.isSafeInteger(index) || typeof entry.leaf !== 'string' || !Array.isArray(entry.proof)) {
      return { ok: false, reason: 'malformed entry' };
    }
    if (index <= previous) return { ok: false, index, reason: 'entries out of order or repeated' };
    previous = index;
    const proof = entry.proof as unknown[];
    if (!proof.every((h) => typeof h === 'string' && HEX32.test(h))) return { ok: false, index, reason: 'malformed proof' };
    const leaf = Buffer.from(entry.leaf, 'base64');
    let event: unknown;
    try {
      event = JSON.parse(leaf.toString('utf8'));
    } catch {
      return { ok: false, index, reason: 'leaf is not JSON (changed leaf)' };
    }
    if (canonicalJson(event) !== leaf.toString('utf8')) return { ok: false, index, reason: 'leaf is not canonical JSON (changed leaf)' };
    const hashes = (proof as string[]).map((h) => Buffer.from(h, 'hex'));
    if (!verifyInclusion(index, cp.size, leafHash(leaf), hashes, cp.root)) return { ok: false, index, reason: 'inclusion proof does not lead to the signed root (changed leaf or proof)' };
  }
  return { ok: true, size: cp.size, entries: b.entries.length };
}

/**
 * Verifies an evidence file: a bundle, or a case's evidence (`custos-case-evidence/1`: a bundle, a forensic
 * report, and a manifest of their SHA-256 hashes), whose hashes are checked before its bundle.
 */
export function verifyEvidence(file: unknown, verifierKey: string): BundleCheck {
  const f = file as { format?: unknown; bundle?: unknown; report?: unknown; manifest?: { bundleSha256?: unknown; reportSha256?: unknown } } | null;
  if (f === null || typeof f !== 'object' || f.format !== 'custos-case-evidence/1') return verifyBundle(file, verifierKey);
  const hash = (v: unknown): string => createHash('sha256').update(JSON.stringify(v), 'utf8').digest('hex');
  if (f.manifest === undefined || hash(f.bundle) !== f.manifest.bundleSha256) return { ok: false, reason: 'the manifest hash of the bundle does not match (changed bundle)' };
  if (hash(f.report) !== f.manifest.reportSha256) return { ok: false, reason: 'the manifest hash of the forensic report does not match (changed report)' };
  return verifyBundle(f.bundle, verifierKey);
}
