import pg from 'pg';
import { oldLayout, type LedgerBackend, type StoredEntry } from './ledger-backend.js';
import { tileId } from './tiles.js';

const SCHEMA = /^[a-z_][a-z0-9_]{0,62}$/;

/** The tables whose statistics the ledger keeps itself (the checkpoints table stays tiny). */
const KEPT = ['ledger_entries', 'ledger_subjects', 'ledger_tiles'];

/** Rows appended between two looks at the tables' statistics (at least; 10% of the size when larger). */
const UPKEEP_EVERY = 20_000;

interface TableStats {
  readonly relname: string;
  readonly reltuples: number;
  /** Bytes on disk: non-zero once rows were written, even before the activity counters show them. */
  readonly bytes: string;
  readonly n_mod_since_analyze: string;
  readonly n_ins_since_vacuum: string;
}

/**
 * What a table needs, by autovacuum's default rules: ANALYZE when it never had statistics or more than
 * 50 + 10% of its rows changed since; VACUUM (which also sets the visibility map, so that index-only scans skip
 * the heap and reads stop dirtying pages for hint bits) when more than 1,000 + 20% of its rows were inserted since.
 */
const neverAnalyzed = (t: TableStats): boolean => t.reltuples < 0 && Number(t.bytes) > 0;

function upkeepOf(t: TableStats): 'vacuum' | 'analyze' | undefined {
  const rows = Math.max(0, t.reltuples);
  if (Number(t.n_ins_since_vacuum) > 1000 + 0.2 * rows) return 'vacuum';
  if (neverAnalyzed(t) || Number(t.n_mod_since_analyze) > 50 + 0.1 * rows) return 'analyze';
  return undefined;
}

/**
 * The ledger on PostgreSQL. Entries, their query keys and the Merkle tiles are written in one transaction per
 * batch (PostgreSQL takes scattered index inserts from several connections well, so the indexes are kept in
 * the append transaction and never lag).
 */
