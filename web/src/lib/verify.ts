import { api, query, type AccessEvent, type Checkpoint, type ConsistencyProof, type InclusionProof } from './api.js';
import { eventLeafHash, fromBase64, fromHex, toHex, verifyConsistency, verifyInclusion } from './merkle.js';

/** One check done in the browser, for the "verified" badge and its explanation. */
export interface Check {
  readonly kind: 'leaf' | 'inclusion' | 'consistency';
  readonly ok: boolean;
  /** Numbers for the message: index, sizes. */
  readonly params: Readonly<Record<string, number>>;
}

const hexes = (xs: readonly string[]): Uint8Array[] | undefined => {
  const out = xs.map(fromHex).filter((x) => x !== undefined);
  return out.length === xs.length ? out : undefined;
};

/**
 * Checks that an entry is in the tree of a checkpoint: its leaf hash computed here from the event (canonical
 * JSON), then the server's inclusion proof walked up to the checkpoint's root.
 */
export async function checkInclusion(index: number, event: AccessEvent, proof: InclusionProof, rootB64: string, size: number): Promise<Check[]> {
  const leaf = await eventLeafHash(event);
  const root = fromBase64(rootB64);
  const path = hexes(proof.proof);
  const leafOk = toHex(leaf) === proof.leafHash.toLowerCase() && proof.index === index;
  const inclusionOk = root !== undefined && path !== undefined && proof.size === size && (await verifyInclusion(index, size, leaf, path, root));
  return [
    { kind: 'leaf', ok: leafOk, params: { index } },
    { kind: 'inclusion', ok: inclusionOk, params: { index, size } },
  ];
}

/** Fetches the inclusion proof of an entry in the tree of `cp` and checks it. */
export async function verifyEntry(index: number, event: AccessEvent, cp: Checkpoint): Promise<Check[]> {
  const proof = await api<InclusionProof>('GET', `/api/v1/ledger/proof/inclusion${query({ index, size: cp.size })}`);
  return checkInclusion(index, event, proof, cp.root, cp.size);
}

/**
 * Checks that the tree of size `m` is a prefix of the checkpoint's tree. When `known` is given (a root this
 * page saw earlier for size m), the proof must start from that root; otherwise from the root the server names,
 * which `anchor` (an entry whose inclusion in the tree of size m is checked first) ties to an entry we hold.
 */
export async function verifyPrefix(m: number, cp: Checkpoint, known: Uint8Array | undefined, anchor?: { readonly index: number; readonly event: AccessEvent }): Promise<Check[]> {
  const root = fromBase64(cp.root);
  const c = await api<ConsistencyProof>('GET', `/api/v1/ledger/proof/consistency${query({ from: m, to: cp.size })}`);
  const fromRoot = fromHex(c.fromRoot);
  const path = hexes(c.proof);
  const checks: Check[] = [];
  if (anchor !== undefined && fromRoot !== undefined) {
    const p = await api<InclusionProof>('GET', `/api/v1/ledger/proof/inclusion${query({ index: anchor.index, size: m })}`);
    const leaf = await eventLeafHash(anchor.event);
    const pp = hexes(p.proof);
    checks.push({ kind: 'inclusion', ok: pp !== undefined && toHex(leaf) === p.leafHash.toLowerCase() && (await verifyInclusion(anchor.index, m, leaf, pp, fromRoot)), params: { index: anchor.index, size: m } });
  }
  const start = known ?? fromRoot;
  const ok =
    root !== undefined &&
    start !== undefined &&
    path !== undefined &&
    c.from === m &&
    c.to === cp.size &&
    (known === undefined || (fromRoot !== undefined && toHex(fromRoot) === toHex(known))) &&
    (await verifyConsistency(m, cp.size, start, root, path));
  checks.push({ kind: 'consistency', ok, params: { from: m, to: cp.size } });
  return checks;
}
