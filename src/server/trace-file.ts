import { readXlsx } from '../access/index.js';
import { CustosError } from '../core/errors.js';
import { decodeText, leakedRows, matchExports, MAX_LEAKED_BYTES, parseCsv, type ExportCandidate, type ExportMatch, type LeakedTable, type SubjectResolver } from '../marks/index.js';
import type { Canary, HitKind, MarkEvidence } from '../trace/index.js';
import type { Runtime } from './runtime.js';

const HIT_KIND: Record<string, HitKind | undefined> = { cn_mobile: 'phone', cn_id_card: 'id_number', bank_card: 'bank_card', email: 'email', cn_name: 'name' };

/**
 * Customers by their identifying values, for resolving leaked rows (exact match on indexed columns), then
 * canaries (kept in Custos's store). A name resolves only when one customer alone has it.
 */
export function sourceResolver(rt: Runtime): SubjectResolver {
  const column: Record<string, string> = { subject_id: rt.plan.key, cn_mobile: 'mobile', cn_id_card: 'id_number', bank_card: 'bank_card', email: 'email', cn_name: 'name' };
  const have = new Set([rt.plan.key, ...rt.plan.fields.map((f) => f.column)]);
  return async (kind, canonical) => {
    const c = column[kind];
    if (c !== undefined && have.has(c)) {
      const rows = await rt.source.selectFrom(rt.plan.table as 'customers').select(rt.plan.key as 'id').where(c as 'id', '=', canonical).limit(2).execute();
      if (rows.length === 1) return String(rows[0]!.id);
      if (rows.length > 1) return undefined;
    }
    if (kind === 'subject_id') return (await rt.canaries.get(canonical))?.id;
    const hk = HIT_KIND[kind];
    return hk === undefined ? undefined : (await rt.canaries.findByValue(hk, canonical))?.id;
  };
}

/** What tracing a leaked file found: its rows, the customers resolved, the candidate exports ranked. */
export interface TracedFile {
  readonly table: string[][];
  readonly leaked: LeakedTable;
  readonly subjects: Set<string>;
  readonly candidates: ExportCandidate[];
  readonly ranked: ExportMatch[];
  /** Canary rows found in the file: each canary and its audience (an export, a viewer, a team). */
  readonly canaries: Canary[];
}

/** Reads a leaked CSV (UTF-8 or GBK) or XLSX and ranks the approved exports by their fingerprint in it. */
export async function traceLeakedFile(rt: Runtime, filename: string, data: Buffer): Promise<TracedFile> {
  if (data.length > MAX_LEAKED_BYTES) throw new CustosError('CUSTOS_TRACE_FILE_TOO_LARGE', 400, 'The file is larger than 50 MB; a sample of 20 rows is enough.');
  let table: string[][];
  try {
    table = /\.xlsx$/i.test(filename) ? await readXlsx(data) : parseCsv(decodeText(data));
  } catch (e) {
    if (e instanceof CustosError) throw e;
    throw new CustosError('CUSTOS_TRACE_FILE_UNREADABLE', 400, 'The file is neither CSV (UTF-8 or GBK) nor XLSX.');
  }
  const leaked = await leakedRows(table, sourceResolver(rt));
  const subjects = new Set(leaked.rows.map((r) => r.subject));
  const exports = await rt.access.approvedExports(10_000);
  const canaries: Canary[] = [];
  for (const s of subjects) {
    const c = await rt.canaries.get(s);
    if (c !== undefined) canaries.push(c);
  }
  // An export's own canary rows are part of it.
  const own = new Map<string, string[]>();
  for (const c of canaries) if (c.audience.startsWith('export:')) own.set(c.audience.slice(7), [...(own.get(c.audience.slice(7)) ?? []), c.id]);
  const candidates: ExportCandidate[] = exports
    .map((x) => ({ exportId: x.id, recipient: x.requester, subjects: new Set([...x.subjects, ...(own.get(x.id) ?? [])]) }))
    .filter((c) => [...subjects].some((s) => c.subjects.has(s)));
  return { table, leaked, subjects, candidates, ranked: matchExports(rt.fingerprinter, leaked.rows, candidates).slice(0, 10), canaries };
}


/** Reads a leaked file (CSV or XLSX) for attribution: its customers, and the marks found in it as evidence. */
export async function leakEvidence(rt: Runtime, filename: string, data: Buffer): Promise<{ traced: TracedFile; marks: MarkEvidence[] }> {
  const traced = await traceLeakedFile(rt, filename, data);
  const marks: MarkEvidence[] = [];
  const top = traced.ranked[0];
  if (top !== undefined && top.confidence > 0.99) {
    marks.push({ kind: 'fingerprint', exportId: top.exportId, weight: -Math.log(Math.max(1e-30, top.pValue)), detail: `the file carries the fingerprint of export ${top.exportId} (${top.agreeing}/${top.compared} values written its way, confidence ${top.confidence.toFixed(6)})` });
  }
  for (const c of traced.canaries) {
    const exportId = c.audience.startsWith('export:') ? c.audience.slice(7) : undefined;
    const actor = c.audience.startsWith('viewer:') ? c.audience.slice(7) : undefined;
    // A canary row is strong evidence for its audience (no real customer has its values).
    marks.push({ kind: 'canary', ...(exportId !== undefined ? { exportId } : {}), ...(actor !== undefined ? { actor } : {}), weight: 20, detail: `canary ${c.id} (audience ${c.audience}) is in the file` });
  }
  return { traced, marks };
}
