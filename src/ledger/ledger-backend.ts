import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { startSqliteWriter } from './sqlite-writer.js';
import { tileId, type TileKey } from './tiles.js';
import type { TileRow } from './tree-builder.js';
import type { EventQuery, LedgerStorage } from './ledger-types.js';

/** One row as stored. `chain` is hex. */
export interface StoredRow {
  readonly idx: number;
  readonly event_id: string;
  readonly time: string;
  readonly actor: string;
  readonly leaf: string;
  readonly chain: string;
  readonly subjects: readonly string[];
}

/** The storage behind a ledger: one durable transaction per batch, ordered reads. */
export interface LedgerBackend {
  size(): Promise<number>;
  /** The chain value (hex) of the last entry, or undefined when empty. */
  lastChain(): Promise<string | undefined>;
  /** Entries and the Merkle tiles they changed, in one durable transaction. */
  appendBatch(rows: readonly StoredRow[], tiles: readonly TileRow[]): Promise<void>;
  /** Stored tiles by key (missing ones are absent from the map), keyed `level/index`. */
  tiles(keys: readonly TileKey[]): Promise<Map<string, Buffer>>;
  /** Keeps a signed checkpoint. */
  saveCheckpoint(size: number, note: string, time: string): Promise<void>;
  /** The checkpoint with the largest size, if any. */
  lastCheckpoint(): Promise<{ size: number; note: string } | undefined>;
  query(q: EventQuery, limit: number): Promise<Omit<StoredRow, 'subjects'>[]>;
  /** Rows with idx in [from, from + count), in order. */
  range(from: number, count: number): Promise<Omit<StoredRow, 'subjects'>[]>;
  close(): Promise<void>;
}

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

