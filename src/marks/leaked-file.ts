import { typeOfValue } from '../catalog/index.js';
import { CustosError } from '../core/errors.js';
import { canonicalOf, kindOfValue, type FingerprintKind, type LeakedRow } from './fingerprint.js';

export const MAX_LEAKED_BYTES = 50 * 1024 * 1024;
export const MAX_LEAKED_ROWS = 200_000;

/** Text of a CSV file: UTF-8 (with or without a byte-order mark) when it decodes cleanly, else GB 18030 / GBK. */
export function decodeText(data: Buffer): string {
  if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return data.subarray(3).toString('utf8');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return new TextDecoder('gb18030').decode(data);
  }
}

/** RFC 4180 CSV (commas, or tabs when the first line has tabs and no commas), quoted fields with "" escapes. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
  const sep = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      cell = '';
      if (row.some((x) => x !== '')) rows.push(row);
      row = [];
      if (rows.length > MAX_LEAKED_ROWS) throw new CustosError('CUSTOS_TRACE_FILE_TOO_LARGE', 400, `The file has more than ${MAX_LEAKED_ROWS.toLocaleString('en')} rows.`);
    } else cell += c;
  }
  row.push(cell);
  if (row.some((x) => x !== '')) rows.push(row);
  return rows;
}

/**
 * Finds customers by a value of a kind (canonical form), e.g. a phone number → the customer who has it. A name
 * (`cn_name`) is asked for last, and only a name that one customer alone has should resolve.
 */
export type SubjectResolver = (kind: FingerprintKind | 'subject_id' | 'cn_name', canonical: string) => Promise<string | undefined>;

export interface LeakedTable {
  readonly rows: readonly LeakedRow[];
  /** Data rows read, and rows resolved to a known customer. */
  readonly read: number;
  /** The kind found in each column (null: no fingerprinted kind). */
  readonly columns: readonly (FingerprintKind | null)[];
}

/**
 * Reads a leaked table: finds each column's kind by its values (headers may be renamed or missing), resolves
 * each row to a customer by its identifying values, and keeps the fingerprinted values. Rows that resolve to
 * no customer (merged from elsewhere) are skipped.
 */
export async function leakedRows(table: readonly (readonly string[])[], resolve: SubjectResolver, idPattern: RegExp = /^c\d{4,}$/): Promise<LeakedTable> {
  const width = Math.max(0, ...table.map((r) => r.length));
  const sample = table.slice(0, 200);
  const columns: (FingerprintKind | null)[] = [];
  let idColumn = -1;
  let nameColumn = -1;
  for (let c = 0; c < width; c++) {
    const counts = new Map<FingerprintKind, number>();
    let ids = 0;
    let names = 0;
    let filled = 0;
    for (const r of sample) {
      const v = (r[c] ?? '').trim();
      if (v === '') continue;
      filled++;
      if (idPattern.test(v)) ids++;
      const k = kindOfValue(v);
      if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
      else if (typeOfValue(v) === 'cn_name') names++;
    }
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    columns.push(best !== undefined && best[1] >= Math.max(1, filled * 0.5) ? best[0] : null);
    if (idColumn < 0 && filled > 0 && ids >= filled * 0.8) idColumn = c;
    if (nameColumn < 0 && filled > 0 && names >= filled * 0.8) nameColumn = c;
  }
  const rows: LeakedRow[] = [];
  let read = 0;
  for (const r of table) {
    const values: { kind: FingerprintKind; value: string }[] = [];
    for (let c = 0; c < width; c++) {
      const kind = columns[c];
      const v = (r[c] ?? '').trim();
      if (kind !== null && kind !== undefined && v !== '' && kindOfValue(v) === kind) values.push({ kind, value: v });
    }
    if (values.length === 0 && idColumn < 0 && nameColumn < 0) continue;
    read++;
    let subject: string | undefined;
    if (idColumn >= 0 && idPattern.test((r[idColumn] ?? '').trim())) subject = await resolve('subject_id', r[idColumn]!.trim());
    // The most identifying values first: ID number, phone, card, email.
    for (const kind of ['cn_id_card', 'cn_mobile', 'bank_card', 'email'] as const) {
      if (subject !== undefined) break;
      const found = values.find((x) => x.kind === kind);
      if (found !== undefined) subject = await resolve(kind, canonicalOf(kind, found.value));
    }
    const name = nameColumn >= 0 ? (r[nameColumn] ?? '').trim() : '';
    if (subject === undefined && name !== '') subject = await resolve('cn_name', name.replace(/\s+/g, ''));
    if (subject !== undefined) rows.push({ subject, values });
  }
  return { rows, read, columns };
}
