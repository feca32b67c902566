import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { categoryOfField, createQuota, parseQuotaRules, redisQuotaStore, sqlQuotaStore, type QuotaStore } from '../../src/quota/index.js';
import { migrateStore, openDatabase, type StoreSchema } from '../../src/store/index.js';

const REDIS_URL = process.env['CUSTOS_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const redisOn = process.env['CUSTOS_TEST_REDIS'] !== undefined && process.env['CUSTOS_TEST_REDIS'] !== '';

class TestClock implements Clock {
  constructor(public t: number) {}
  now(): Date {
    return new Date(this.t);
  }
}

const who = { staffId: 'u0001', role: 'service_agent' };
const rules = parseQuotaRules(JSON.stringify({ service_agent: { customersPerDay: 5, customersPerHour: 4, perCategoryPerDay: { property: 2 } } }));
const categoryOf = (column: string) => categoryOfField(column, column === 'bank_card' ? 'bank_card' : column === 'name' ? 'cn_name' : column === 'balance' ? 'text' : null);
const rec = (subject: string, plain: string[] = ['name']) => ({ subject, plain });
// 2026-11-23 10:30 in UTC+8.
const T0 = Date.parse('2026-11-23T02:30:00.000Z');

async function refusal(p: Promise<unknown>): Promise<{ code: string; status: number; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; status: number };
  }
  throw new Error('expected a refusal');
}

/** The same behaviour, whichever store holds the counters. */
function behaves(name: string, enabled: boolean, open: () => Promise<{ store: () => QuotaStore; done: () => Promise<void> }>): void {
  describe.skipIf(!enabled)(`quotas with counters in ${name}`, () => {
    let env: Awaited<ReturnType<typeof open>>;
    beforeAll(async () => {
      env = await open();
    });
    afterAll(async () => {
      await env?.done();
    });

    it('counts distinct customers per hour and per day; a customer seen again does not count again', async () => {
      const clock = new TestClock(T0);
      const q = createQuota({ store: env.store(), rules, clock, categoryOf });
      await q.admit(who, [rec('c1'), rec('c2'), rec('c3')]);
      await q.admit(who, [rec('c1'), rec('c2')]);
      await q.admit(who, [rec('c4')]);
      const err = await refusal(q.admit(who, [rec('c5')]));
      expect(err.code).toBe('CUSTOS_QUOTA_EXCEEDED');
      expect(err.status).toBe(429);
      expect(err.details?.['limit']).toBe(4);
      // Seen before: still allowed.
      await q.admit(who, [rec('c3')]);
      // Next hour: the hourly count starts again, the daily one does not (5 a day).
      clock.t = T0 + 3_600_000;
      await q.admit(who, [rec('c5')]);
      const day = await refusal(q.admit(who, [rec('c6')]));
      expect(day.details?.['limit']).toBe(5);
      expect((await q.meter(who)).customersToday).toEqual({ used: 5, limit: 5 });
      // The next local day (midnight in UTC+8 = 16:00 UTC): everything starts again.
      clock.t = Date.parse('2026-11-23T16:00:00.000Z');
      await q.admit(who, [rec('c6')]);
      expect((await q.meter(who)).customersToday.used).toBe(1);
    });

    it('counts customers whose sensitive category was shown unmasked, and refuses all-or-nothing', async () => {
      const clock = new TestClock(T0 + 10 * 86_400_000);
      const q = createQuota({ store: env.store(), rules, clock, categoryOf });
      const w = { staffId: 'u0002', role: 'service_agent' };
      await q.admit(w, [rec('c1', ['name', 'bank_card']), rec('c2', ['name'])]);
      await q.admit(w, [rec('c3', ['balance'])]);
      const err = await refusal(q.admit(w, [rec('c4', ['name', 'bank_card'])]));
      expect(err.details?.['limit']).toBe(2);
      // Nothing of the refused view was counted.
      const m = await q.meter(w);
      expect(m.customersToday.used).toBe(3);
      expect(m.categoriesToday.property).toEqual({ used: 2, limit: 2 });
      // Masked views of the same fields do not use the category quota.
      await q.admit(w, [rec('c4', ['name'])]);
    });

    it('uses the rule of the role, or the default rule', async () => {
      const clock = new TestClock(T0 + 20 * 86_400_000);
      const q = createQuota({ store: env.store(), rules, clock, categoryOf });
      const other = { staffId: 'u0003', role: 'unknown_role' };
      expect((await q.meter(other)).customersToday.limit).toBe(200);
    });

    it('keeps the counts when the store is opened again (a restart)', async () => {
      const clock = new TestClock(T0 + 30 * 86_400_000);
      const w = { staffId: 'u0004', role: 'service_agent' };
      const first = env.store();
      await createQuota({ store: first, rules, clock, categoryOf }).admit(w, [rec('c1'), rec('c2'), rec('c3'), rec('c4')]);
      await first.close();
      const q = createQuota({ store: env.store(), rules, clock, categoryOf });
      expect((await q.meter(w)).customersThisHour.used).toBe(4);
      expect((await refusal(q.admit(w, [rec('c9')]))).code).toBe('CUSTOS_QUOTA_EXCEEDED');
    });
  });
}

