/**
 * The ledger: appends/s with 1 and 64 concurrent writers (Merkle tree maintained, durable group commit),
 * against plain SHA-256 hash chaining and a bare batched SQLite insert of the same leaves measured in the same
 * run; how far the query indexes (SQLite: their own thread) are behind at the last append and how fast they catch
 * up; SQLite's CPU time per append over all threads (fsync-per-batch rounds, from the first append until the indexes
 * caught up, the bench's own event making included); verify rate; inclusion-proof and "who saw X" latency at the
 * full size, "who saw X" both with the indexes caught up and during a burst of appends (up to 50,000 events appended
 * onto the full ledger, so a kept fixture grows by them). A wait for the indexes to catch up gives up with an error
 * when they make no progress for 60 s.
 * On SQLite, and on PostgreSQL when it answers (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/test).
 *
 * - BENCH_LEDGER_EVENTS: size of the ledger the latencies and verify are measured on (default 200,000; the
 *   issue's latency targets are at 10,000,000).
 * - BENCH_LEDGER_APPENDS: appends per append round, on a fresh ledger (default min(EVENTS, 200,000)).
 * - BENCH_LEDGER_ROUNDS: rounds of every timed part (default 3); medians are printed.
 * - BENCH_LEDGER_FIXTURES=DIR: keep the full-size ledger (SQLite in DIR, PostgreSQL in schema
 *   custos_bench_fx_<EVENTS>) and reuse it on the next run instead of building it again. The full-size ledger
 *   is built through the store's own batch write (the same rows and tiles appends write, 10,000 per transaction).
 * - BENCH_LEDGER_STORES=sqlite,postgres picks the stores.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { loadOrCreateLedgerKey, openLedger, type AccessEvent, type Ledger, type LedgerSigner, type LedgerStorage } from '../src/ledger/index.js';
import { eventLeaf } from '../src/ledger/event.js';
import { openBackend, type LedgerBackend } from '../src/ledger/ledger-backend.js';
import { leafHash } from '../src/ledger/merkle.js';
import { TreeBuilder } from '../src/ledger/tree-builder.js';
import { dropPostgresSchema } from '../src/store/index.js';
import { fmt, median, percentile } from './stats.js';

const CUSTOMERS = 100_000;

const event = (i: number): AccessEvent => ({
  id: `e-${i}`,
  time: new Date(Date.UTC(2026, 0, 1) + i * 10).toISOString(),
  actor: `u${String(i % 300).padStart(4, '0')}`,
  action: 'view',
  system: 'bench',
  subjects: [`c${String((i * 7919) % CUSTOMERS).padStart(6, '0')}`],
  fields: ['name', 'mobile'],
  outcome: 'masked',
});

const say = (s: string): void => void process.stdout.write(`${s}\n`);
const rate = (n: number, since: number): number => n / ((performance.now() - since) / 1000);

/** Longest the query indexes may go without getting closer to the ledger's size before the bench gives up. */
const STUCK_MS = 60_000;

/** Waits until the query indexes have caught up; throws when they make no progress for STUCK_MS (a failing indexer thread). */
async function caughtUp(ledger: Ledger, pollMs: number): Promise<void> {
  let best = Number.POSITIVE_INFINITY;
  let since = performance.now();
  for (let lag = await ledger.indexLag(); lag > 0; lag = await ledger.indexLag()) {
    if (lag < best) {
      best = lag;
      since = performance.now();
    } else if (performance.now() - since > STUCK_MS) {
      throw new Error(`the query indexes made no progress for ${STUCK_MS / 1000} s, ${lag.toLocaleString('en')} entries behind: the indexer thread is failing`);
    }
    await new Promise((w) => setTimeout(w, pollMs));
  }
}

/**
 * Appends/s; how far the query indexes were behind at the last append and how long they took to catch up after
 * it; and the CPU time of the whole process (all threads: the bench making its events, the event loop, the writer
 * and indexer threads) per append, from the first append until the indexes caught up (`process.cpuUsage`).
 */
async function appendRate(storage: LedgerStorage, signer: LedgerSigner, total: number, writers: number): Promise<{ rate: number; lag: number; catchUp: number; cpuUs: number }> {
  const ledger = await openLedger({ storage, signer, origin: 'bench/ledger' });
  let next = 0;
  const cpu = process.cpuUsage();
  const t = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async () => {
      // Each writer keeps up to 16 appends in flight (a server's requests), so batches form.
      while (next < total) {
        const wave: Promise<unknown>[] = [];
        for (let k = 0; k < 16 && next < total; k++) wave.push(ledger.append(event(next++)));
        await Promise.all(wave);
      }
    }),
  );
  const r = rate(total, t);
  const lag = await ledger.indexLag();
  const caught = performance.now();
  await caughtUp(ledger, 5);
  const catchUp = (performance.now() - caught) / 1000;
  const used = process.cpuUsage(cpu);
  await ledger.close();
  return { rate: r, lag, catchUp, cpuUs: (used.user + used.system) / total };
}