export async function postgresBackend(url: string, schema: string | undefined): Promise<LedgerBackend> {
  if (schema !== undefined && !SCHEMA.test(schema)) throw new RangeError('PostgreSQL schema names are [a-z_][a-z0-9_]*');
  // The ledger's queries are index probes and short index range scans. Without fresh statistics (a table that
  // grew from empty, autovacuum off) the planner costs them as huge and picks parallel plans with JIT compiling:
  // at 10M entries, ~300 ms for one entry's lookup against 0.02 ms. Neither ever helps these queries.
  const settings = `-c jit=off -c max_parallel_workers_per_gather=0${schema !== undefined ? ` -c search_path="${schema}"` : ''}`;
  const pool = new pg.Pool({ connectionString: url, max: 4, options: settings });
  if (schema !== undefined) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  await pool.query(`
    CREATE TABLE IF NOT EXISTS ledger_entries (idx BIGINT PRIMARY KEY, leaf TEXT NOT NULL, actor TEXT NOT NULL, time TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS ledger_entries_actor ON ledger_entries(actor, idx);
    CREATE INDEX IF NOT EXISTS ledger_entries_time ON ledger_entries(time);
    CREATE TABLE IF NOT EXISTS ledger_subjects (subject TEXT NOT NULL, idx BIGINT NOT NULL, PRIMARY KEY (subject, idx));
    CREATE TABLE IF NOT EXISTS ledger_tiles (level INT NOT NULL, idx BIGINT NOT NULL, hashes BYTEA NOT NULL, PRIMARY KEY (level, idx));
    CREATE TABLE IF NOT EXISTS ledger_checkpoints (size BIGINT PRIMARY KEY, time TEXT NOT NULL, note TEXT NOT NULL);
  `);
  const cols = await pool.query<{ column_name: string }>(
    "SELECT column_name FROM information_schema.columns WHERE table_name = 'ledger_entries' AND table_schema = current_schema()",
  );
  if (cols.rows.some((c) => c.column_name === 'chain')) {
    await pool.end();
    throw oldLayout();
  }
  const toEntry = (r: { idx: string; leaf: string }): StoredEntry => ({ idx: Number(r.idx), leaf: r.leaf });

  // Statistics upkeep (see upkeepOf): the ledger's plans are only right with statistics, and a server with
  // autovacuum off never gathers them. At open, tables that never had any are analyzed before the first query;
  // then, where autovacuum is off, the tables are looked at again every UPKEEP_EVERY appended rows (10% of the
  // size when larger), off the append path, one upkeep at a time, on its own connection.
  const stats = async (): Promise<TableStats[]> =>
    (
      await pool.query<TableStats>(
        `SELECT c.relname, c.reltuples, pg_relation_size(c.oid) AS bytes, s.n_mod_since_analyze, s.n_ins_since_vacuum
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_stat_user_tables s ON s.relid = c.oid
         WHERE n.nspname = current_schema() AND c.relname = ANY($1)`,
        [KEPT],
      )
    ).rows;
  let upkeepPid: number | undefined;
  let upkeep: Promise<void> | undefined;
  async function keepStatistics(): Promise<void> {
    const client = await pool.connect();
    try {
      upkeepPid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      for (const t of await stats()) {
        const need = upkeepOf(t);
        // Names from KEPT only (never input).
        if (need !== undefined) await client.query(need === 'vacuum' ? `VACUUM (ANALYZE) ${t.relname}` : `ANALYZE ${t.relname}`);
      }
    } finally {
      upkeepPid = undefined;
      client.release();
    }
  }
  const manual = (await pool.query<{ off: boolean }>("SELECT current_setting('autovacuum') = 'off' AS off")).rows[0]?.off === true;
  for (const t of await stats()) if (neverAnalyzed(t)) await pool.query(`ANALYZE ${t.relname}`);
  let appended = 0;
  let sizeAtLook = 0;
  function appendedRows(n: number): void {
    appended += n;
    if (!manual || upkeep !== undefined || appended < Math.max(UPKEEP_EVERY, sizeAtLook / 10)) return;
    sizeAtLook += appended;
    appended = 0;
    // The ledger works without it (only slower): a failure is retried at the next look.
    upkeep = keepStatistics()
      .catch(() => undefined)
      .finally(() => (upkeep = undefined));
  }

  return {
    async size() {
      const r = await pool.query<{ idx: string }>('SELECT idx FROM ledger_entries ORDER BY idx DESC LIMIT 1');
      return r.rows[0] === undefined ? 0 : Number(r.rows[0].idx) + 1;
    },
    async appendBatch(rows, tiles) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('INSERT INTO ledger_entries (idx, leaf, actor, time) SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[])', [
          rows.map((r) => r.idx),
          rows.map((r) => r.leaf),
          rows.map((r) => r.actor),
          rows.map((r) => r.time),
        ]);
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
        appendedRows(rows.length);
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
      const r = await pool.query<{ idx: string; leaf: string }>(
        `SELECT e.idx, e.leaf FROM ${from}${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY e.idx LIMIT $${args.length}`,
        args,
      );
      return r.rows.map(toEntry);
    },
    async range(from, count) {
      // One entry (a proof's leaf) by equality: a unique-key probe whatever the statistics say.
      const r =
        count === 1
          ? await pool.query<{ idx: string; leaf: string }>({ name: 'ledger_entry', text: 'SELECT idx, leaf FROM ledger_entries WHERE idx = $1', values: [from] })
          : await pool.query<{ idx: string; leaf: string }>({
              name: 'ledger_range',
              text: 'SELECT idx, leaf FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx',
              values: [from, from + count],
            });
      return r.rows.map(toEntry);
    },
    async tiles(keys) {
      const out = new Map<string, Buffer>();
      if (keys.length === 0) return out;
      const r = await pool.query<{ level: number; idx: string; hashes: Buffer }>({
        // A lateral lookup per key: an index probe each, whatever the planner thinks of the join (a hash join
        // over the whole tile table made proofs take ~37 ms at 10M entries). Named, so each connection plans it
        // once (planning cost about as much as running it).
        name: 'ledger_tiles',
        text: 'SELECT t.level, t.idx, t.hashes FROM UNNEST($1::int[], $2::bigint[]) AS k(level, idx) CROSS JOIN LATERAL (SELECT level, idx, hashes FROM ledger_tiles WHERE level = k.level AND idx = k.idx) t',
        values: [keys.map((k) => k.level), keys.map((k) => k.index)],
      });
      for (const row of r.rows) out.set(tileId({ level: row.level, index: Number(row.idx) }), row.hashes);
      return out;
    },
    async proofReads(index, keys) {
      const r = await pool.query<{ level: number | null; idx: string; hashes: Buffer | null; leaf: string | null }>({
        name: 'ledger_proof',
        text: `SELECT NULL::int AS level, idx, NULL::bytea AS hashes, leaf FROM ledger_entries WHERE idx = $3
               UNION ALL
               SELECT t.level, t.idx, t.hashes, NULL FROM UNNEST($1::int[], $2::bigint[]) AS k(level, idx)
                 CROSS JOIN LATERAL (SELECT level, idx, hashes FROM ledger_tiles WHERE level = k.level AND idx = k.idx) t`,
        values: [keys.map((k) => k.level), keys.map((k) => k.index), index],
      });
      let leaf: string | undefined;
      const tiles = new Map<string, Buffer>();
      for (const row of r.rows) {
        if (row.level === null) leaf = row.leaf ?? undefined;
        else if (row.hashes !== null) tiles.set(tileId({ level: row.level, index: Number(row.idx) }), row.hashes);
      }
      return { leaf, tiles };
    },
    async tileRange(level, from, to) {
      const r = await pool.query<{ idx: string; hashes: Buffer }>('SELECT idx, hashes FROM ledger_tiles WHERE level = $1 AND idx >= $2 AND idx < $3', [level, from, to]);
      return new Map(r.rows.map((row) => [Number(row.idx), row.hashes]));
    },
    async saveCheckpoint(size, note, time) {
      await pool.query('INSERT INTO ledger_checkpoints (size, time, note) VALUES ($1, $2, $3) ON CONFLICT (size) DO NOTHING', [size, time, note]);
    },
    async lastCheckpoint() {
      const r = await pool.query<{ size: string; note: string }>('SELECT size, note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1');
      const row = r.rows[0];
      return row === undefined ? undefined : { size: Number(row.size), note: row.note };
    },
    indexLag: () => Promise.resolve(0),
    maintain: async () => {
      await upkeep;
      await keepStatistics();
    },
    close: async () => {
      // An upkeep under way (a VACUUM of a large table takes a while) is cancelled; the next open looks again.
      if (upkeepPid !== undefined) await pool.query('SELECT pg_cancel_backend($1)', [upkeepPid]).catch(() => undefined);
      await upkeep;
      await pool.end();
    },
  };
}
