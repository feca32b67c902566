/**
 * `custos scan db`: samples every column of every table of a SQLite, PostgreSQL or MySQL source and proposes a
 * classification per column. The catalog keeps the evidence (name hint, sample hit rates), never the values.
 */
import SQLite from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { CustosError } from '../core/errors.js';
import { CATEGORY_THRESHOLD, classifyType, nameHint, typeOfValue, type LegalCategory, type SensitivityLevel } from './classify.js';
import type { PiiType } from './pii-types.js';

export type SourceLocation =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string }
  | { readonly kind: 'mysql'; readonly url: string };

export interface ColumnProposal {
  readonly name: string;
  readonly dataType: string;
  readonly key: boolean;
  /** The proposed type, or null when the column holds no recognised identifier. */
  readonly piiType: PiiType | null;
  /** Share of sampled non-empty values of that type (0 when none were sampled). */
  readonly matchRatio: number;
  readonly confidence: number;
  readonly category: LegalCategory;
  readonly threshold: 50 | 500 | 5000;
  readonly piplSensitive: boolean;
  readonly level: SensitivityLevel;
  /** How the column is shown: a display mask kind, or null (shown as is). Unknown columns are masked. */
  readonly mask: string | null;
  readonly evidence: {
    readonly nameHint: string | null;
    readonly sampled: number;
    readonly nonEmpty: number;
    /** Hits per type among the sampled values (counts only). */
    readonly hits: Readonly<Partial<Record<PiiType, number>>>;
  };
}

export interface TableProposal {
  readonly name: string;
  readonly rowsSampled: number;
  readonly key: string | null;
  /** True when any column holds personal information: the other columns are then masked until reviewed. */
  readonly personal: boolean;
  readonly columns: readonly ColumnProposal[];
}

export interface Catalog {
  readonly format: 'custos-catalog/1';
  readonly generatedAt: string;
  /** The source, without credentials. */
  readonly source: string;
  readonly sampleSize: number;
  /** Set to true by the administrator once the proposals are reviewed. */
  readonly reviewed: boolean;
  readonly tables: readonly TableProposal[];
}

interface ColumnInfo {
  readonly name: string;
  readonly dataType: string;
  readonly key: boolean;
}

interface SourceReader {
  tables(): Promise<{ name: string; columns: ColumnInfo[] }[]>;
  /** Up to `limit` rows of the named columns, in pages of `page`. */
  sample(table: string, columns: readonly string[], limit: number, page: number): AsyncGenerator<Record<string, unknown>[]>;
  close(): Promise<void>;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_$]{0,63}$/;

function checkIdent(name: string): string {
  if (!IDENT.test(name)) throw new CustosError('CUSTOS_SCAN_BAD_IDENTIFIER', 400, 'A table or column name has characters outside [A-Za-z0-9_$]; it is skipped by the scanner.');
  return name;
}

function sqliteReader(file: string): SourceReader {
  let db: SQLite.Database;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
  } catch {
    throw new CustosError('CUSTOS_SCAN_SOURCE_UNAVAILABLE', 400, `Cannot open the SQLite source ${file}.`);
  }
  return {
    tables() {
      const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
      return Promise.resolve(
        names.filter((n) => IDENT.test(n)).map((name) => ({
          name,
          columns: (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string; type: string; pk: number }[]).map((c) => ({ name: c.name, dataType: c.type.toLowerCase(), key: c.pk > 0 })),
        })),
      );
    },
    // eslint-disable-next-line @typescript-eslint/require-await -- better-sqlite3 is synchronous; the interface is not
    async *sample(table, columns, limit, page) {
      const cols = columns.map((c) => `"${checkIdent(c)}"`).join(', ');
      const stmt = db.prepare(`SELECT ${cols} FROM "${checkIdent(table)}" LIMIT ? OFFSET ?`);
      for (let off = 0; off < limit; off += page) {
        const rows = stmt.all(Math.min(page, limit - off), off) as Record<string, unknown>[];
        if (rows.length > 0) yield rows;
        if (rows.length < page) return;
      }
    },
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}

async function postgresReader(url: string, schema: string | undefined): Promise<SourceReader> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000, statement_timeout: 60_000 });
  try {
    await client.connect();
  } catch {
    throw new CustosError('CUSTOS_SCAN_SOURCE_UNAVAILABLE', 400, 'Cannot connect to the PostgreSQL source.');
  }
  const ns = schema ?? 'public';
  return {
    async tables() {
      const cols = await client.query<{ table_name: string; column_name: string; data_type: string; pk: boolean }>(
        `SELECT c.table_name, c.column_name, c.data_type,
                EXISTS (SELECT 1 FROM information_schema.table_constraints tc JOIN information_schema.key_column_usage k
                          ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema
                        WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = c.table_schema AND tc.table_name = c.table_name AND k.column_name = c.column_name) AS pk
           FROM information_schema.columns c JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
          WHERE c.table_schema = $1 AND t.table_type = 'BASE TABLE' ORDER BY c.table_name, c.ordinal_position`,
        [ns],
      );
      return group(cols.rows.map((r) => ({ table: r.table_name, name: r.column_name, dataType: r.data_type, key: r.pk })));
    },
    async *sample(table, columns, limit, page) {
      const cols = columns.map((c) => `"${checkIdent(c)}"::text AS "${c}"`).join(', ');
      for (let off = 0; off < limit; off += page) {
        const r = await client.query(`SELECT ${cols} FROM "${checkIdent(ns)}"."${checkIdent(table)}" LIMIT $1 OFFSET $2`, [Math.min(page, limit - off), off]);
        if (r.rows.length > 0) yield r.rows as Record<string, unknown>[];
        if (r.rows.length < page) return;
      }
    },
    close: () => client.end(),
  };
}

