/**
 * Record view through the full path (HTTP routing, session check, decision, SQLite read, masking, durable
 * ledger append) against a direct SQLite read of the same row, in the same run.
 * Size: BENCH_CUSTOMERS (default 100,000), BENCH_VIEWS per measurement (default 5,000).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { buildApp, loadConfig, openRuntime } from '../src/server/index.js';
import { fmt, median, percentile } from './stats.js';

interface Run {
  p50: number;
  p99: number;
  perSecond: number;
}

async function measure(total: number, concurrency: number, once: (i: number) => Promise<void>): Promise<Run> {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await once(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const elapsed = performance.now() - start;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSecond: (total / elapsed) * 1000 };
}

export async function run(): Promise<void> {
  const customers = Number(process.env['BENCH_CUSTOMERS'] ?? 100_000);
  const views = Number(process.env['BENCH_VIEWS'] ?? 5_000);
  const dir = await mkdtemp(join(tmpdir(), 'custos-bench-view-'));
  try {
    const t0 = performance.now();
    const config = loadConfig({ CUSTOS_DATA: dir, CUSTOS_DEMO_CUSTOMERS: String(customers), CUSTOS_DEMO_STAFF: '300', CUSTOS_DEMO_SEED: 'bench' });
    const rt = await openRuntime(config);
    process.stdout.write(`setup: demo company of ${customers.toLocaleString('en')} customers in ${fmt((performance.now() - t0) / 1000)} s\n`);
    const app = await buildApp(rt, { logger: false });
    const creds = JSON.parse(await readFile(join(dir, 'demo-credentials.json'), 'utf8')) as { user: string; password: string; role: string }[];
    const cred = creds.find((c) => c.role === 'telesales')!;
    const login = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { user: cred.user, password: cred.password } });
    const cookie = `custos_session=${login.cookies.find((c) => c.name === 'custos_session')!.value}`;
    const ids = (await rt.store.selectFrom('assignments').select('customer_id').where('staff_id', '=', cred.user).execute()).map((r) => r.customer_id);

    const raw = new SQLite(join(dir, 'customers.db'), { readonly: true });
    const stmt = raw.prepare('SELECT * FROM customers WHERE id = ?');
    const direct = (i: number): Promise<void> => {
      stmt.get(ids[i % ids.length]);
      return Promise.resolve();
    };
    const full = async (i: number): Promise<void> => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/subjects/${ids[i % ids.length]}`, headers: { cookie } });
      if (res.statusCode !== 200) throw new Error(`view failed: ${res.statusCode}`);
    };

    await measure(500, 1, full); // warm-up
    const rounds = 3;
    const results: Record<string, Run[]> = { direct1: [], full1: [], full50: [] };
    for (let r = 0; r < rounds; r++) {
      results['direct1']!.push(await measure(views, 1, direct));
      results['full1']!.push(await measure(views, 1, full));
      results['full50']!.push(await measure(views, 50, full));
    }
    const m = (k: string, f: keyof Run): number => median(results[k]!.map((x) => x[f]));
    process.stdout.write(`record view, median of ${rounds} rounds of ${views.toLocaleString('en')} views:\n`);
    process.stdout.write(`  direct SQLite read     p50 ${fmt(m('direct1', 'p50') * 1000)} µs  p99 ${fmt(m('direct1', 'p99') * 1000)} µs  ${fmt(m('direct1', 'perSecond'), 0)} reads/s\n`);
    process.stdout.write(`  full path, 1 client    p50 ${fmt(m('full1', 'p50') * 1000)} µs  p99 ${fmt(m('full1', 'p99') * 1000)} µs  ${fmt(m('full1', 'perSecond'), 0)} views/s\n`);
    process.stdout.write(`  full path, 50 clients  p50 ${fmt(m('full50', 'p50') * 1000)} µs  p99 ${fmt(m('full50', 'p99') * 1000)} µs  ${fmt(m('full50', 'perSecond'), 0)} views/s\n`);
    process.stdout.write(`  added latency (1 client): p50 +${fmt((m('full1', 'p50') - m('direct1', 'p50')) * 1000)} µs, p99 +${fmt((m('full1', 'p99') - m('direct1', 'p99')) * 1000)} µs (target ≤ 1,000 µs p99)\n`);
    process.stdout.write(`  overhead ratio (full/direct, p50, 1 client): ${fmt(m('full1', 'p50') / m('direct1', 'p50'))}×; throughput target ≥ 5,000 views/s: 50 clients give ${fmt(m('full50', 'perSecond'), 0)}\n`);
    raw.close();
    await app.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
