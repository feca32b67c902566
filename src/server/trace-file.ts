import { readXlsx } from '../access/index.js';
import { CustosError } from '../core/errors.js';
import { decodeText, leakedRows, matchExports, MAX_LEAKED_BYTES, parseCsv, type ExportCandidate, type ExportMatch, type LeakedTable, type SubjectResolver } from '../marks/index.js';
import type { Runtime } from './runtime.js';

/** Customers by their identifying values, for resolving leaked rows (exact match on indexed columns). */
function sourceResolver(rt: Runtime): SubjectResolver {
  const column: Record<string, string> = { subject_id: rt.plan.key, cn_mobile: 'mobile', cn_id_card: 'id_number', bank_card: 'bank_card', email: 'email' };
  const have = new Set([rt.plan.key, ...rt.plan.fields.map((f) => f.column)]);
  return async (kind, canonical) => {
    const c = column[kind];
    if (c === undefined || !have.has(c)) return undefined;
    const rows = await rt.source.selectFrom(rt.plan.table as 'customers').select(rt.plan.key as 'id').where(c as 'id', '=', canonical).limit(2).execute();
    return rows.length === 1 ? String(rows[0]!.id) : undefined;
  };
}

/** What tracing a leaked file found: its rows, the customers resolved, the candidate exports ranked. */
export interface TracedFile {
  readonly table: string[][];
  readonly leaked: LeakedTable;
  readonly subjects: Set<string>;
  readonly candidates: ExportCandidate[];
  readonly ranked: ExportMatch[];
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
  const candidates: ExportCandidate[] = exports
    .map((x) => ({ exportId: x.id, recipient: x.requester, subjects: new Set(x.subjects) }))
    .filter((c) => [...subjects].some((s) => c.subjects.has(s)));
  return { table, leaked, subjects, candidates, ranked: matchExports(rt.fingerprinter, leaked.rows, candidates).slice(0, 10) };
}