async function mysqlReader(url: string): Promise<SourceReader> {
  let conn: mysql.Connection;
  try {
    conn = await mysql.createConnection({ uri: url, connectTimeout: 10_000 });
  } catch {
    throw new CustosError('CUSTOS_SCAN_SOURCE_UNAVAILABLE', 400, 'Cannot connect to the MySQL source.');
  }
  return {
    async tables() {
      const [rows] = await conn.query(
        `SELECT TABLE_NAME AS t, COLUMN_NAME AS c, DATA_TYPE AS d, COLUMN_KEY AS k FROM information_schema.COLUMNS
          WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      );
      return group((rows as { t: string; c: string; d: string; k: string }[]).map((r) => ({ table: r.t, name: r.c, dataType: r.d, key: r.k === 'PRI' })));
    },
    async *sample(table, columns, limit, page) {
      const cols = columns.map((c) => `\`${checkIdent(c)}\``).join(', ');
      for (let off = 0; off < limit; off += page) {
        const [rows] = await conn.query(`SELECT ${cols} FROM \`${checkIdent(table)}\` LIMIT ? OFFSET ?`, [Math.min(page, limit - off), off]);
        const list = rows as Record<string, unknown>[];
        if (list.length > 0) yield list;
        if (list.length < page) return;
      }
    },
    close: () => conn.end(),
  };
}

function group(cols: { table: string; name: string; dataType: string; key: boolean }[]): { name: string; columns: ColumnInfo[] }[] {
  const out = new Map<string, ColumnInfo[]>();
  for (const c of cols) {
    if (!IDENT.test(c.table) || !IDENT.test(c.name)) continue;
    const list = out.get(c.table) ?? [];
    list.push({ name: c.name, dataType: c.dataType, key: c.key });
    out.set(c.table, list);
  }
  return [...out].map(([name, columns]) => ({ name, columns }));
}

/**
 * A source from a URL: `postgres://…` / `postgresql://…`, `mysql://…`, `sqlite:PATH` or a path to a SQLite file.
 * `?schema=NAME` on a PostgreSQL URL picks the schema (default public).
 */
