/**
 * The ledger: appends/s with 1 and 64 concurrent writers (Merkle tree maintained, durable group commit),
 * against plain SHA-256 hash chaining and a bare batched SQLite insert measured in the same run; how fast the
 * query indexes catch up; verify rate; inclusion-proof and "who saw X" latency at the final size. On SQLite,
 * and on PostgreSQL when it answers (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/test).
 *
 * Size: BENCH_LEDGER_EVENTS (default 200,000; the issue's latency targets are at 10,000,000, which takes several
 * minutes per store). BENCH_LEDGER_STORES=sqlite,postgres picks the stores.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { canonicalJson, loadOrCreateLedgerKey, openLedger, type AccessEvent, type LedgerSigner, type LedgerStorage } from '../src/ledger/index.js';
import { dropPostgresSchema } from '../src/store/index.js';
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

const say = (s: string): void => void process.stdout.write(`${s}\n`);

async function appendRate(storage: LedgerStorage, signer: LedgerSigner, total: number, writers: number): Promise<number> {
  const ledger = await openLedger({ storage, signer, origin: 'bench/ledger' });
  let next = 0;
  let reported = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      // Each writer keeps up to 16 appends in flight (a server's requests), so batches form.
      while (next < total) {
        const wave: Promise<unknown>[] = [];
        for (let k = 0; k < 16 && next < total; k++) wave.push(ledger.append(event(next++)));
        await Promise.all(wave);
        if (total >= 2_000_000 && next - reported >= 1_000_000) {
          reported = next;
          say(`    … ${fmt(next / 1e6, 0)}M appended`);
        }
      }
    }),
  );
  const rate = total / ((performance.now() - t) / 1000);
  await ledger.close();
  return rate;
}

/** Baselines on the same machine in the same run: SHA-256 chaining of the canonical leaves, a bare batched insert. */
function baselines(dir: string, n: number): { chain: number; bare: number } {
  const events = Array.from({ length: n }, (_, i) => event(i));
  let t = performance.now();
  let chain = Buffer.alloc(32);
  for (const e of events) chain = createHash('sha256').update(chain).update(canonicalJson(e)).digest();
  const chainRate = n / ((performance.now() - t) / 1000);

  const raw = new SQLite(join(dir, 'bare.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec('CREATE TABLE t (idx INTEGER PRIMARY KEY, leaf TEXT NOT NULL)');
  const ins = raw.prepare('INSERT INTO t (idx, leaf) VALUES (?, ?)');
  const batch = raw.transaction((from: number) => {
    for (let i = from; i < Math.min(from + 1000, n); i++) ins.run(i, canonicalJson(events[i]!));
  });
  t = performance.now();
  for (let i = 0; i < n; i += 1000) batch(i);
  const bareRate = n / ((performance.now() - t) / 1000);
  raw.close();
  return { chain: chainRate, bare: bareRate };
}

async function measure(name: string, storage: (label: string) => LedgerStorage, signer: LedgerSigner, total: number, bare: number): Promise<void> {
  const one = await appendRate(storage('one'), signer, Math.min(total, 20_000), 1);
  const many = await appendRate(storage('many'), signer, total, 64);
  say(`  ${name}: 1 writer (16 in flight) ${fmt(one, 0)}/s; 64 writers ${fmt(many, 0)}/s = ${fmt(many / bare, 2)}× bare insert (target ≥ 150,000/s)`);

  const ledger = await openLedger({ storage: storage('many'), signer, origin: 'bench/ledger' });
  try {
    const lag = await ledger.indexLag();
    let t = performance.now();
    while ((await ledger.indexLag()) > 0) await new Promise((r) => setTimeout(r, 20));
    const caught = (performance.now() - t) / 1000;
    say(`  ${name}: query indexes ${lag === 0 ? 'kept in the append transaction (no lag)' : `${fmt(lag, 0)} entries behind after the appends, caught up in ${fmt(caught, 1)} s (${fmt(lag / caught, 0)}/s)`}`);

    t = performance.now();
    const v = await ledger.verify();
    const verifyRate = total / ((performance.now() - t) / 1000);
    if (!v.ok) throw new Error(`verify failed at ${v.index}: ${v.reason}`);
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
    who.sort((a, b) => a - b);
    say(`  ${name}: verify ${fmt(verifyRate, 0)} events/s (target ≥ 300,000)`);
    say(`  ${name}: inclusion proof at ${total.toLocaleString('en')}: p50 ${fmt(median(proofs) * 1000, 0)} µs, p99 ${fmt(percentile(proofs, 99) * 1000, 0)} µs (target ≤ 1 ms at 10M)`);
    say(`  ${name}: who saw X (${fmt(total / 100_000, 0)} entries per customer): p50 ${fmt(median(who), 2)} ms, p99 ${fmt(percentile(who, 99), 2)} ms (target ≤ 50 ms at 10M)`);
  } finally {
    await ledger.close();
  }
}

async function pgAnswers(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

export async function run(): Promise<void> {
  const total = Number(process.env['BENCH_LEDGER_EVENTS'] ?? 200_000);
  if (!Number.isSafeInteger(total) || total < 1000 || total > 100_000_000) throw new RangeError('BENCH_LEDGER_EVENTS must be 1,000 … 100,000,000');
  const stores = new Set((process.env['BENCH_LEDGER_STORES'] ?? 'sqlite,postgres').split(','));
  const pgUrl = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const dir = await mkdtemp(join(tmpdir(), 'custos-bench-ledger-'));
  const schemas: string[] = [];
  try {
    const { signer } = await loadOrCreateLedgerKey(dir, 'bench/ledger');
    const base = baselines(dir, Math.min(total, 500_000));
    say(`ledger, ${total.toLocaleString('en')} events (durable appends, Merkle tiles maintained):`);
    say(`  baseline: SHA-256 chaining in memory ${fmt(base.chain, 0)}/s; bare SQLite batched insert ${fmt(base.bare, 0)}/s`);
    if (stores.has('sqlite')) await measure('SQLite', (label) => ({ kind: 'sqlite', file: join(dir, `${label}.db`) }), signer, total, base.bare);
    if (stores.has('postgres')) {
      if (!(await pgAnswers(pgUrl))) say('  PostgreSQL: skipped (no server at BENCH_PG_URL)');
      else {
        const ids = new Map<string, string>();
        const storage = (label: string): LedgerStorage => {
          if (!ids.has(label)) {
            ids.set(label, `custos_bench_${label}_${randomBytes(4).toString('hex')}`);
            schemas.push(ids.get(label)!);
          }
          return { kind: 'postgres', url: pgUrl, schema: ids.get(label)! };
        };
        await measure('PostgreSQL', storage, signer, total, base.bare);
      }
    }
  } finally {
    for (const s of schemas) await dropPostgresSchema(pgUrl, s).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
