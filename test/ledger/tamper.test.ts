/**
 * Tampering with the stored ledger, the way an operator with database access would: each change is made
 * directly in the database (SQLite file or PostgreSQL schema), and verification must name it at the right index.
 * The same suite runs on both stores.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkpointNote, leafHash, loadOrCreateLedgerKey, openLedger, type AccessEvent, type Ledger, type LedgerSigner, type LedgerStorage } from '../../src/ledger/index.js';
import { TreeBuilder } from '../../src/ledger/tree-builder.js';
import { dropPostgresSchema } from '../../src/store/index.js';
import { BACKENDS, PG_URL } from '../helpers/harness.js';

const ORIGIN = 'custos.test/ledger';

/** Direct SQL on the store, `?` placeholders on both. */
interface Raw {
  run(sql: string, ...params: unknown[]): Promise<void>;
  all<T>(sql: string, ...params: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

function sqliteRaw(file: string): Raw {
  const db = new SQLite(file);
  return {
    run: (sql, ...params) => Promise.resolve(void db.prepare(sql).run(...params)),
    all: <T>(sql: string, ...params: unknown[]) => Promise.resolve(db.prepare(sql).all(...params) as T[]),
    close: () => Promise.resolve(void db.close()),
  };
}

async function pgRaw(schema: string): Promise<Raw> {
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path="${schema}"` });
  await client.connect();
  const numbered = (sql: string): string => {
    let n = 0;
    return sql.replace(/\?/g, () => `$${++n}`);
  };
  return {
    run: async (sql, ...params) => void (await client.query(numbered(sql), params)),
    all: async <T>(sql: string, ...params: unknown[]) => (await client.query(numbered(sql), params)).rows as T[],
    close: () => client.end(),
  };
}

function event(n: number): AccessEvent {
  return {
    id: `e-${n}`,
    time: new Date(Date.UTC(2026, 2, 2, 9, 0, n)).toISOString(),
    actor: `u${String(n % 3).padStart(4, '0')}`,
    action: 'view',
    system: 'test',
    subjects: [`c${String(n % 7).padStart(6, '0')}`],
    fields: ['name'],
    outcome: 'masked',
  };
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`tampering with the ledger on ${backend.name}`, () => {
    let dir: string;
    let schema: string;
    let storage: LedgerStorage;
    let signer: LedgerSigner;
    let ledger: Ledger;
    let raw: Raw;

    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'custos-tamper-'));
      schema = `custos_tamper_${randomBytes(5).toString('hex')}`;
      storage = backend.name === 'sqlite' ? { kind: 'sqlite', file: join(dir, 'ledger.db') } : { kind: 'postgres', url: PG_URL, schema };
      signer = (await loadOrCreateLedgerKey(dir, ORIGIN)).signer;
      ledger = await openLedger({ storage, signer, origin: ORIGIN });
      for (let i = 0; i < 40; i++) await ledger.append(event(i));
      await ledger.checkpoint();
      raw = backend.name === 'sqlite' ? sqliteRaw(join(dir, 'ledger.db')) : await pgRaw(schema);
    });

    afterEach(async () => {
      await raw.close();
      await ledger.close();
      if (backend.name === 'postgres') await dropPostgresSchema(PG_URL, schema);
      await rm(dir, { recursive: true, force: true });
    });

    /** Verification by a fresh process's view of the store, with the published key. */
    async function verifyAfresh() {
      const again = await openLedger({ storage, signer, origin: ORIGIN });
      try {
        return await again.verify(signer.verifierKey());
      } finally {
        await again.close();
      }
    }

    it('verifies when nothing was touched', async () => {
      expect(await verifyAfresh()).toMatchObject({ ok: true, size: 40 });
    });

    it('names a leaf with one byte changed', async () => {
      // Position 60 lies inside the event's values; any single byte there changes the leaf.
      const [row] = await raw.all<{ leaf: string }>('SELECT leaf FROM ledger_entries WHERE idx = ?', 17);
      const at = 60;
      const changed = row!.leaf.slice(0, at) + (row!.leaf[at] === '0' ? '1' : '0') + row!.leaf.slice(at + 1);
      await raw.run('UPDATE ledger_entries SET leaf = ? WHERE idx = ?', changed, 17);
      const result = await verifyAfresh();
      expect(result).toMatchObject({ ok: false, index: 17 });
      expect(result.ok ? '' : result.reason).toMatch(/changed/);
    });

    it('names a leaf given a number that has no finite value as changed (the check does not stop on it)', async () => {
      const [row] = await raw.all<{ leaf: string }>('SELECT leaf FROM ledger_entries WHERE idx = ?', 9);
      await raw.run('UPDATE ledger_entries SET leaf = ? WHERE idx = ?', row!.leaf.replace('"fields":', '"count":1e400,"fields":'), 9);
      const result = await verifyAfresh();
      expect(result).toMatchObject({ ok: false, index: 9 });
      expect(result.ok ? '' : result.reason).toMatch(/not a canonical event \(changed leaf\)/);
    });

    it('names a deleted row', async () => {
      await raw.run('DELETE FROM ledger_entries WHERE idx = ?', 12);
      const result = await verifyAfresh();
      expect(result).toMatchObject({ ok: false, index: 12 });
      expect(result.ok ? '' : result.reason).toMatch(/deleted/);
    });

    it('names the first of two swapped rows', async () => {
      const rows = await raw.all<{ idx: number; leaf: string }>('SELECT idx, leaf FROM ledger_entries WHERE idx IN (?, ?) ORDER BY idx', 21, 22);
      await raw.run('UPDATE ledger_entries SET leaf = ? WHERE idx = ?', rows[1]!.leaf, 21);
      await raw.run('UPDATE ledger_entries SET leaf = ? WHERE idx = ?', rows[0]!.leaf, 22);
      const result = await verifyAfresh();
      expect(result).toMatchObject({ ok: false, index: 21 });
      expect(result.ok ? '' : result.reason).toMatch(/reordered/);
    });

    it('names a truncated tail, even with the tree cut back to match', async () => {
      await raw.run('DELETE FROM ledger_entries WHERE idx >= ?', 33);
      let result = await verifyAfresh();
      expect(result).toMatchObject({ ok: false, index: 33 });
      expect(result.ok ? '' : result.reason).toMatch(/truncated/);
      // The operator also rebuilds the stored tree for 33 entries: the signed checkpoint of 40 still says so.
      await rewriteTree(raw, (leaf) => leaf);
      result = await verifyAfresh();
      expect(result).toMatchObject({ ok: false, index: 33 });
      expect(result.ok ? '' : result.reason).toMatch(/truncated/);
    });

    it('catches a rewrite re-signed with a replaced key, and names the forged checkpoint', async () => {
      // The operator changes entry 5, recomputes the whole stored tree, and signs new checkpoints with a key of
      // their own under the same name. Everything is consistent, except with the key the auditors hold.
      const root = await rewriteTree(raw, (leaf, idx) => (idx === 5 ? leaf.replace('"masked"', '"allowed"') : leaf));
      const forger = (await loadOrCreateLedgerKey(join(dir, 'forger'), ORIGIN)).signer;
      await raw.run('UPDATE ledger_checkpoints SET note = ? WHERE size = ?', checkpointNote(forger, ORIGIN, 40, root), 40);
      const result = await verifyAfresh();
      expect(result).toMatchObject({ ok: false, index: 40 });
      expect(result.ok ? '' : result.reason).toMatch(/bad signature.*wrong key/);
      // With the forger's key it would pass: the published key is what makes the difference.
      const again = await openLedger({ storage, signer, origin: ORIGIN });
      try {
        expect(await again.verify(forger.verifierKey())).toMatchObject({ ok: true, size: 40 });
      } finally {
        await again.close();
      }
    });

    it('names rewritten history when the tree is recomputed but the checkpoint left alone', async () => {
      await rewriteTree(raw, (leaf, idx) => (idx === 5 ? leaf.replace('"masked"', '"allowed"') : leaf));
      const result = await verifyAfresh();
      expect(result).toMatchObject({ ok: false, index: 39 });
      expect(result.ok ? '' : result.reason).toMatch(/rewritten history/);
    });
  });
}

/** Rewrites every leaf through `edit` and replaces the stored tree with one recomputed over them; returns the new root. */
async function rewriteTree(raw: Raw, edit: (leaf: string, idx: number) => string): Promise<Buffer> {
  const rows = await raw.all<{ idx: number | string; leaf: string }>('SELECT idx, leaf FROM ledger_entries ORDER BY idx');
  const tree = new TreeBuilder();
  for (const r of rows) {
    const leaf = edit(r.leaf, Number(r.idx));
    if (leaf !== r.leaf) await raw.run('UPDATE ledger_entries SET leaf = ? WHERE idx = ?', leaf, Number(r.idx));
    tree.push(leafHash(leaf));
  }
  await raw.run('DELETE FROM ledger_tiles');
  for (const t of tree.takeChanged()) await raw.run('INSERT INTO ledger_tiles (level, idx, hashes) VALUES (?, ?, ?)', t.level, t.index, Buffer.from(t.hashes));
  return tree.root();
}