export function parseSource(url: string): SourceLocation {
  if (/^postgres(ql)?:\/\//.test(url)) {
    const u = new URL(url);
    const schema = u.searchParams.get('schema') ?? undefined;
    u.searchParams.delete('schema');
    if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new CustosError('CUSTOS_SCAN_BAD_SOURCE', 400, 'The schema name must be [a-z_][a-z0-9_]*.');
    return { kind: 'postgres', url: u.toString(), ...(schema !== undefined ? { schema } : {}) };
  }
  if (/^mysql:\/\//.test(url)) return { kind: 'mysql', url };
  if (url.startsWith('sqlite:')) return { kind: 'sqlite', file: url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) throw new CustosError('CUSTOS_SCAN_BAD_SOURCE', 400, 'The source URL must be postgres://, mysql://, sqlite:PATH or a SQLite file path.');
  return { kind: 'sqlite', file: url };
}

/** The source as shown in the catalog and in messages: no password, no query string. */
export function describeSource(s: SourceLocation): string {
  if (s.kind === 'sqlite') return `sqlite:${s.file}`;
  const u = new URL(s.url);
  u.password = '';
  u.search = '';
  return `${u.toString()}${s.kind === 'postgres' && s.schema !== undefined ? ` (schema ${s.schema})` : ''}`;
}

export interface ScanDbOptions {
  /** Rows sampled per table (default 1,000; at most 1,000,000). */
  readonly sample?: number;
  readonly onProgress?: (message: string) => void;
  readonly now?: Date;
  /** Only these tables (default: all). */
  readonly tables?: readonly string[];
}

/** Proposes a classification for every column of every table of the source. */
export async function scanDatabase(source: SourceLocation, options: ScanDbOptions = {}): Promise<Catalog> {
  const sample = options.sample ?? 1000;
  if (!Number.isSafeInteger(sample) || sample < 1 || sample > 1_000_000) throw new CustosError('CUSTOS_SCAN_BAD_SAMPLE', 400, 'The sample size must be 1 … 1,000,000 rows per table.');
  const say = options.onProgress ?? (() => {});
  const now = options.now ?? new Date();
  const reader = source.kind === 'sqlite' ? sqliteReader(source.file) : source.kind === 'postgres' ? await postgresReader(source.url, source.schema) : await mysqlReader(source.url);
  try {
    const tables: TableProposal[] = [];
    const only = options.tables;
    const list = (await reader.tables()).filter((t) => only === undefined || only.includes(t.name));
    for (const [ti, t] of list.entries()) {
      const stats = t.columns.map(() => ({ sampled: 0, nonEmpty: 0, hits: new Map<PiiType, number>() }));
      let rows = 0;
      let lastSaid = 0;
      for await (const page of reader.sample(t.name, t.columns.map((c) => c.name), sample, 1000)) {
        for (const row of page) {
          t.columns.forEach((c, i) => {
            const st = stats[i]!;
            st.sampled++;
            const v = row[c.name];
            if (v === null || v === undefined) return;
            const text = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : v instanceof Date ? v.toISOString() : '';
            if (text.trim() === '') return;
            st.nonEmpty++;
            const type = typeOfValue(text, now);
            if (type !== undefined) st.hits.set(type, (st.hits.get(type) ?? 0) + 1);
          });
        }
        rows += page.length;
        if (rows - lastSaid >= 10_000) {
          lastSaid = rows;
          say(`scan: table ${ti + 1}/${list.length} ${t.name}: ${rows.toLocaleString('en')}/${sample.toLocaleString('en')} rows sampled`);
        }
      }
      const columns = t.columns.map((c, i) => propose(c, stats[i]!));
      const personal = columns.some((c) => c.piiType !== null || c.category !== 'other');
      // In a table of personal data, a column the scanner cannot place is masked until an administrator says otherwise.
      const finished = personal ? columns.map((c) => (c.key || c.piiType !== null || c.mask !== null ? c : { ...c, mask: 'text' })) : columns;
      tables.push({ name: t.name, rowsSampled: rows, key: t.columns.find((c) => c.key)?.name ?? null, personal, columns: finished });
      say(`scan: table ${ti + 1}/${list.length} ${t.name}: ${rows.toLocaleString('en')} rows sampled, ${finished.filter((c) => c.piiType !== null).length} of ${finished.length} columns hold personal identifiers`);
    }
    return { format: 'custos-catalog/1', generatedAt: now.toISOString(), source: describeSource(source), sampleSize: sample, reviewed: false, tables };
  } finally {
    await reader.close();
  }
}

function propose(c: ColumnInfo, st: { sampled: number; nonEmpty: number; hits: Map<PiiType, number> }): ColumnProposal {
  const hint = nameHint(c.name);
  let best: PiiType | null = null;
  let bestHits = 0;
  for (const [type, n] of st.hits) {
    if (n > bestHits) {
      best = type;
      bestHits = n;
    }
  }
  const ratio = st.nonEmpty === 0 ? 0 : bestHits / st.nonEmpty;
  let type: PiiType | null = null;
  let confidence = 0;
  if (best !== null && ratio >= 0.5) {
    type = best;
    confidence = Math.min(0.99, 0.5 + ratio * 0.4 + (hint?.type === best ? 0.09 : 0));
  } else if (hint?.type !== undefined && (ratio >= 0.2 || st.nonEmpty === 0)) {
    // The name says so and the values do not contradict it strongly (or there were none to look at).
    type = hint.type;
    confidence = st.nonEmpty === 0 ? 0.4 : 0.5;
  }
  const hits = Object.fromEntries(st.hits) as Partial<Record<PiiType, number>>;
  const evidence = { nameHint: hint?.source ?? null, sampled: st.sampled, nonEmpty: st.nonEmpty, hits };
  if (c.key) {
    // The record key is how records are named on the ledger: an internal id, shown.
    return { name: c.name, dataType: c.dataType, key: true, piiType: type, matchRatio: ratio, confidence, category: 'other', threshold: 5000, piplSensitive: false, level: 'C1', mask: null, evidence };
  }
  if (type !== null) {
    const k = classifyType(type);
    return { name: c.name, dataType: c.dataType, key: false, piiType: type, matchRatio: type === best ? ratio : 0, confidence, category: k.category, threshold: k.threshold, piplSensitive: k.piplSensitive, level: k.level, mask: type, evidence };
  }
  if (hint?.category !== undefined) {
    return {
      name: c.name, dataType: c.dataType, key: false, piiType: null, matchRatio: 0, confidence: 0.6,
      category: hint.category, threshold: CATEGORY_THRESHOLD[hint.category], piplSensitive: hint.sensitive ?? false, level: hint.level ?? 'C2', mask: 'text', evidence,
    };
  }
  return { name: c.name, dataType: c.dataType, key: false, piiType: null, matchRatio: 0, confidence: 0, category: 'other', threshold: 5000, piplSensitive: false, level: 'C1', mask: null, evidence };
}
