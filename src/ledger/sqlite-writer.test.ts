import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBackend, type LedgerBackend, type StoredRow } from './ledger-backend.js';

const row = (idx: number, eventId = `e${idx}`): StoredRow => ({
  idx,
  event_id: eventId,
  time: '2026-11-22T10:00:00.000Z',
  actor: 'u1',
  leaf: `{"id":"${eventId}"}`,
  chain: '00'.repeat(32),
  subjects: [`c${idx}`],
});

describe('SQLite ledger writer thread', () => {
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
    // Row 3 repeats an event id: the whole batch (2, 3) must fail.
    await expect(backend.appendBatch([row(2), row(3, "e0")], [])).rejects.toThrow(/ledger write failed/);
    expect(await backend.size()).toBe(2);
    expect(await backend.query({ subject: 'c2' }, 10)).toEqual([]);
    // The writer keeps working after a failed batch.
    await backend.appendBatch([row(2)], []);
    expect((await backend.range(0, 10)).map((r) => r.idx)).toEqual([0, 1, 2]);
  });

  it('rejects writes after close instead of dropping them', async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-writer-'));
    const b = await openBackend({ kind: 'sqlite', file: join(dir, 'ledger.db') });
    await b.close();
    await expect(b.appendBatch([row(0)], [])).rejects.toThrow();
  });
});
