import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessEvent } from '../../src/ledger/index.js';
import { median, riskOf } from '../../src/server/routes/risk-routes.js';
import { BACKENDS, login, startHarness, type Harness } from '../helpers/harness.js';

const customers = (n: number): string[] => Array.from({ length: n }, (_, i) => `c${String(i + 1).padStart(6, '0')}`);

interface BoardPerson {
  staffId: string;
  department: string;
  role: string;
  risk: number;
  alerts: number;
  openAlerts: number;
  topSeverity: string | null;
  holds: string[];
  daily: number[];
  customers: number;
  perDay: number;
  peers: { size: number; riskMedian: number; perDayMedian: number; sampled: number; ratio: number | null } | null;
}

describe('risk arithmetic', () => {
  it('weighs alerts by severity, halves them every seven days and ignores dismissed ones', () => {
    const now = new Date('2026-03-15T00:00:00Z');
    expect(riskOf([{ severity: 'critical', status: 'open', time: '2026-03-15T00:00:00Z' }], now)).toBe(30);
    expect(riskOf([{ severity: 'critical', status: 'open', time: '2026-03-08T00:00:00Z' }], now)).toBe(15);
    expect(riskOf([{ severity: 'high', status: 'dismissed', time: '2026-03-15T00:00:00Z' }], now)).toBe(0);
    expect(riskOf([{ severity: 'low', status: 'case', time: '2026-03-15T00:00:00Z' }, { severity: 'medium', status: 'assigned', time: '2026-03-15T00:00:00Z' }], now)).toBe(4);
    expect(median([])).toBe(0);
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`risk board, heatmap and manual suspension on ${backend.name}`, () => {
    let h: Harness;
    let security: { cookie: string; csrf: string };
    let analyst: string;
    let insider: { user: string; department: string; role: string };

    beforeAll(async () => {
      h = await startHarness(backend);
      const rt = h.app.custos;
      const sec = h.credentials.find((c) => c.role === 'security_analyst')!;
      analyst = sec.user;
      security = await login(h.app, sec);
      insider = h.credentials.find((c) => c.role === 'telesales')!;
      await rt.identity.ensureIntegration('crm-access-log');
      const token = (await rt.identity.createApiToken('crm-access-log', 'test')).token;
      const dump: AccessEvent = { id: `crm-${Date.now()}`, time: new Date().toISOString(), actor: insider.user, action: 'export', system: 'crm', subjects: customers(1000), fields: ['name', 'mobile'], outcome: 'allowed', count: 5000 };
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${token}` }, payload: { events: [dump] } });
      expect(res.statusCode).toBe(201);
      await rt.watch.idle();
    });
    afterAll(async () => {
      await h?.close();
    });

    const get = (url: string, cookie = security.cookie) => h.app.inject({ method: 'GET', url, headers: { cookie } });

    it('ranks the person of a critical alert first, with a daily sparkline from the ledger and their peer group', async () => {
      const res = await get('/api/v1/risk/board?days=7');
      expect(res.statusCode).toBe(200);
      const board = res.json<{ days: number; people: BoardPerson[] }>();
      expect(board.days).toBe(7);
      const top = board.people[0]!;
      expect(top.staffId).toBe(insider.user);
      expect(top.topSeverity).toBe('critical');
      expect(top.risk).toBeGreaterThanOrEqual(29);
      expect(top.daily).toHaveLength(7);
      // The export event is on the ledger today: the last day of the sparkline counts it, and its 1,000 customers.
      expect(top.daily[6]).toBeGreaterThanOrEqual(1);
      expect(top.customers).toBeGreaterThanOrEqual(1000);
      expect(top.department).toBe(insider.department);
      expect(top.peers).not.toBeNull();
      expect(top.peers!.size).toBeGreaterThan(0);
      expect(top.peers!.riskMedian).toBe(0);
      // The critical alert suspended them.
      expect(top.holds).toContain('suspend');
      // Ranked by risk.
      for (let i = 1; i < board.people.length; i++) expect(board.people[i - 1]!.risk).toBeGreaterThanOrEqual(board.people[i]!.risk);
      // The read is on the ledger.
      const mine = await h.app.custos.ledger.events({ actor: analyst, limit: 1000 });
      expect(mine.some((e) => (e.event.detail as { kind?: string } | undefined)?.kind === 'risk.board')).toBe(true);
    });

    it('compares a person’s distinct customers per day with their own baseline and their peer group’s', async () => {
      const res = await get(`/api/v1/risk/people/${insider.user}?days=5`);
      expect(res.statusCode).toBe(200);
      const r = res.json<{ department: string; role: string; days: number; entries: number[]; customers: number[]; baseline: number; peers: { size: number; sampled: number; customers: number[]; entries: number[] } }>();
      expect(r).toMatchObject({ department: insider.department, role: insider.role, days: 5 });
      expect(r.customers).toHaveLength(5);
      // Today holds the 1,000 customers of the bulk export; the other days none, so the own baseline (median) is 0.
      expect(r.customers[4]).toBeGreaterThanOrEqual(1000);
      expect(r.baseline).toBe(0);
      expect(r.peers.size).toBeGreaterThan(0);
      expect(r.peers.sampled).toBe(Math.min(20, r.peers.size));
      expect(r.peers.customers).toHaveLength(5);
      expect(r.peers.customers[4]).toBeLessThan(1000);
      expect((await get('/api/v1/risk/people/nobody')).json<{ error: { code: string } }>().error.code).toBe('CUSTOS_STAFF_NOT_FOUND');
      expect((await get(`/api/v1/risk/people/${insider.user}?days=0`)).statusCode).toBe(400);
    });

    it('counts a department’s entries by hour of week in the viewer’s time zone', async () => {
      const deps = (await get('/api/v1/risk/departments')).json<{ items: { department: string; people: number }[] }>().items;
      expect(deps.map((d) => d.department)).toContain(insider.department);
      const res = await get(`/api/v1/risk/heatmap?department=${encodeURIComponent(insider.department)}&days=7&tzOffset=480`);
      expect(res.statusCode).toBe(200);
      const map = res.json<{ cells: number[][]; entries: number; people: number }>();
      expect(map.cells).toHaveLength(7);
      for (const row of map.cells) expect(row).toHaveLength(24);
      expect(map.cells.flat().reduce((a, b) => a + b, 0)).toBe(map.entries);
      // The export event falls in the cell of its local (UTC+8) hour and weekday.
      const local = new Date(Date.now() + 480 * 60_000);
      expect(map.cells[(local.getUTCDay() + 6) % 7]![local.getUTCHours()]).toBeGreaterThanOrEqual(1);
      expect((await get('/api/v1/risk/heatmap?department=nobody-here')).json<{ error: { code: string } }>().error.code).toBe('CUSTOS_DEPARTMENT_NOT_FOUND');
      expect((await get('/api/v1/risk/heatmap?department=x&tzOffset=5000')).statusCode).toBe(400);
    });

    it('keeps the board, the heatmap and suspensions to the security team', async () => {
      const agent = await login(h.app, h.credentials.find((c) => c.role === 'service_agent')!);
      for (const url of ['/api/v1/risk/board', '/api/v1/risk/departments', `/api/v1/risk/heatmap?department=${insider.department}`, `/api/v1/risk/people/${insider.user}`]) {
        const res = await get(url, agent.cookie);
        expect(res.statusCode).toBe(403);
        expect(res.json<{ error: { code: string } }>().error.code).toBe('CUSTOS_SECURITY_ONLY');
      }
      const res = await h.app.inject({ method: 'POST', url: `/api/v1/holds/${insider.user}/suspend`, headers: { cookie: agent.cookie, 'x-custos-csrf': agent.csrf }, payload: { reason: 'not mine to do' } });
      expect(res.statusCode).toBe(403);
    });

    it('suspends a person by hand from an alert, on the ledger, ending their sessions; never oneself', async () => {
      const rt = h.app.custos;
      const target = h.credentials.find((c) => c.role === 'service_agent' && c.user !== insider.user)!;
      const session = await login(h.app, target);
      const alert = (await rt.watch.alerts({ actor: insider.user, limit: 1 }))[0]!;
      const post = (staffId: string, payload: Record<string, string>) => h.app.inject({ method: 'POST', url: `/api/v1/holds/${staffId}/suspend`, headers: { cookie: security.cookie, 'x-custos-csrf': security.csrf }, payload });

      expect((await post(target.user, { reason: 'x' })).statusCode).toBe(400);
      expect((await post(target.user, { reason: 'scraping seen', alert: 'a-nope' })).json<{ error: { code: string } }>().error.code).toBe('CUSTOS_ALERT_NOT_FOUND');
      expect((await post('nobody', { reason: 'scraping seen' })).json<{ error: { code: string } }>().error.code).toBe('CUSTOS_STAFF_NOT_FOUND');
      expect((await post(analyst, { reason: 'scraping seen' })).json<{ error: { code: string } }>().error.code).toBe('CUSTOS_OWN_HOLD');

      const res = await post(target.user, { reason: 'scraping seen in the queue', alert: alert.id });
      expect(res.statusCode).toBe(201);
      expect(res.json<{ hold: { kind: string; staffId: string } }>().hold).toMatchObject({ kind: 'suspend', staffId: target.user });
      expect(rt.watch.holds(target.user).map((x) => x.kind)).toContain('suspend');
      // Their session no longer works.
      const after = await h.app.inject({ method: 'GET', url: '/api/v1/me/quota', headers: { cookie: session.cookie } });
      expect([401, 403]).toContain(after.statusCode);
      const entries = await rt.ledger.events({ actor: analyst, limit: 1000 });
      const step = entries.find((e) => (e.event.detail as { kind?: string; person?: string } | undefined)?.kind === 'holds.suspend' && e.event.outcome === 'allowed');
      expect(step?.event.detail).toMatchObject({ person: target.user, alert: alert.id });
      expect(JSON.stringify(step?.event)).not.toContain('scraping seen');
    });
  });
}
