import { createPublicKey, verify } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VERIFY_PAGE } from './verify-pool.js';
import { leafHash, loadOrCreateLedgerKey, openLedger, verifyConsistency, verifyInclusion, type AccessEvent, type Ledger } from './index.js';

let dir: string;
let ledger: Ledger;

function event(n: number, subject = `c${String(n % 7).padStart(6, '0')}`): AccessEvent {
  return {
    id: `e-${n}`,
    time: new Date(Date.UTC(2026, 2, 2, 9, 0, n)).toISOString(),
    actor: `u${String(n % 3).padStart(4, '0')}`,
    action: 'view',
    system: 'test',
    subjects: [subject],
    fields: ['name'],
    outcome: 'masked',
  };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custos-ledger-'));
  const { signer } = await loadOrCreateLedgerKey(dir, 'custos.test/ledger');
  ledger = await openLedger({ storage: { kind: 'sqlite', file: join(dir, 'ledger.db') }, signer, origin: 'custos.test/ledger' });
});

afterEach(async () => {
  await ledger.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the ledger', () => {
  it('gives concurrent appends distinct, contiguous indexes and keeps every one', async () => {
    const acks = await Promise.all(Array.from({ length: 500 }, (_, i) => ledger.append(event(i))));
    expect(acks.map((a) => a.index).sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(await ledger.size()).toBe(500);
    expect(await ledger.verify()).toMatchObject({ ok: true, size: 500 });
  });

  it('verifies a genuine ledger whose leaves the fast scanner leaves to the reference (escaped detail keys)', async () => {
    const odd = [{ 'k"q': 1 }, { 'a\\b': 'x', plain: [1, 'y'] }, { 'tab\tkey': { 'nl\nkey': null } }];
    for (let i = 0; i < 12; i++) await ledger.append(i % 4 === 3 ? event(i) : { ...event(i), action: 'admin', detail: odd[i % 4]! });
    expect(await ledger.verify()).toMatchObject({ ok: true, size: 12 });
  });

  it('answers who saw a customer and what an actor saw', async () => {
    for (let i = 0; i < 30; i++) await ledger.append(event(i));
    const bySubject = await ledger.events({ subject: 'c000003' });
    expect(bySubject.map((e) => e.event.id)).toEqual(['e-3', 'e-10', 'e-17', 'e-24']);
    const byActor = await ledger.events({ actor: 'u0001', from: '2026-03-02T09:00:10.000Z' });
    expect(byActor.every((e) => e.event.actor === 'u0001' && e.event.time >= '2026-03-02T09:00:10.000Z')).toBe(true);
    expect(byActor.length).toBe(7);
  });

  it('refuses an event that does not match the event format and writes nothing', async () => {
    await expect(ledger.append({ ...event(1), action: 'peek' } as unknown as AccessEvent)).rejects.toMatchObject({ code: 'CUSTOS_LEDGER_BAD_EVENT' });
    expect(await ledger.size()).toBe(0);
  });

  it('signs checkpoints that verify with the published key', async () => {
    for (let i = 0; i < 5; i++) await ledger.append(event(i));
    const cp = await ledger.checkpoint();
    expect(cp.size).toBe(5);
    const [body, sigLine] = cp.note.split('\n\n');
    expect(body).toBe(`custos.test/ledger\n5\n${cp.root}`);
    const sig = Buffer.from(sigLine!.trim().split(' ')[2]!, 'base64');
    const { signer } = await loadOrCreateLedgerKey(dir, 'custos.test/ledger');
    expect(sig.subarray(0, 4)).toEqual(signer.keyHash);
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), signer.publicKey]);
    const pub = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(verify(null, Buffer.from(`${body}\n`), pub, sig.subarray(4))).toBe(true);
  });

  it('proves inclusion and consistency from the stored tree, for every entry and size, across a restart', async () => {
    await Promise.all(Array.from({ length: 37 }, (_, i) => ledger.append(event(i))));
    const first = await ledger.checkpoint();
    await ledger.close();
    // Reopen: the tree continues from storage, not from memory.
    const { signer } = await loadOrCreateLedgerKey(dir, 'custos.test/ledger');
    ledger = await openLedger({ storage: { kind: 'sqlite', file: join(dir, 'ledger.db') }, signer, origin: 'custos.test/ledger', checkpointEvery: 10 });
    for (let i = 37; i < 70; i++) await ledger.append(event(i));
    const cp = await ledger.checkpoint();
    const root = Buffer.from(cp.root, 'base64');
    const entries = await ledger.events({ limit: 100 });
    for (const n of [1, 2, 7, 16, 17, 37, 64, 70]) {
      for (let i = 0; i < n; i++) {
        const p = await ledger.inclusionProof(i, n);
        expect(p.leafHash).toBe(leafHash(entries[i]!.leaf).toString('hex'));
        expect(verifyInclusion(i, n, Buffer.from(p.leafHash, 'hex'), p.proof.map((h) => Buffer.from(h, 'hex')), Buffer.from(p.root, 'hex'))).toBe(true);
      }
    }
    const latest = await ledger.inclusionProof(5);
    expect(Buffer.from(latest.root, 'hex').equals(root)).toBe(true);
    for (let m = 1; m <= 70; m++) {
      const c = await ledger.consistencyProof(m, 70);
      expect(verifyConsistency(m, 70, Buffer.from(c.fromRoot, 'hex'), root, c.proof.map((h) => Buffer.from(h, 'hex')))).toBe(true);
    }
    const fromFirst = await ledger.consistencyProof(37, 70);
    expect(Buffer.from(fromFirst.fromRoot, 'hex').toString('base64')).toBe(first.root);
    await expect(ledger.inclusionProof(70)).rejects.toMatchObject({ code: 'CUSTOS_LEDGER_BAD_RANGE' });
    await expect(ledger.consistencyProof(0, 5)).rejects.toMatchObject({ code: 'CUSTOS_LEDGER_BAD_RANGE' });
    expect(await ledger.verify()).toMatchObject({ ok: true, size: 70, root: root.toString('hex') });
  });

  it('after a failed batch, rejects exactly that batch, retries the one prepared behind it, leaves no gap, and goes on', async () => {
    await ledger.close();
    const { signer } = await loadOrCreateLedgerKey(dir, 'custos.test/ledger');
    ledger = await openLedger({ storage: { kind: 'sqlite', file: join(dir, 'ledger.db') }, signer, origin: 'custos.test/ledger', maxBatch: 50 });
    for (let i = 0; i < 10; i++) await ledger.append(event(i));
    // Storage refuses one event (a trigger stands in for a failing disk), so its batch's transaction fails;
    // appends around it are in flight.
    const raw = new SQLite(join(dir, 'ledger.db'));
    raw.exec(`CREATE TRIGGER poison BEFORE INSERT ON ledger_entries WHEN NEW.leaf LIKE '%"id":"poison"%' BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    raw.close();
    const attempts = [...Array.from({ length: 300 }, (_, i) => event(100 + i)), { ...event(3), id: 'poison' }, ...Array.from({ length: 300 }, (_, i) => event(400 + i))];
    const settled = await Promise.allSettled(attempts.map((e) => ledger.append(e)));
    const acked = settled.filter((r) => r.status === 'fulfilled').length;
    expect(settled[300]!.status).toBe('rejected');
    // Batches of 50: only the batch holding the repeated id (attempts 300-349) fails.
    expect(settled.map((r, i) => (r.status === 'rejected' ? i : -1)).filter((i) => i >= 0)).toEqual(Array.from({ length: 50 }, (_, i) => 300 + i));
    expect(await ledger.size()).toBe(10 + acked);
    expect(await ledger.verify()).toMatchObject({ ok: true, size: 10 + acked });
    const indexes = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value.index] : [])).sort((a, b) => a - b);
    expect(indexes).toEqual(Array.from({ length: acked }, (_, i) => 10 + i));
    await ledger.append(event(999));
    expect(await ledger.verify()).toMatchObject({ ok: true, size: 11 + acked });
    const cp = await ledger.checkpoint();
    const proof = await ledger.inclusionProof(10 + acked, cp.size);
    expect(Buffer.from(proof.root, 'hex').toString('base64')).toBe(cp.root);
  });

  it('hands appends that arrive while a batch is written to the writer early, first come first written, and still rejects exactly the failed batch', async () => {
    await ledger.close();
    const { signer } = await loadOrCreateLedgerKey(dir, 'custos.test/ledger');
    ledger = await openLedger({ storage: { kind: 'sqlite', file: join(dir, 'ledger.db') }, signer, origin: 'custos.test/ledger', maxBatch: 50, eagerBatch: 20 });
    for (let i = 0; i < 10; i++) await ledger.append(event(i));
    const raw = new SQLite(join(dir, 'ledger.db'));
    raw.exec(`CREATE TRIGGER poison BEFORE INSERT ON ledger_entries WHEN NEW.leaf LIKE '%"id":"poison"%' BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    raw.close();
    // Waves as a server's requests come: 32 writers keep 8 appends each in flight, so every wave after the first
    // arrives while batches are being written (and is handed over 20 at a time, in batches of at most 50).
    const total = 3000;
    const poisonAt = 1500;
    const outcomes: ('acked' | 'rejected')[] = [];
    const indexes: number[] = [];
    const indexOf: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < total) {
          const wave: Promise<void>[] = [];
          for (let k = 0; k < 8 && next < total; k++) {
            const at = next++;
            const e = at === poisonAt ? { ...event(at), id: 'poison' } : event(10 + at);
            wave.push(
              ledger.append(e).then(
                (a) => void ((outcomes[at] = 'acked'), indexes.push(a.index), (indexOf[at] = a.index)),
                () => void (outcomes[at] = 'rejected'),
              ),
            );
          }
          await Promise.all(wave);
        }
      }),
    );
    // The appends rejected are one batch, in the order they were made, and hold the poisoned one.
    const rejected = outcomes.flatMap((o, i) => (o === 'rejected' ? [i] : []));
    expect(rejected).toContain(poisonAt);
    expect(rejected.length).toBeLessThanOrEqual(50);
    expect(rejected[rejected.length - 1]! - rejected[0]!).toBe(rejected.length - 1);
    expect(outcomes.filter((o) => o === 'acked').length).toBe(total - rejected.length);
    expect(indexes.sort((a, b) => a - b)).toEqual(Array.from({ length: total - rejected.length }, (_, i) => 10 + i));
    // First come, first written: the acknowledged appends hold indexes in the order they were made.
    const inCallOrder = indexOf.filter((i) => i !== undefined);
    expect(inCallOrder).toEqual([...inCallOrder].sort((a, b) => a - b));
    expect(await ledger.size()).toBe(10 + total - rejected.length);
    expect(await ledger.verify()).toMatchObject({ ok: true, size: 10 + total - rejected.length });
  });

  it('rejects appends after it is closed, so callers fail closed', async () => {
    await ledger.close();
    await expect(ledger.append(event(1))).rejects.toMatchObject({ code: 'CUSTOS_LEDGER_CLOSED' });
  });

  it('verifies a ledger of several pages on the verification threads: the same root, the checkpoint inside a page, and the first bad entry in index order', async () => {
    const n = 2 * VERIFY_PAGE + 1234;
    await Promise.all(Array.from({ length: 10_000 }, (_, i) => ledger.append(event(i))));
    const cp = await ledger.checkpoint();
    await Promise.all(Array.from({ length: n - 10_000 }, (_, i) => ledger.append(event(10_000 + i))));
    const ok = await ledger.verify();
    expect(ok).toMatchObject({ ok: true, size: n });
    expect(ok.ok && ok.root).toBe((await ledger.inclusionProof(0)).root);
    expect(cp.size).toBe(10_000);
    await ledger.close();
    const file = join(dir, 'ledger.db');
    const raw = new SQLite(file);
    const set = raw.prepare('UPDATE ledger_entries SET leaf = ? WHERE idx = ?');
    const leafAt = (i: number): string => raw.prepare('SELECT leaf FROM ledger_entries WHERE idx = ?').pluck().get(i) as string;
    const reopen = async (): Promise<Ledger> => openLedger({ storage: { kind: 'sqlite', file }, signer: (await loadOrCreateLedgerKey(dir, 'custos.test/ledger')).signer, origin: 'custos.test/ledger' });
    // A changed leaf in the third page, then also a deleted entry in the second, then a raw newline in the first.
    set.run(leafAt(2 * VERIFY_PAGE + 7).replace('"u0', '"x0'), 2 * VERIFY_PAGE + 7);
    ledger = await reopen();
    const changed = await ledger.verify();
    expect(changed).toMatchObject({ ok: false, index: 2 * VERIFY_PAGE + 7 });
    expect(!changed.ok && changed.reason).toMatch(/differs from the stored tree/);
    await ledger.close();
    raw.prepare('DELETE FROM ledger_entries WHERE idx = ?').run(VERIFY_PAGE + 3);
    ledger = await reopen();
    expect(await ledger.verify()).toMatchObject({ ok: false, index: VERIFY_PAGE + 3, reason: 'missing entry (deleted)' });
    await ledger.close();
    set.run(leafAt(100).replace(',', ',\n'), 100);
    raw.close();
    ledger = await reopen();
    const newline = await ledger.verify();
    expect(newline).toMatchObject({ ok: false, index: 100 });
    expect(!newline.ok && newline.reason).toMatch(/not a canonical event/);
  }, 60_000);
});
