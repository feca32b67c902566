/**
 * The ledger on SQLite: appends/s with 1 and 64 concurrent writers (Merkle tree maintained, durable group
 * commit), against plain hash chaining in memory and a bare SQLite batched insert in the same run; verify
 * rate; inclusion proof latency and "who saw X" latency at the final size.
 * Size: BENCH_LEDGER_EVENTS (default 200,000).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { canonicalJson, loadOrCreateLedgerKey, openLedger, type AccessEvent } from '../src/ledger/index.js';
import { fmt, median, percentile } from './stats.js';

const event = (i: number): AccessEvent => ({
  id: `e-${i}`,
  time: new Date(Date.UTC(2026, 0, 1) + i * 10).toISOString(),
  actor: `u${String(i % 300).padStart(4, '0')}`,
  action: 'view',
  system: 'bench',
  subjects: [`c${String((i * 7919) % 100_000).padStart(6, '0')}`],
  fields: ['name', 'mobile'],
  outcome: 'masked',
});

async function appendRate(dir: string, name: string, total: number, writers: number, start: number): Promise<number> {
  const { signer } = await loadOrCreateLedgerKey(dir, 'bench/ledger');
  const ledger = await openLedger({ storage: { kind: 'sqlite', file: join(dir, `${name}.db`) }, signer, origin: 'bench/ledger' });
  let next = start;
  const end = start + total;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      // Each writer keeps up to 16 appends in flight (a server's requests), so batches form.
      while (next < end) {
        const wave: Promise<unknown>[] = [];
        for (let k = 0; k < 16 && next < end; k++) wave.push(ledger.append(event(next++)));
        await Promise.all(wave);
      }
    }),
  );
  const rate = total / ((performance.now() - t) / 1000);
  await ledger.close();
  return rate;
}

export async function run(): Promise<void> {
  const total = Number(process.env['BENCH_LEDGER_EVENTS'] ?? 200_000);
  const dir = await mkdtemp(join(tmpdir(), 'custos-bench-ledger-'));
  try {
    // Baselines in the same run: SHA-256 chaining of the canonical leaves alone, and a bare batched insert.
    const events = Array.from({ length: total }, (_, i) => event(i));
    let t = performance.now();
    let chain = Buffer.alloc(32);
    for (const e of events) chain = createHash('sha256').update(chain).update(canonicalJson(e)).digest();
    const chainRate = total / ((performance.now() - t) / 1000);

    const raw = new SQLite(join(dir, 'bare.db'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = FULL');
    raw.exec('CREATE TABLE t (idx INTEGER PRIMARY KEY, leaf TEXT NOT NULL)');
    const ins = raw.prepare('INSERT INTO t (idx, leaf) VALUES (?, ?)');
    const batch = raw.transaction((from: number) => {
      for (let i = from; i < Math.min(from + 1000, total); i++) ins.run(i, canonicalJson(events[i]!));
    });
    t = performance.now();
    for (let i = 0; i < total; i += 1000) batch(i);
    const bareRate = total / ((performance.now() - t) / 1000);
    raw.close();

    const one = await appendRate(dir, 'one', Math.min(total, 20_000), 1, 0);
    const many = await appendRate(dir, 'many', total, 64, 0);
    process.stdout.write(`ledger appends, ${total.toLocaleString('en')} events (durable, Merkle tiles maintained):\n`);
    process.stdout.write(`  baseline: SHA-256 chaining in memory ${fmt(chainRate, 0)}/s; bare SQLite batched insert ${fmt(bareRate, 0)}/s\n`);
    process.stdout.write(`  1 writer (16 in flight) ${fmt(one, 0)}/s; 64 writers ${fmt(many, 0)}/s = ${fmt(many / bareRate, 2)}× bare insert (target ≥ 150,000/s)\n`);

    const { signer } = await loadOrCreateLedgerKey(dir, 'bench/ledger');
    const ledger = await openLedger({ storage: { kind: 'sqlite', file: join(dir, 'many.db') }, signer, origin: 'bench/ledger' });
    t = performance.now();
    const v = await ledger.verify();
    const verifyRate = total / ((performance.now() - t) / 1000);
    if (!v.ok) throw new Error(`verify failed: ${v.reason}`);
    const proofs: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const s = performance.now();
      await ledger.inclusionProof((i * 104_729) % total);
      proofs.push(performance.now() - s);
    }
    proofs.sort((a, b) => a - b);
    const who: number[] = [];
    for (let i = 0; i < 200; i++) {
      const s = performance.now();
      await ledger.events({ subject: `c${String((i * 7919) % 100_000).padStart(6, '0')}`, limit: 1000 });
      who.push(performance.now() - s);
    }
    await ledger.close();
    process.stdout.write(`  verify ${fmt(verifyRate, 0)} events/s (target ≥ 300,000)\n`);
    process.stdout.write(`  inclusion proof at ${total.toLocaleString('en')}: p50 ${fmt(median(proofs) * 1000, 0)} µs, p99 ${fmt(percentile(proofs, 99) * 1000, 0)} µs (target ≤ 1 ms at 10M)\n`);
    process.stdout.write(`  who saw X: p50 ${fmt(median(who), 2)} ms, p99 ${fmt(percentile(who.sort((a, b) => a - b), 99), 2)} ms (target ≤ 50 ms at 10M)\n`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