/**
 * Baselines on the same machine in the same run, over leaves made beforehand (so neither pays for building the
 * leaf): SHA-256 chaining in memory, and a bare insert of (index, leaf) rows, 1,000 per transaction, in WAL mode
 * with synchronous=NORMAL (as the embedded ledger by default) and FULL (as with CUSTOS_LEDGER_FSYNC=batch).
 */
function baselines(dir: string, n: number): { chain: number; bare: number; bareFull: number } {
  const leaves = Array.from({ length: n }, (_, i) => eventLeaf(event(i)));
  const t = performance.now();
  let chain = Buffer.alloc(32);
  for (const l of leaves) chain = createHash('sha256').update(chain).update(l).digest();
  const chainRate = rate(n, t);

  const bare = (sync: 'NORMAL' | 'FULL'): number => {
    const raw = new SQLite(join(dir, `bare-${randomBytes(4).toString('hex')}.db`));
    raw.pragma('journal_mode = WAL');
    raw.pragma(`synchronous = ${sync}`);
    raw.exec('CREATE TABLE t (idx INTEGER PRIMARY KEY, leaf TEXT NOT NULL)');
    const ins = raw.prepare('INSERT INTO t (idx, leaf) VALUES (?, ?)');
    const batch = raw.transaction((from: number) => {
      for (let i = from; i < Math.min(from + 1000, n); i++) ins.run(i, leaves[i]);
    });
    const start = performance.now();
    for (let i = 0; i < n; i += 1000) batch(i);
    const r = rate(n, start);
    raw.close();
    return r;
  };
  return { chain: chainRate, bare: bare('NORMAL'), bareFull: bare('FULL') };
}

/** Runs the store's own upkeep to the end (PostgreSQL: statistics, visibility map), as it would have done in the background. */
async function upkeep(backend: LedgerBackend): Promise<string> {
  if (backend.maintain === undefined) return '';
  const t = performance.now();
  await backend.maintain();
  return `; store upkeep (ANALYZE / VACUUM where due) ${fmt((performance.now() - t) / 1000, 1)} s`;
}

/** Builds a ledger of `total` entries through the store's batch write (the rows and tiles appends write), or finds it built. */
async function fixture(storage: LedgerStorage, total: number): Promise<string> {
  const backend = await openBackend(storage);
  try {
    const have = await backend.size();
    if (have >= total) return `reused (${have.toLocaleString('en')} entries)${await upkeep(backend)}`;
    if (have !== 0) throw new Error(`the kept fixture holds ${have} entries, fewer than ${total}: remove it`);
    const tree = new TreeBuilder();
    const t = performance.now();
    for (let from = 0; from < total; from += 10_000) {
      const rows = [];
      for (let i = from; i < Math.min(from + 10_000, total); i++) {
        const e = event(i);
        const leaf = eventLeaf(e);
        tree.push(leafHash(leaf));
        rows.push({ idx: i, leaf, actor: e.actor, time: e.time, subjects: e.subjects });
      }
      await backend.appendBatch(rows, tree.takeChanged());
      if ((from + 10_000) % 1_000_000 === 0) say(`    … ${fmt((from + 10_000) / 1e6, 0)}M written`);
    }
    return `built at ${fmt(rate(total, t), 0)}/s in batches of 10,000${await upkeep(backend)}`;
  } finally {
    await backend.close();
  }
}

interface Sizes {
  readonly total: number;
  readonly appends: number;
  readonly rounds: number;
}

/** Where appends go: a fresh ledger per label; `fsync` is the embedded ledger's mode (PostgreSQL has one). */
type Storages = (label: string, fsync?: 'checkpoint' | 'batch') => LedgerStorage;

