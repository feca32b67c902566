import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, login, startHarness, type Harness } from '../helpers/harness.js';

const QUOTAS = JSON.stringify({ service_agent: { customersPerDay: 3, customersPerHour: 3 } });
const redisOn = process.env['CUSTOS_TEST_REDIS'] !== undefined && process.env['CUSTOS_TEST_REDIS'] !== '';
const REDIS_URL = process.env['CUSTOS_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

async function agentAndCustomers(h: Harness): Promise<{ cred: { user: string; password: string }; ids: string[] }> {
  const cred = h.credentials.find((c) => c.role === 'service_agent')!;
  // Straight from the store, so that finding them does not itself count against the quota.
  const ids = await h.app.custos.identity.assigned(cred.user, undefined, 5);
  expect(ids.length).toBe(5);
  return { cred, ids };
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`quotas through the record API on ${backend.name}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(backend, undefined, { CUSTOS_QUOTAS: QUOTAS });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('refuses the view past the quota with a clear message, records it, alerts, and still refuses after a restart', async () => {
      const { cred, ids } = await agentAndCustomers(h);
      const s = await login(h.app, cred);
      const view = (id: string) => h.app.inject({ method: 'GET', url: `/api/v1/subjects/${id}`, headers: { cookie: s.cookie } });
      for (const id of ids.slice(0, 3)) expect((await view(id)).statusCode).toBe(200);
      const refused = await view(ids[3]!);
      expect(refused.statusCode).toBe(429);
      const body = refused.json<{ error: { code: string; message: string } }>();
      expect(body.error.code).toBe('CUSTOS_QUOTA_EXCEEDED');
      expect(body.error.message).toMatch(/limit of 3 distinct customers/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.body).not.toContain('fields');
      // A customer already seen today is not a new one.
      expect((await view(ids[0]!)).statusCode).toBe(200);
      const meter = await h.app.inject({ method: 'GET', url: '/api/v1/me/quota', headers: { cookie: s.cookie } });
      expect(meter.json<{ customersToday: unknown }>().customersToday).toEqual({ used: 3, limit: 3 });

      const rt = h.app.custos;
      const mine = await rt.ledger.events({ actor: cred.user, limit: 1000 });
      expect(mine.some((e) => e.event.outcome === 'denied' && e.event.reason === 'CUSTOS_QUOTA_EXCEEDED' && e.event.subjects.includes(ids[3]!))).toBe(true);
      await rt.watch.idle();
      const alerts = await rt.watch.alerts({ actor: cred.user, limit: 10 });
      expect(alerts.some((a) => a.detector === 'volume' && a.summary.includes('quota'))).toBe(true);

      await h.restart();
      const again = (id: string) => h.app.inject({ method: 'GET', url: `/api/v1/subjects/${id}`, headers: { cookie: s.cookie } });
      expect((await again(ids[3]!)).statusCode).toBe(429);
      expect((await again(ids[1]!)).statusCode).toBe(200);
    });
  });
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`quotas from the access policy's @quota on ${backend.name}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(backend);
    });
    afterAll(async () => {
      await h?.close();
    });

    it('takes the limits from the policy in force, and a new version applies at once', async () => {
      const { cred, ids } = await agentAndCustomers(h);
      const s = await login(h.app, cred);
      const meter = async () => (await h.app.inject({ method: 'GET', url: '/api/v1/me/quota', headers: { cookie: s.cookie } })).json<{ customersToday: { used: number; limit: number }; customersThisHour: { limit: number } }>();
      // policies/default.cedar: quota-service says 300 a day, 100 an hour.
      expect(await meter()).toMatchObject({ customersToday: { used: 0, limit: 300 }, customersThisHour: { limit: 100 } });

      const secCred = h.credentials.find((c) => c.role === 'security_analyst' && c.employment === 'employee')!;
      const sec = await login(h.app, secCred);
      const current = (await h.app.inject({ method: 'GET', url: '/api/v1/policy', headers: { cookie: sec.cookie } })).json<{ text: string }>().text;
      const lowered = current.replace('@quota("customersPerDay=300, customersPerHour=100,', '@quota("customersPerDay=2, customersPerHour=100,');
      expect(lowered).not.toBe(current);
      const saved = await h.app.inject({ method: 'PUT', url: '/api/v1/policy', headers: { cookie: sec.cookie, 'x-custos-csrf': sec.csrf }, payload: { text: lowered, message: 'service quota for the audit week' } });
      expect(saved.statusCode).toBe(200);

      const view = (id: string) => h.app.inject({ method: 'GET', url: `/api/v1/subjects/${id}`, headers: { cookie: s.cookie } });
      expect((await view(ids[0]!)).statusCode).toBe(200);
      expect((await view(ids[1]!)).statusCode).toBe(200);
      const refused = await view(ids[2]!);
      expect(refused.statusCode).toBe(429);
      expect(refused.json<{ error: { message: string } }>().error.message).toMatch(/limit of 2 distinct customers today/);
      expect((await meter()).customersToday).toEqual({ used: 2, limit: 2 });
      // A policy save runs every shipped case in the decision process: minutes on a loaded 2-core machine.
    }, 300_000);
  });
}

describe.skipIf(!redisOn)('quotas shared between two app instances through Redis', () => {
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    const env = { CUSTOS_QUOTAS: QUOTAS, CUSTOS_REDIS_URL: REDIS_URL, CUSTOS_REDIS_PREFIX: `custos-test-${randomBytes(6).toString('hex')}:` };
    // Two gateways in front of the same company (same demo seed), sharing nothing but Redis.
    a = await startHarness(BACKENDS[0]!, undefined, env);
    b = await startHarness(BACKENDS[0]!, undefined, env);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('counts views on either instance against the same quota', async () => {
    const { cred, ids } = await agentAndCustomers(a);
    const sa = await login(a.app, cred);
    const sb = await login(b.app, b.credentials.find((c) => c.user === cred.user)!);
    const on = (h: Harness, s: { cookie: string }, id: string) => h.app.inject({ method: 'GET', url: `/api/v1/subjects/${id}`, headers: { cookie: s.cookie } });
    expect((await on(a, sa, ids[0]!)).statusCode).toBe(200);
    expect((await on(b, sb, ids[1]!)).statusCode).toBe(200);
    expect((await on(a, sa, ids[2]!)).statusCode).toBe(200);
    expect((await on(b, sb, ids[3]!)).statusCode).toBe(429);
    expect((await on(a, sa, ids[4]!)).statusCode).toBe(429);
    expect((await on(b, sb, ids[0]!)).statusCode).toBe(200);
  });
});
