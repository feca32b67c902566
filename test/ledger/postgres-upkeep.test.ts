/**
 * The PostgreSQL ledger keeps its own planner statistics: a server with autovacuum off (as the test server runs)
 * never gathers them, and the ledger's index probes are planned badly without them.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBackend, type AppendRow, type LedgerBackend } from '../../src/ledger/ledger-backend.js';
import { leafHash } from '../../src/ledger/merkle.js';
import { TreeBuilder } from '../../src/ledger/tree-builder.js';
import { dropPostgresSchema } from '../../src/store/index.js';
import { PG_URL } from '../helpers/harness.js';

const enabled = process.env['CUSTOS_TEST_PG'] === '1';

const row = (idx: number): AppendRow => ({
  idx,
  leaf: `{"actor":"u${idx % 5}","id":"e${idx}","subjects":["c${idx % 97}"],"time":"2026-11-22T10:00:00.000Z"}`,
  actor: `u${idx % 5}`,
  time: '2026-11-22T10:00:00.000Z',
  subjects: [`c${idx % 97}`],
});

describe.skipIf(!enabled)('the PostgreSQL ledger keeps its tables analyzed', () => {
  let schema: string;
  let client: pg.Client;
  let backend: LedgerBackend | undefined;
  const analyzed = async (): Promise<Record<string, boolean>> => {
    const r = await client.query<{ relname: string; reltuples: number }>(
      "SELECT relname, reltuples FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r' AND relname <> 'ledger_checkpoints'",
      [schema],
    );
    return Object.fromEntries(r.rows.map((t) => [t.relname, t.reltuples >= 0]));
  };
  const all = { ledger_entries: true, ledger_subjects: true, ledger_tiles: true };

  beforeEach(async () => {
    schema = `custos_upkeep_${randomBytes(5).toString('hex')}`;
    client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
  });
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
    await client.end();
    await dropPostgresSchema(PG_URL, schema);
  });

  it('analyzes tables that never had statistics when it opens, before the first query', async () => {
    backend = await openBackend({ kind: 'postgres', url: PG_URL, schema });
    await backend.close();
    backend = undefined;
    // Rows written behind the ledger's back (as a restore would): no statistics.
    await client.query(`INSERT INTO "${schema}".ledger_entries (idx, leaf, actor, time) SELECT i, 'x', 'u', 't' FROM generate_series(0, 4999) i`);
    await client.query(`INSERT INTO "${schema}".ledger_subjects (subject, idx) SELECT 'c' || (i % 50), i FROM generate_series(0, 4999) i`);
    await client.query(`INSERT INTO "${schema}".ledger_tiles (level, idx, hashes) SELECT 0, i, '\\x00' FROM generate_series(0, 311) i`);
    expect(await analyzed()).toEqual({ ledger_entries: false, ledger_subjects: false, ledger_tiles: false });
    backend = await openBackend({ kind: 'postgres', url: PG_URL, schema });
    expect(await analyzed()).toEqual(all);
  });

  it('analyzes and vacuums its tables in the background as they grow, where autovacuum is off', async (ctx) => {
    const off = (await client.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0]?.autovacuum === 'off';
    if (!off) ctx.skip();
    backend = await openBackend({ kind: 'postgres', url: PG_URL, schema });
    const tree = new TreeBuilder();
    const vacuumed = async (): Promise<string[]> =>
      (await client.query<{ relname: string }>('SELECT relname FROM pg_stat_user_tables WHERE schemaname = $1 AND last_vacuum IS NOT NULL ORDER BY relname', [schema])).rows.map((r) => r.relname);
    // The upkeep looks every 20,000 appended rows and reads the server's activity statistics, which lag a little:
    // keep appending (bounded) until it has analyzed every table and vacuumed the entries.
    let seen = await analyzed();
    let cleaned = await vacuumed();
    for (let from = 0; from < 400_000 && (JSON.stringify(seen) !== JSON.stringify(all) || !cleaned.includes('ledger_entries')); from += 5000) {
      const rows = Array.from({ length: 5000 }, (_, i) => row(from + i));
      for (const r of rows) tree.push(leafHash(r.leaf));
      await backend.appendBatch(rows, tree.takeChanged());
      await new Promise((r) => setTimeout(r, 50));
      seen = await analyzed();
      cleaned = await vacuumed();
    }
    expect(seen).toEqual(all);
    expect(cleaned).toContain('ledger_entries');
  }, 240_000);
});
