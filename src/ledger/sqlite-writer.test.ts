import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openBackend, type AppendRow, type LedgerBackend } from './ledger-backend.js';
import { leafHash, rootOf } from './merkle.js';
import { indexFileFor } from './sqlite-backend.js';
import { TreeBuilder } from './tree-builder.js';

const row = (idx: number): AppendRow => ({
  idx,
  leaf: `{"actor":"u1","id":"e${idx}","subjects":["c${idx}"],"time":"2026-11-22T10:00:00.000Z"}`,
  actor: 'u1',
  time: '2026-11-22T10:00:00.000Z',
  subjects: [`c${idx}`],
});

function rebuilt(leaves: readonly string[]): TreeBuilder {
  const tree = new TreeBuilder();
  for (const l of leaves) tree.push(leafHash(l));
  return tree;
}

async function waitFor(cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200 && !(await cond()); i++) await new Promise((r) => setTimeout(r, 25));
}

describe('SQLite ledger writer and indexer threads', () => {
  let dir = '';
  let backend: LedgerBackend | undefined;
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('commits a batch atomically: a failing batch rejects and leaves nothing of itself behind', async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-writer-'));
    backend = await openBackend({ kind: 'sqlite', file: join(dir, 'ledger.db') });
    await backend.appendBatch([row(0), row(1)], []);
    expect(await backend.size()).toBe(2);
    // Storage refuses row 3 (a trigger stands in for a failing disk): the whole batch (2, 3) must fail.
    const raw = new SQLite(join(dir, 'ledger.db'));
    raw.exec(`CREATE TRIGGER refuse BEFORE INSERT ON ledger_entries WHEN NEW.idx = 3 BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    raw.close();
    await expect(backend.appendBatch([row(2), row(3)], [])).rejects.toThrow(/ledger write failed/);
    expect(await backend.size()).toBe(2);
    expect(await backend.query({ subject: 'c2' }, 10)).toEqual([]);
    // The writer keeps working after a failed batch.
    await backend.appendBatch([row(2)], []);
    expect((await backend.range(0, 10)).map((r) => r.idx)).toEqual([0, 1, 2]);
    expect((await backend.query({ subject: 'c2' }, 10)).map((r) => r.idx)).toEqual([2]);
  });

  it('keeps the tree on its thread: hashes leaves into it, writes their tiles with them, and wants a new seed after a failure', async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-writer-'));
    const file = join(dir, 'ledger.db');
    backend = await openBackend({ kind: 'sqlite', file });
    const own = backend.ownTree!;
    const leaves = Array.from({ length: 40 }, (_, i) => row(i).leaf);
    // Not seeded: refused, nothing written.
    await expect(own.appendLeaves(0, leaves.slice(0, 2))).rejects.toMatchObject({ code: 'CUSTOS_LEDGER_TREE_STATE' });
    expect(await backend.size()).toBe(0);
    await own.seedTree(new TreeBuilder().seed());
    const root = await own.appendLeaves(0, leaves.slice(0, 20));
    expect(root.equals(rootOf(leaves.slice(0, 20).map((l) => leafHash(l))))).toBe(true);
    // A batch that does not follow on is refused.
    await expect(own.appendLeaves(19, leaves.slice(19, 21))).rejects.toMatchObject({ code: 'CUSTOS_LEDGER_TREE_STATE' });
    await own.seedTree(rebuilt(leaves.slice(0, 20)).seed());
    // The storage refuses entry 25: the batch fails whole, and the thread forgets its tree (now ahead of the disk).
    const raw = new SQLite(file);
    raw.exec(`CREATE TRIGGER refuse BEFORE INSERT ON ledger_entries WHEN NEW.idx = 25 BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    await expect(own.appendLeaves(20, leaves.slice(20, 30))).rejects.toThrow(/ledger write failed/);
    expect(await backend.size()).toBe(20);
    raw.exec('DROP TRIGGER refuse');
    await expect(own.appendLeaves(20, leaves.slice(20, 30))).rejects.toMatchObject({ code: 'CUSTOS_LEDGER_TREE_STATE' });
    await own.seedTree(rebuilt(leaves.slice(0, 20)).seed());
    const after = await own.appendLeaves(20, leaves.slice(20, 40));
    expect(after.equals(rootOf(leaves.map((l) => leafHash(l))))).toBe(true);
    // The tiles it wrote are the tiles of the whole tree.
    const whole = rebuilt(leaves);
    const want = new Map(whole.takeChanged().map((t) => [`${t.level}/${t.index}`, t.hashes.toString('hex')]));
    const got = new Map((raw.prepare('SELECT level, idx, hashes FROM ledger_tiles').all() as { level: number; idx: number; hashes: Buffer }[]).map((t) => [`${t.level}/${t.idx}`, t.hashes.toString('hex')]));
    raw.close();
    expect(got).toEqual(want);
  });

  it('rejects writes after close instead of dropping them', async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-writer-'));
    const b = await openBackend({ kind: 'sqlite', file: join(dir, 'ledger.db') });
    await b.close();
    await expect(b.appendBatch([row(0)], [])).rejects.toThrow();
  });

  it('answers queries completely before, while and after the indexer catches up, and rebuilds a stale index', async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-writer-'));
    const file = join(dir, 'ledger.db');
    backend = await openBackend({ kind: 'sqlite', file });
    const rows = Array.from({ length: 50 }, (_, i) => ({ ...row(i), subjects: [`c${i % 5}`], actor: `u${i % 3}` }));
    const withKeys = rows.map((r) => ({ ...r, leaf: JSON.stringify({ actor: r.actor, id: `e${r.idx}`, subjects: r.subjects, time: r.time }) }));
    await backend.appendBatch(withKeys, []);
    const expectC2 = withKeys.filter((r) => r.subjects[0] === 'c2').map((r) => r.idx);
    // Right after the append (tail scan) and once indexed: the same answer.
    expect((await backend.query({ subject: 'c2' }, 100)).map((r) => r.idx)).toEqual(expectC2);
    await waitFor(async () => (await backend!.indexLag()) === 0);
    expect(await backend.indexLag()).toBe(0);
    expect((await backend.query({ subject: 'c2' }, 100)).map((r) => r.idx)).toEqual(expectC2);
    expect((await backend.query({ actor: 'u1' }, 3)).map((r) => r.idx)).toEqual([1, 4, 7]);
    expect((await backend.query({ subject: 'c2', actor: 'u1' }, 100)).map((r) => r.idx)).toEqual(expectC2.filter((i) => i % 3 === 1));
    expect((await backend.query({ from: '2026-11-22T10:00:00.000Z', to: '2026-11-22T10:00:00.000Z' }, 5)).map((r) => r.idx)).toEqual([0, 1, 2, 3, 4]);
    expect(await backend.query({ from: '2026-11-23T00:00:00.000Z' }, 5)).toEqual([]);
    await backend.close();
    backend = undefined;
    // Replace the ledger with a different one: the old index must not answer for it.
    await rm(file);
    await rm(`${file}-wal`, { force: true });
    await rm(`${file}-shm`, { force: true });
    backend = await openBackend({ kind: 'sqlite', file });
    await backend.appendBatch([{ ...row(0), leaf: row(0).leaf.replace('"c0"', '"zz"'), subjects: ['zz'] }], []);
    expect(await backend.query({ subject: 'c2' }, 100)).toEqual([]);
    expect((await backend.query({ subject: 'zz' }, 100)).map((r) => r.idx)).toEqual([0]);
  });

  it('answers a time range for a subject exactly, with event times out of order, and rebuilds an index of an older layout', async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-writer-'));
    const file = join(dir, 'ledger.db');
    // An index file as an earlier version wrote it (postings with a time column).
    const old = new SQLite(indexFileFor(file));
    old.exec("CREATE TABLE ledger_subjects (subject TEXT, idx INTEGER, time TEXT); INSERT INTO ledger_subjects VALUES ('c1', 99, 'x')");
    old.close();
    backend = await openBackend({ kind: 'sqlite', file });
    // Minutes 10:00 … 10:59, shuffled: index order is not time order.
    const minutes = Array.from({ length: 60 }, (_, i) => (i * 37) % 60);
    const rows = minutes.map((m, idx) => {
      const time = `2026-11-22T10:${String(m).padStart(2, '0')}:00.000Z`;
      return { idx, actor: 'u1', time, subjects: [`c${idx % 2}`], leaf: JSON.stringify({ actor: 'u1', id: `e${idx}`, subjects: [`c${idx % 2}`], time }) };
    });
    await backend.appendBatch(rows, []);
    const want = rows.filter((r) => r.subjects[0] === 'c1' && r.time >= '2026-11-22T10:10:00.000Z' && r.time <= '2026-11-22T10:20:00.000Z').map((r) => r.idx);
    expect(want.length).toBeGreaterThan(2);
    const q = { subject: 'c1', from: '2026-11-22T10:10:00.000Z', to: '2026-11-22T10:20:00.000Z' };
    expect((await backend.query(q, 100)).map((r) => r.idx)).toEqual(want);
    await waitFor(async () => (await backend!.indexLag()) === 0);
    expect((await backend.query(q, 100)).map((r) => r.idx)).toEqual(want);
    // The old file was thrown away and rebuilt in the current layout.
    const ix = new SQLite(indexFileFor(file), { readonly: true });
    expect((ix.pragma('table_info(ledger_subjects)') as { name: string }[]).map((c) => c.name)).toEqual(['subject', 'idx']);
    expect(ix.prepare('SELECT COUNT(*) FROM ledger_subjects WHERE idx = 99').pluck().get()).toBe(0);
    ix.close();
  });
});
