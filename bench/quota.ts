/**
 * Quota check cost per record view: the embedded store (SQLite, cached counters) and Redis (one Lua script per
 * view, a network round trip), and the embedded store with the limits taken from the access policy's @quota through
 * a warm grant (the server's path, less the directory read), against a plain in-memory Set check in the same run.
 * BENCH_QUOTA_VIEWS (default 20,000) single-record views by 300 people over 5,000 customers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { categoryOfField, createQuota, parseQuotaRules, redisQuotaStore, sqlQuotaStore, type QuotaStore } from '../src/quota/index.js';
import { migrateStore, openDatabase, type StoreSchema } from '../src/store/index.js';
import { createPolicyEngine, DEFAULT_POLICY_FILE, type PersonAttributes } from '../src/policy/index.js';
import { policyContext } from '../src/gateway/index.js';
import { readFileSync } from 'node:fs';
import { fmt, median } from './stats.js';

const rules = parseQuotaRules(JSON.stringify({ '*': { customersPerDay: 1_000_000, customersPerHour: 1_000_000, perCategoryPerDay: { property: 1_000_000 } } }));
const clock = { now: () => new Date() };
const categoryOf = (c: string) => categoryOfField(c, c === 'bank_card' ? 'bank_card' : null);

function views(n: number): { staffId: string; role: string; subject: string }[] {
  let x = 12345;
  const rnd = (m: number) => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x % m);
  return Array.from({ length: n }, () => ({ staffId: `u${rnd(300)}`, role: 'bench_role', subject: `c${rnd(5000)}` }));
}

const engine = createPolicyEngine(readFileSync(DEFAULT_POLICY_FILE, 'utf8'));
const analyst = (staffId: string): PersonAttributes => ({ id: staffId, role: 'risk_analyst', department: 'risk', employment: 'employee', manager: null, leaving: null, risk: 'low' });
/** The server's ruleFor: the limits of the policy's @quota, from the person's (warm) view grant. */
const fromPolicy = (who: { staffId: string }) => Promise.resolve(engine.defaultGrant(analyst(who.staffId), policyContext(clock.now(), 'none', null, false)).quotas ?? undefined);

async function timeStore(store: QuotaStore, list: ReturnType<typeof views>, policy = false): Promise<number> {
  const q = createQuota({ store, rules, clock, categoryOf, ...(policy ? { ruleFor: fromPolicy } : {}) });
  const t = performance.now();
  for (const v of list) await q.admit(v, [{ subject: v.subject, plain: ['name', 'bank_card'] }]);
  return ((performance.now() - t) * 1000) / list.length;
}

function timePlain(list: ReturnType<typeof views>): number {
  const sets = new Map<string, Set<string>>();
  const t = performance.now();
  for (const v of list) {
    for (const k of [`${v.staffId}|h`, `${v.staffId}|d`, `${v.staffId}|p`]) {
      let s = sets.get(k);
      if (s === undefined) sets.set(k, (s = new Set()));
      if (s.size >= 1_000_000) throw new Error('limit');
      s.add(v.subject);
    }
  }
  return ((performance.now() - t) * 1000) / list.length;
}

export async function run(): Promise<void> {
  const n = Number(process.env['BENCH_QUOTA_VIEWS'] ?? 20_000);
  const list = views(n);
  const dir = await mkdtemp(join(tmpdir(), 'custos-bench-quota-'));
  const db = await openDatabase<StoreSchema>({ kind: 'sqlite', file: join(dir, 'store.db') });
  await migrateStore(db);
  const redisUrl = process.env['CUSTOS_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const plain: number[] = [];
  const embedded: number[] = [];
  const withPolicy: number[] = [];
  const redis: number[] = [];
  let redisOk = true;
  try {
    for (let r = 0; r < 3; r++) {
      plain.push(timePlain(list));
      // A new bucket day per round, so each round starts from empty counters like the first view of a day.
      await db.deleteFrom('quota_seen').execute();
      embedded.push(await timeStore(sqlQuotaStore(db, () => clock.now()), list));
      await db.deleteFrom('quota_seen').execute();
      withPolicy.push(await timeStore(sqlQuotaStore(db, () => clock.now()), list, true));
      if (redisOk) {
        const store = redisQuotaStore(redisUrl, `custos-bench:${Date.now()}:${r}:`);
        try {
          redis.push(await timeStore(store, list));
        } catch {
          redisOk = false;
        } finally {
          await store.close();
        }
      }
    }
  } finally {
    await db.destroy();
    await rm(dir, { recursive: true, force: true });
  }
  const base = median(plain);
  process.stdout.write(`quota check, ${n.toLocaleString('en')} single-record views, median of 3 runs (µs per view):\n`);
  process.stdout.write(`  baseline: plain in-memory Set check      ${fmt(base, 2)} µs\n`);
  process.stdout.write(`  embedded store (SQLite, cached counters)  ${fmt(median(embedded), 1)} µs  (${fmt(median(embedded) / base, 0)}x the baseline)\n`);
  process.stdout.write(`  embedded, limits from the policy's @quota  ${fmt(median(withPolicy), 1)} µs  (${fmt(median(withPolicy) / base, 0)}x the baseline; warm grant)\n`);
  if (redis.length > 0) process.stdout.write(`  Redis (one Lua check-and-add per view)     ${fmt(median(redis), 1)} µs  (${fmt(median(redis) / base, 0)}x the baseline)\n`);
  else process.stdout.write(`  Redis: not reachable at ${redisUrl.replace(/\/\/[^@]*@/, '//***@')}; skipped\n`);
}