async function measure(name: string, storage: Storages, full: LedgerStorage, signer: LedgerSigner, sizes: Sizes, dir: string): Promise<void> {
  const { total, appends, rounds } = sizes;
  const sqlite = full.kind === 'sqlite';
  const one: number[] = [];
  const many: number[] = [];
  const manyFull: number[] = [];
  const bare: number[] = [];
  const bareFull: number[] = [];
  const chain: number[] = [];
  const lags: string[] = [];
  const cpuFull: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const base = baselines(dir, Math.min(appends, 200_000));
    bare.push(base.bare);
    bareFull.push(base.bareFull);
    chain.push(base.chain);
    // SQLite: these two in CUSTOS_LEDGER_FSYNC=checkpoint (WAL commit, fsync with signed checkpoints); the default,
    // an fsync per batch, is measured next (manyFull).
    one.push((await appendRate(storage(`one${r}`, 'checkpoint'), signer, Math.min(appends, 20_000), 1)).rate);
    many.push((await appendRate(storage(`many${r}`, 'checkpoint'), signer, appends, 64)).rate);
    if (sqlite) {
      const full = await appendRate(storage(`full${r}`, 'batch'), signer, appends, 64);
      manyFull.push(full.rate);
      cpuFull.push(full.cpuUs);
      lags.push(`${full.lag.toLocaleString('en')} behind, caught up ${fmt(full.catchUp, 2)} s later`);
    }
    say(
      `    round ${r + 1}: 1 writer ${fmt(one[r]!, 0)}/s, 64 writers ${fmt(many[r]!, 0)}/s${sqlite ? ` (fsync every batch: ${fmt(manyFull[r]!, 0)}/s)` : ''}, bare insert ${fmt(base.bare, 0)}/s (synchronous=FULL: ${fmt(base.bareFull, 0)}/s), chaining ${fmt(base.chain, 0)}/s`,
    );
  }
  const ratio = (a: readonly number[], b: readonly number[]): string => fmt(median(a.map((m, i) => m / b[i]!)), 2);
  say(`  ${name}: appends of ${appends.toLocaleString('en')} events, median of ${rounds}: 1 writer (16 in flight) ${fmt(median(one), 0)}/s; 64 writers ${fmt(median(many), 0)}/s (target ≥ 150,000/s)`);
  if (sqlite) say(`  ${name}: 64 writers with an fsync per batch (CUSTOS_LEDGER_FSYNC=batch, the default) ${fmt(median(manyFull), 0)}/s; the other SQLite append figures are CUSTOS_LEDGER_FSYNC=checkpoint`);
  // The query indexes follow the appends on their own thread (answers stay complete meanwhile): their work is not
  // hidden from the figure above, it is done during it except for what is left at the last append.
  if (sqlite) say(`  ${name}: query indexes at the last of those appends, per round: ${lags.join('; ')}`);
  if (sqlite) say(`  ${name}: CPU per append (all threads, the bench's event making and the indexes' catch-up included), 64 writers, fsync per batch: median ${fmt(median(cpuFull), 1)} µs (${cpuFull.map((c) => fmt(c, 1)).join(', ')})`);
  say(
    `  ${name}: same-run baselines: bare SQLite insert ${fmt(median(bare), 0)}/s (synchronous=NORMAL), ${fmt(median(bareFull), 0)}/s (FULL), SHA-256 chaining ${fmt(median(chain), 0)}/s; 64 writers / bare insert = ${ratio(many, sqlite ? bare : bareFull)}×${sqlite ? `, fsync per batch / bare FULL insert = ${ratio(manyFull, bareFull)}×` : ' (against the FULL insert)'} (medians of the per-round ratios)`,
  );

  say(`  ${name}: ledger of ${total.toLocaleString('en')} entries: ${await fixture(full, total)}`);
  const ledger = await openLedger({ storage: full, signer, origin: 'bench/ledger' });
  try {
    const lag = await ledger.indexLag();
    let t = performance.now();
    await caughtUp(ledger, 20);
    const caught = (performance.now() - t) / 1000;
    say(`  ${name}: query indexes ${lag === 0 ? 'up to date (kept in the append transaction, or already built)' : `${fmt(lag, 0)} entries behind at open, caught up in ${fmt(caught, 1)} s (${fmt(lag / caught, 0)}/s)`}`);

    const proofs: number[] = [];
    for (let i = 0; i < 2000; i++) {
      const s = performance.now();
      await ledger.inclusionProof((i * 104_729) % total);
      proofs.push(performance.now() - s);
    }
    proofs.sort((a, b) => a - b);
    const who: number[] = [];
    for (let i = 0; i < 200; i++) who.push(await whoSaw(ledger, i));
    who.sort((a, b) => a - b);
    say(`  ${name}: inclusion proof at ${total.toLocaleString('en')}: p50 ${fmt(median(proofs) * 1000, 0)} µs, p99 ${fmt(percentile(proofs, 99) * 1000, 0)} µs over 2,000 (target ≤ 1 ms at 10M)`);
    say(`  ${name}: who saw X (${fmt(total / CUSTOMERS, 0)} entries per customer), indexes caught up: p50 ${fmt(median(who), 2)} ms, p99 ${fmt(percentile(who, 99), 2)} ms over 200 (target ≤ 50 ms at 10M)`);
    const verifies: number[] = [];
    for (let r = 0; r < rounds; r++) {
      t = performance.now();
      const v = await ledger.verify();
      if (!v.ok) throw new Error(`verify failed at ${v.index}: ${v.reason}`);
      // A kept fixture holds the bursts of earlier runs too (below).
      verifies.push(rate(v.size, t));
    }
    say(`  ${name}: verify ${fmt(median(verifies), 0)} events/s, median of ${rounds} (${verifies.map((v) => fmt(v, 0)).join(', ')}); ${fmt(median(verifies) / median(chain), 2)}× SHA-256 chaining (target ≥ 300,000)`);
    say(`  ${name}: ${await whoSawDuringBurst(ledger, Math.min(appends, 50_000))}`);
  } finally {
    await ledger.close();
  }
}