behaves('the embedded store (SQLite)', true, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'custos-quota-'));
  const db: Kysely<StoreSchema> = await openDatabase<StoreSchema>({ kind: 'sqlite', file: join(dir, 'store.db') });
  await migrateStore(db);
  const clock = { now: () => new Date(T0) };
  return {
    store: () => sqlQuotaStore(db, () => clock.now()),
    async done() {
      await db.destroy();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

const prefix = `custos-test:${randomBytes(6).toString('hex')}:`;
behaves('Redis', redisOn, () => {
  const stores: QuotaStore[] = [];
  return Promise.resolve({
    store: () => {
      const s = redisQuotaStore(REDIS_URL, prefix);
      stores.push(s);
      return s;
    },
    async done() {
      for (const s of stores) await s.close();
    },
  });
});

describe.skipIf(!redisOn)('Redis quotas shared between replicas', () => {
  it('never lets concurrent views on two replicas past a limit together', async () => {
    const p = `custos-test:${randomBytes(6).toString('hex')}:`;
    const a = redisQuotaStore(REDIS_URL, p);
    const b = redisQuotaStore(REDIS_URL, p);
    try {
      const clock = new TestClock(T0);
      const qa = createQuota({ store: a, rules, clock, categoryOf });
      const qb = createQuota({ store: b, rules, clock, categoryOf });
      const tries = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? qa : qb).admit(who, [rec(`x${i}`)]).then(() => true, () => false));
      const ok = (await Promise.all(tries)).filter(Boolean).length;
      expect(ok).toBe(4);
      expect((await qa.meter(who)).customersThisHour.used).toBe(4);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('fails closed when Redis does not answer', async () => {
    const dead = redisQuotaStore('redis://127.0.0.1:1', 'x:');
    try {
      const q = createQuota({ store: dead, rules, clock: new TestClock(T0), categoryOf });
      expect((await refusal(q.admit(who, [rec('c1')]))).code).toBe('CUSTOS_QUOTA_UNAVAILABLE');
    } finally {
      await dead.close();
    }
  });
});

describe('quota rules from configuration', () => {
  it('refuses malformed rules with a reason', () => {
    for (const bad of ['[]', '{"Bad Role":{}}', '{"teller":{"customersPerDay":0}}', '{"teller":{"perCategoryPerDay":{"gossip":3}}}', '{"teller":{"daily":3}}']) {
      expect(() => parseQuotaRules(bad), bad).toThrow(RangeError);
    }
    expect(parseQuotaRules('{"teller":{"customersPerDay":7}}')['teller']!.customersPerHour).toBe(60);
  });
});
