import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/index.js';
import type { AccessEvent } from '../../src/ledger/index.js';
import { BACKENDS, login, startHarness, type Harness } from '../helpers/harness.js';

interface AlertBody {
  id: string;
  actor: string;
  detector: string;
  severity: string;
  summary: string;
  events: string[];
  status: string;
}

const customers = (n: number, from = 1): string[] => Array.from({ length: n }, (_, i) => `c${String(from + i).padStart(7, '0')}`);

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`live detection in the server on ${backend.name}`, () => {
    let h: Harness;
    let integration: string;
    let security: { cookie: string; csrf: string };
    let insider: { user: string; password: string };

    beforeAll(async () => {
      h = await startHarness(backend);
      const rt = h.app.custos;
      await rt.identity.ensureIntegration('crm-access-log');
      integration = (await rt.identity.createApiToken('crm-access-log', 'test')).token;
      security = await login(h.app, h.credentials.find((c) => c.role === 'security_analyst')!);
      insider = h.credentials.find((c) => c.role === 'telesales' && c.employment === 'outsourced') ?? h.credentials.find((c) => c.role === 'telesales')!;
    });
    afterAll(async () => {
      await h?.close();
    });

    const post = (events: unknown[], token = integration) =>
      h.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${token}` }, payload: { events } });
    const alerts = async (query = '') => {
      const res = await h.app.inject({ method: 'GET', url: `/api/v1/alerts${query}`, headers: { cookie: security.cookie } });
      expect(res.statusCode).toBe(200);
      return res.json<{ items: AlertBody[] }>().items;
    };
    const event = (over: Partial<AccessEvent>): AccessEvent => ({
      id: `crm-${Math.random().toString(36).slice(2)}`,
      time: new Date().toISOString(),
      actor: insider.user,
      action: 'view',
      system: 'crm',
      subjects: [],
      fields: ['name', 'mobile'],
      ip: '10.1.4.20',
      outcome: 'allowed',
      ...over,
    });

    it('refuses bad batches with a code and stores none of them', async () => {
      const rt = h.app.custos;
      const before = await rt.ledger.size();
      const cases: [unknown[], string][] = [
        [[event({}), { ...event({}), action: 'peek' }], 'CUSTOS_EVENT_INVALID'],
        [[event({ system: 'custos-console' })], 'CUSTOS_EVENT_INVALID'],
        [[event({ time: new Date(Date.now() - 3 * 86_400_000).toISOString() })], 'CUSTOS_EVENT_TIME'],
        [[event({ id: 'dup' }), event({ id: 'dup' })], 'CUSTOS_EVENT_INVALID'],
      ];
      for (const [events, code] of cases) {
        const res = await post(events);
        expect(res.statusCode).toBe(400);
        expect(res.json<{ error: { code: string } }>().error.code).toBe(code);
      }
      expect(await rt.ledger.size()).toBe(before);
      // Too many events in one request.
      const many = await post(Array.from({ length: 1001 }, () => event({})));
      expect(many.statusCode).toBe(400);
      expect(await rt.ledger.size()).toBe(before);
    });

    it('takes events only from integration tokens', async () => {
      const person = await login(h.app, insider);
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/events', headers: { cookie: person.cookie, 'x-custos-csrf': person.csrf }, payload: { events: [event({})] } });
      expect(res.statusCode).toBe(403);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('CUSTOS_EVENTS_FORBIDDEN');
    });

    it('alerts on a bulk download reported by another system, suspends the person and ledgers every step', async () => {
      const rt = h.app.custos;
      const person = await login(h.app, insider);
      // Before: the person works normally.
      expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: person.cookie } })).statusCode).toBe(200);
      const dump = event({ action: 'export', subjects: customers(1000), fields: ['name', 'mobile', 'id_number'], count: 5000 });
      const res = await post([dump]);
      expect(res.statusCode).toBe(201);
      expect(res.json<{ accepted: number }>().accepted).toBe(1);
      await rt.watch.idle();

      const mine = await alerts(`?actor=${insider.user}`);
      expect(mine.length).toBeGreaterThan(0);
      const top = mine[0]!;
      expect(top.severity).toBe('critical');
      expect(top.events).toContain(dump.id);
      expect(top.summary).toContain(insider.user);
      expect(top.summary).not.toMatch(/1[3-9]\d{9}/);

      // The response: the session is over and the person cannot sign in again until security lifts the hold.
      const after = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: person.cookie } });
      expect(after.statusCode).toBe(401);
      const again = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { user: insider.user, password: insider.password } });
      expect(again.statusCode).toBe(403);
      expect(again.json<{ error: { code: string } }>().error.code).toBe('CUSTOS_ACCESS_SUSPENDED');

      // The ledger holds the alert, the suspension and the refused login.
      const trail = await rt.ledger.events({ actor: 'custos-detect', limit: 100 });
      const kinds = trail.map((e) => (e.event.detail as { kind: string; person?: string }).kind);
      expect(kinds).toContain('alert.raise');
      expect(kinds).toContain('response.suspend');
      expect(trail.every((e) => (e.event.detail as { person?: string }).person === insider.user)).toBe(true);
      const logins = await rt.ledger.events({ actor: insider.user, limit: 1000 });
      expect(logins.some((e) => e.event.action === 'login' && e.event.reason === 'CUSTOS_ACCESS_SUSPENDED')).toBe(true);

      // Security reads the alert, sees the hold, dismisses nothing yet, and lifts the hold with a reason.
      const one = await h.app.inject({ method: 'GET', url: `/api/v1/alerts/${top.id}`, headers: { cookie: security.cookie } });
      expect(one.json<{ holds: { kind: string }[] }>().holds.map((x) => x.kind)).toContain('suspend');
      const lift = await h.app.inject({
        method: 'POST', url: `/api/v1/holds/${insider.user}/lift`, headers: { cookie: security.cookie, 'x-custos-csrf': security.csrf }, payload: { reason: 'checked with the manager: approved campaign export' },
      });
      expect(lift.statusCode).toBe(200);
      expect((await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { user: insider.user, password: insider.password } })).statusCode).toBe(200);
      const dismissed = await h.app.inject({
        method: 'POST', url: `/api/v1/alerts/${top.id}/triage`, headers: { cookie: security.cookie, 'x-custos-csrf': security.csrf }, payload: { action: 'dismiss', reason: 'approved export, ticket attached later' },
      });
      expect(dismissed.statusCode).toBe(200);
      expect(dismissed.json<AlertBody>().status).toBe('dismissed');
      const secTrail = await rt.ledger.events({ actor: h.credentials.find((c) => c.role === 'security_analyst')!.user, limit: 1000 });
      const secKinds = secTrail.map((e) => (e.event.detail as { kind?: string } | undefined)?.kind);
      expect(secKinds).toEqual(expect.arrayContaining(['alerts.list', 'alerts.read', 'holds.lift', 'alerts.triage']));
    });

    it('keeps the alert queue to the security roles, and records the refusal', async () => {
      const person = await login(h.app, h.credentials.find((c) => c.role === 'service_agent')!);
      const res = await h.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: { cookie: person.cookie } });
      expect(res.statusCode).toBe(403);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('CUSTOS_SECURITY_ONLY');
    });

    it('rebuilds its baselines from the ledger after a restart', async () => {
      const rt = h.app.custos;
      // A hold in force before the restart is still in force after it.
      await rt.store.insertInto('holds').values({ id: 'hold-test', staff_id: 'u-nobody', kind: 'suspend', alert_id: null, created_at: new Date().toISOString(), until: null, lifted_at: null, lifted_by: null }).execute();
      await h.restart();
      const stats = h.app.custos.watch.stats();
      expect(stats.replayed).toBeGreaterThan(0);
      expect(stats.people).toBeGreaterThan(0);
      expect(h.app.custos.watch.holds('u-nobody').map((x) => x.kind)).toEqual(['suspend']);
      expect(h.app.custos.watch.holds(insider.user)).toEqual([]);
    });
  });
}

describe('live responses as configured: throttle and notify through the webhook', () => {
  let h: Harness;
  let hook: Server;
  const received: string[] = [];

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const port = (hook.address() as AddressInfo).port;
    h = await startHarness(BACKENDS[0]!, undefined, {
      CUSTOS_DETECT_RESPONSES: JSON.stringify({ critical: ['throttle', 'notify'] }),
      CUSTOS_THROTTLE_PER_MINUTE: '3',
      CUSTOS_ALERT_WEBHOOK_URL: `http://127.0.0.1:${port}/custos`,
    });
  });
  afterAll(async () => {
    await h?.close();
    hook?.close();
  });

  it('limits the person to the configured requests a minute and posts the alert (ids only) to the webhook', async () => {
    const rt = h.app.custos;
    await rt.identity.ensureIntegration('crm-access-log');
    const token = (await rt.identity.createApiToken('crm-access-log', 'test')).token;
    const insider = h.credentials.find((c) => c.role === 'telesales')!;
    const person = await login(h.app, insider);
    const res = await h.app.inject({
      method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${token}` },
      payload: { events: [{ id: 'crm-dump-1', time: new Date().toISOString(), actor: insider.user, action: 'export', system: 'crm', subjects: customers(1000), fields: ['name', 'mobile', 'id_number'], outcome: 'allowed', count: 5000 }] },
    });
    expect(res.statusCode).toBe(201);
    await rt.watch.idle();
    expect(rt.watch.holds(insider.user).map((x) => x.kind)).toEqual(['throttle']);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: person.cookie } })).statusCode);
    // The minute may turn over during the loop, so: at least one refusal, and nothing but answers and refusals.
    expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(1);
    expect(codes.every((c) => c === 200 || c === 429)).toBe(true);
    const refused = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: person.cookie } });
    if (refused.statusCode === 429) {
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.json<{ error: { code: string } }>().error.code).toBe('CUSTOS_THROTTLED');
    }
    expect(received).toHaveLength(1);
    const sent = JSON.parse(received[0]!) as { kind: string; alert: { actor: string; events: string[]; severity: string } };
    expect(sent.kind).toBe('custos.alert');
    expect(sent.alert.actor).toBe(insider.user);
    expect(sent.alert.events).toContain('crm-dump-1');
    expect(received[0]).not.toMatch(/1[3-9]\d{9}|\d{17}[\dX]/);
    const trail = (await rt.ledger.events({ actor: 'custos-detect', limit: 100 })).map((e) => e.event.detail as { kind: string; delivered?: boolean });
    expect(trail.find((d) => d.kind === 'response.notify')?.delivered).toBe(true);
    expect(trail.map((d) => d.kind)).toContain('response.throttle');
    expect(trail.map((d) => d.kind)).not.toContain('response.suspend');
  });
});

describe('live detection configuration', () => {
  it('refuses bad response settings at start, naming the key', () => {
    for (const bad of ['{', '{"urgent":["notify"]}', '{"high":["fire"]}', '[]']) {
      expect(() => loadConfig({ CUSTOS_DETECT_RESPONSES: bad })).toThrow(/CUSTOS_DETECT_RESPONSES/);
    }
    expect(loadConfig({ CUSTOS_DETECT_RESPONSES: '{"high":[]}' }).watch.detector?.responses?.high).toEqual([]);
  });
});