function sqliteBackend(file: string): LedgerBackend {
  mkdirSync(dirname(file), { recursive: true });
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before the append is acknowledged (an ack means durable).
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS ledger_entries (
      idx INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, time TEXT NOT NULL, actor TEXT NOT NULL,
      leaf TEXT NOT NULL, chain TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS ledger_entries_actor ON ledger_entries(actor, time);
    CREATE INDEX IF NOT EXISTS ledger_entries_time ON ledger_entries(time);
    CREATE TABLE IF NOT EXISTS ledger_subjects (subject TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (subject, idx)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ledger_tiles (level INTEGER NOT NULL, idx INTEGER NOT NULL, hashes BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ledger_checkpoints (size INTEGER PRIMARY KEY, time TEXT NOT NULL, note TEXT NOT NULL);
  `);
  const tileStmt = db.prepare('SELECT hashes FROM ledger_tiles WHERE level = ? AND idx = ?');
  const saveCp = db.prepare('INSERT OR IGNORE INTO ledger_checkpoints (size, time, note) VALUES (?, ?, ?)');
  const lastCp = db.prepare('SELECT size, note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1');
  const writer = startSqliteWriter(file);
  const sizeStmt = db.prepare('SELECT COUNT(*) AS n FROM ledger_entries');
  const lastStmt = db.prepare('SELECT chain FROM ledger_entries ORDER BY idx DESC LIMIT 1');
  const rangeStmt = db.prepare('SELECT idx, event_id, time, actor, leaf, chain FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx');
  return {
    size: () => Promise.resolve((sizeStmt.get() as { n: number }).n),
    lastChain: () => Promise.resolve((lastStmt.get() as { chain: string } | undefined)?.chain),
    appendBatch: (rows, tiles) => writer.write(rows, tiles),
    tiles: (keys) => {
      const out = new Map<string, Buffer>();
      for (const k of keys) {
        const r = tileStmt.get(k.level, k.index) as { hashes: Buffer } | undefined;
        if (r !== undefined) out.set(tileId(k), r.hashes);
      }
      return Promise.resolve(out);
    },
    saveCheckpoint: (size, note, time) => {
      saveCp.run(size, time, note);
      return Promise.resolve();
    },
    lastCheckpoint: () => Promise.resolve(lastCp.get() as { size: number; note: string } | undefined),
    query: (q, limit) => {
      const where: string[] = [];
      const args: (string | number)[] = [];
      let from = 'ledger_entries e';
      if (q.subject !== undefined) {
        from = 'ledger_subjects s JOIN ledger_entries e ON e.idx = s.idx';
        where.push('s.subject = ?');
        args.push(q.subject);
      }
      if (q.actor !== undefined) {
        where.push('e.actor = ?');
        args.push(q.actor);
      }
      if (q.from !== undefined) {
        where.push('e.time >= ?');
        args.push(q.from);
      }
      if (q.to !== undefined) {
        where.push('e.time <= ?');
        args.push(q.to);
      }
      const sql = `SELECT e.idx, e.event_id, e.time, e.actor, e.leaf, e.chain FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY e.idx LIMIT ?`;
      return Promise.resolve(db.prepare(sql).all(...args, limit) as StoredRow[]);
    },
    range: (from, count) => Promise.resolve(rangeStmt.all(from, from + count) as StoredRow[]),
    close: async () => {
      await writer.close();
      db.close();
    },
  };
}

async function postgresBackend(url: string, schema: string | undefined): Promise<LedgerBackend> {
  if (schema !== undefined && !SCHEMA.test(schema)) throw new RangeError('PostgreSQL schema names are [a-z_][a-z0-9_]*');
  const pool = new pg.Pool({ connectionString: url, max: 4, ...(schema !== undefined ? { options: `-c search_path="${schema}"` } : {}) });
  if (schema !== undefined) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await pool.query(`
    CREATE TABLE IF NOT EXISTS ledger_entries (
      idx BIGINT PRIMARY KEY, event_id TEXT NOT NULL UNIQUE, time TEXT NOT NULL, actor TEXT NOT NULL,
      leaf TEXT NOT NULL, chain TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS ledger_entries_actor ON ledger_entries(actor, time);
    CREATE INDEX IF NOT EXISTS ledger_entries_time ON ledger_entries(time);
    CREATE TABLE IF NOT EXISTS ledger_subjects (subject TEXT NOT NULL, idx BIGINT NOT NULL, PRIMARY KEY (subject, idx));
    CREATE TABLE IF NOT EXISTS ledger_tiles (level INT NOT NULL, idx BIGINT NOT NULL, hashes BYTEA NOT NULL, PRIMARY KEY (level, idx));
    CREATE TABLE IF NOT EXISTS ledger_checkpoints (size BIGINT PRIMARY KEY, time TEXT NOT NULL, note TEXT NOT NULL);
  `);
  const toRow = (r: Record<string, unknown>): Omit<StoredRow, 'subjects'> => ({
    idx: Number(r['idx']),
    event_id: String(r['event_id']),
    time: String(r['time']),
    actor: String(r['actor']),
    leaf: String(r['leaf']),
    chain: String(r['chain']),
  });
  return {
    async size() {
      const r = await pool.query<{ n: string }>('SELECT COUNT(*) AS n FROM ledger_entries');
      return Number(r.rows[0]!.n);
    },
    async lastChain() {
      const r = await pool.query<{ chain: string }>('SELECT chain FROM ledger_entries ORDER BY idx DESC LIMIT 1');
      return r.rows[0]?.chain;
    },
    async appendBatch(rows, tiles) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(
          `INSERT INTO ledger_entries (idx, event_id, time, actor, leaf, chain)
           SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])`,
          [rows.map((r) => r.idx), rows.map((r) => r.event_id), rows.map((r) => r.time), rows.map((r) => r.actor), rows.map((r) => r.leaf), rows.map((r) => r.chain)],
        );
        const subj = rows.flatMap((r) => [...new Set(r.subjects)].map((s) => [s, r.idx] as const));
        if (subj.length > 0) {
          await client.query('INSERT INTO ledger_subjects (subject, idx) SELECT * FROM UNNEST($1::text[], $2::bigint[])', [subj.map((s) => s[0]), subj.map((s) => s[1])]);
        }
        if (tiles.length > 0) {
          await client.query(
            `INSERT INTO ledger_tiles (level, idx, hashes) SELECT * FROM UNNEST($1::int[], $2::bigint[], $3::bytea[])
             ON CONFLICT (level, idx) DO UPDATE SET hashes = EXCLUDED.hashes`,
            [tiles.map((t) => t.level), tiles.map((t) => t.index), tiles.map((t) => t.hashes)],
          );
        }
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => {});
        throw e;
      } finally {
        client.release();
      }
    },
    async query(q, limit) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      let from = 'ledger_entries e';
      if (q.subject !== undefined) {
        from = 'ledger_subjects s JOIN ledger_entries e ON e.idx = s.idx';
        args.push(q.subject);
        where.push(`s.subject = $${args.length}`);
      }
      if (q.actor !== undefined) {
        args.push(q.actor);
        where.push(`e.actor = $${args.length}`);
      }
      if (q.from !== undefined) {
        args.push(q.from);
        where.push(`e.time >= $${args.length}`);
      }
      if (q.to !== undefined) {
        args.push(q.to);
        where.push(`e.time <= $${args.length}`);
      }
      args.push(limit);
      const r = await pool.query(
        `SELECT e.idx, e.event_id, e.time, e.actor, e.leaf, e.chain FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY e.idx LIMIT $${args.length}`,
        args,
      );
      return r.rows.map(toRow);
    },
    async range(from, count) {
      const r = await pool.query('SELECT idx, event_id, time, actor, leaf, chain FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx', [from, from + count]);
      return r.rows.map(toRow);
    },
    async tiles(keys) {
      const out = new Map<string, Buffer>();
      if (keys.length === 0) return out;
      const r = await pool.query<{ level: number; idx: string; hashes: Buffer }>(
        'SELECT t.level, t.idx, t.hashes FROM ledger_tiles t JOIN UNNEST($1::int[], $2::bigint[]) AS k(level, idx) ON t.level = k.level AND t.idx = k.idx',
        [keys.map((k) => k.level), keys.map((k) => k.index)],
      );
      for (const row of r.rows) out.set(tileId({ level: row.level, index: Number(row.idx) }), row.hashes);
      return out;
    },
    async saveCheckpoint(size, note, time) {
      await pool.query('INSERT INTO ledger_checkpoints (size, time, note) VALUES ($1, $2, $3) ON CONFLICT (size) DO NOTHING', [size, time, note]);
    },
    async lastCheckpoint() {
      const r = await pool.query<{ size: string; note: string }>('SELECT size, note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1');
      const row = r.rows[0];
      return row === undefined ? undefined : { size: Number(row.size), note: row.note };
    },
    close: () => pool.end(),
  };
}

export function openBackend(storage: LedgerStorage): Promise<LedgerBackend> {
  return storage.kind === 'sqlite' ? Promise.resolve(sqliteBackend(storage.file)) : postgresBackend(storage.url, storage.schema);
}