/** One "who saw X" query (the i-th customer of a fixed walk), in ms. */
async function whoSaw(ledger: Ledger, i: number): Promise<number> {
  const s = performance.now();
  await ledger.events({ subject: `c${String((i * 7919) % CUSTOMERS).padStart(6, '0')}`, limit: 1000 });
  return performance.now() - s;
}

/**
 * "Who saw X" while appends arrive (64 writers × 16 in flight, `burst` events onto the full ledger): the query
 * indexes lag, and each query also scans the part not indexed yet. Prints the latencies with the lags seen.
 */
async function whoSawDuringBurst(ledger: Ledger, burst: number): Promise<string> {
  let next = await ledger.size();
  const end = next + burst;
  let done = false;
  const appending = Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < end) {
        const wave: Promise<unknown>[] = [];
        for (let k = 0; k < 16 && next < end; k++) wave.push(ledger.append(event(next++)));
        await Promise.all(wave);
      }
    }),
  ).finally(() => {
    done = true;
  });
  const who: number[] = [];
  const lags: number[] = [];
  for (let i = 0; !done; i++) {
    // The store may answer without leaving the event loop: let the appends' replies in between queries.
    await new Promise((w) => setImmediate(w));
    lags.push(await ledger.indexLag());
    who.push(await whoSaw(ledger, i));
  }
  await appending;
  await caughtUp(ledger, 20);
  if (who.length === 0) return 'who saw X during a burst of appends: the burst ended before a query';
  who.sort((a, b) => a - b);
  lags.sort((a, b) => a - b);
  return `who saw X during a burst of ${burst.toLocaleString('en')} appends: p50 ${fmt(median(who), 2)} ms, p99 ${fmt(percentile(who, 99), 2)} ms over ${who.length}, the indexes behind by median ${fmt(median(lags), 0)}, at most ${fmt(lags[lags.length - 1]!, 0)} entries when a query started`;
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

function envInt(name: string, fallback: number, min: number, max: number): number {
  const v = Number(process.env[name] ?? fallback);
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new RangeError(`${name} must be ${min.toLocaleString('en')} … ${max.toLocaleString('en')}`);
  return v;
}

export async function run(): Promise<void> {
  const total = envInt('BENCH_LEDGER_EVENTS', 200_000, 1000, 100_000_000);
  const sizes: Sizes = { total, appends: envInt('BENCH_LEDGER_APPENDS', Math.min(total, 200_000), 1000, 100_000_000), rounds: envInt('BENCH_LEDGER_ROUNDS', 3, 1, 20) };
  const stores = new Set((process.env['BENCH_LEDGER_STORES'] ?? 'sqlite,postgres').split(','));
  const pgUrl = process.env['BENCH_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const keep = process.env['BENCH_LEDGER_FIXTURES'];
  const dir = await mkdtemp(join(tmpdir(), 'custos-bench-ledger-'));
  const schemas: string[] = [];
  try {
    const { signer } = await loadOrCreateLedgerKey(dir, 'bench/ledger');
    say(`ledger: appends on fresh ledgers, verify and latencies on a ledger of ${total.toLocaleString('en')} entries (durable appends, Merkle tiles maintained):`);
    if (keep !== undefined) await mkdir(keep, { recursive: true });
    if (stores.has('sqlite')) {
      const fullFile = keep !== undefined ? join(keep, `ledger-${total}.db`) : join(dir, 'full.db');
      if (keep !== undefined && existsSync(fullFile)) say(`  (reusing ${fullFile})`);
      await measure('SQLite', (label, fsync) => ({ kind: 'sqlite', file: join(dir, `${label}.db`), ...(fsync !== undefined ? { fsync } : {}) }), { kind: 'sqlite', file: fullFile }, signer, sizes, dir);
    }
    if (stores.has('postgres')) {
      if (!(await pgAnswers(pgUrl))) say('  PostgreSQL: skipped (no server at BENCH_PG_URL)');
      else {
        const storage = (label: string): LedgerStorage => {
          const schema = `custos_bench_${label}_${randomBytes(4).toString('hex')}`;
          schemas.push(schema);
          return { kind: 'postgres', url: pgUrl, schema };
        };
        const full: LedgerStorage = keep !== undefined ? { kind: 'postgres', url: pgUrl, schema: `custos_bench_fx_${total}` } : storage('full');
        await measure('PostgreSQL', storage, full, signer, sizes, dir);
      }
    }
  } finally {
    for (const s of schemas) await dropPostgresSchema(pgUrl, s).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
