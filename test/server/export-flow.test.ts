import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../src/access/index.js';
import { BACKENDS, login, officeHoursClock, startHarness, type Harness } from '../helpers/harness.js';

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`an approved export, end to end, on ${backend.name}`, () => {
    let h: Harness;
    beforeAll(async () => {
      // Exports run only 07:00–21:00 local time (policy forbid-export-off-hours): the suite runs at 10:00.
      h = await startHarness(backend, undefined, {}, { clock: officeHoursClock() });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('is requested, approved by someone else, downloaded fingerprinted, ledgered, and a leaked edit of it is traced to its recipient', async () => {
      const agentCred = h.credentials.find((c) => c.role === 'telesales' && c.employment === 'employee')!;
      const managerOf = new Map((await h.app.custos.store.selectFrom('staff').select(['id', 'manager']).execute()).map((r) => [r.id, r.manager]));
      // A colleague: neither manages the other.
      const peerCred = h.credentials.find((c) => c.user !== agentCred.user && c.role !== 'security_analyst' && managerOf.get(c.user) !== agentCred.user && managerOf.get(agentCred.user) !== c.user)!;
      const agent = await login(h.app, agentCred);
      const peer = await login(h.app, peerCred);
      const security = await login(h.app, h.credentials.find((c) => c.role === 'security_analyst')!);
      const post = (s: { cookie: string; csrf: string }, url: string, payload: Record<string, unknown>) =>
        h.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'x-custos-csrf': s.csrf }, payload });

      // Outsourced staff never get ID numbers unmasked: such an export is refused outright, before any approver.
      const outsourcedCred = h.credentials.find((c) => c.role === 'telesales' && c.employment === 'outsourced')!;
      const outsourced = await login(h.app, outsourcedCred);
      const forbidden = await post(outsourced, '/api/v1/exports', { assigned: true, fields: ['name', 'id_number'], purpose: 'campaign_call', reason: 'campaign list for the call centre' });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json<{ error: { code: string } }>().error.code).toBe('CUSTOS_FIELD_FORBIDDEN');

      const created = await post(agent, '/api/v1/exports', { assigned: true, fields: ['name', 'mobile', 'id_number', 'address'], purpose: 'campaign_call', reason: 'quarterly campaign review with the team lead', format: 'xlsx' });
      expect(created.statusCode).toBe(201);
      const req = created.json<{ id: string; status: string; subjectCount: number }>();
      expect(req.status).toBe('pending');
      expect(req.subjectCount).toBeGreaterThanOrEqual(20);

      const early = await h.app.inject({ method: 'GET', url: `/api/v1/exports/${req.id}/file`, headers: { cookie: agent.cookie } });
      expect(early.statusCode).toBe(403);
      expect(early.json<{ error: { code: string } }>().error.code).toBe('CUSTOS_EXPORT_NOT_APPROVED');
      expect((await post(agent, `/api/v1/access-requests/${req.id}/decision`, { decision: 'approve', reason: 'looks fine to me' })).json<{ error: { code: string } }>().error.code).toBe('CUSTOS_SELF_APPROVAL');
      expect((await post(peer, `/api/v1/access-requests/${req.id}/decision`, { decision: 'approve', reason: 'looks fine to me' })).json<{ error: { code: string } }>().error.code).toBe('CUSTOS_NOT_APPROVER');
      const approved = await post(security, `/api/v1/access-requests/${req.id}/decision`, { decision: 'approve', reason: 'campaign review approved', hours: 4 });
      expect(approved.statusCode).toBe(200);
      expect(approved.json<{ status: string }>().status).toBe('approved');

      const file = await h.app.inject({ method: 'GET', url: `/api/v1/exports/${req.id}/file`, headers: { cookie: agent.cookie } });
      expect(file.statusCode).toBe(200);
      expect(file.headers['content-type']).toContain('spreadsheetml');
      const rows = await readXlsx(file.rawPayload);
      expect(rows[0]).toEqual(['id', 'name', 'mobile', 'id_number', 'address']);
      // Every customer requested, plus the export's own canary row (one per 200 rows).
      expect(rows.length - 1).toBe(req.subjectCount + 1);
      // The ledger holds the download with every customer in the file, resting on the approved request.
      const rt = h.app.custos;
      const trail = await rt.ledger.events({ actor: agentCred.user, limit: 1000 });
      const download = trail.find((e) => e.event.action === 'export' && e.event.outcome === 'allowed')!;
      expect(download.event.ticket).toBe(req.id);
      expect(new Set(download.event.subjects)).toEqual(new Set(rows.slice(1).map((r) => r[0])));
      // An approved export is explained work: no high alert for it.
      await rt.watch.idle();
      expect((await rt.watch.alerts({ actor: agentCred.user, limit: 20 })).filter((a) => a.severity === 'high' || a.severity === 'critical')).toEqual([]);

      // Someone leaving within 30 days does not export (policy forbid-leaver-export), even with an approved request:
      // the policy is asked again at download.
      const leaving = new Date(rt.clock.now().getTime() + 10 * 86_400_000).toISOString().slice(0, 10);
      await rt.store.updateTable('staff').set({ leaving }).where('id', '=', agentCred.user).execute();
      const late = await h.app.inject({ method: 'GET', url: `/api/v1/exports/${req.id}/file`, headers: { cookie: agent.cookie } });
      expect(late.statusCode).toBe(403);
      expect(late.json<{ error: { code: string; message: string } }>().error).toMatchObject({ code: 'CUSTOS_FIELD_FORBIDDEN', message: expect.stringContaining('staff leaving within 30 days do not export') as string });
      const again = await post(agent, '/api/v1/exports', { assigned: true, fields: ['name'], purpose: 'campaign_call', reason: 'one more list before I go' });
      expect(again.statusCode).toBe(403);
      await rt.store.updateTable('staff').set({ leaving: null }).where('id', '=', agentCred.user).execute();

      // The leak: 20 rows, name and phone only, shuffled, saved as CSV in GBK.
      const body = rows.slice(1).sort(() => Math.random() - 0.5).slice(0, 20).map((r) => `${r[1]},${r[2]}`);
      const leakedCsv = iconv.encode(['姓名,电话', ...body].join('\r\n'), 'gbk');
      const traced = await post(security, '/api/v1/trace/file', { filename: 'leak.csv', content: leakedCsv.toString('base64') });
      expect(traced.statusCode).toBe(200);
      const result = traced.json<{ resolved: number; exports: { exportId: string; recipient: string; confidence: number }[] }>();
      expect(result.resolved).toBe(20);
      expect(result.exports[0]).toMatchObject({ exportId: req.id, recipient: agentCred.user });
      expect(result.exports[0]!.confidence).toBeGreaterThan(0.99);
    });

    it('takes a list of ids up to the row ceiling (10,000), which is longer than the default body limit', async () => {
      const agent = await login(h.app, h.credentials.find((c) => c.role === 'telesales' && c.employment === 'employee')!);
      const real = (await h.app.custos.source.selectFrom('customers').select('id').orderBy('id').limit(10_000).execute()).map((r) => r.id);
      // The demo source holds fewer customers: the rest of the list are ids of the same shape the source does not hold.
      const customers = [...real, ...Array.from({ length: 10_000 - real.length }, (_, i) => `c${String(9_000_000 + i)}`)];
      const payload = { subjects: customers, fields: ['name'], purpose: 'campaign_call', reason: 'list from the campaign planning sheet' };
      expect(JSON.stringify(payload).length).toBeGreaterThan(64 * 1024);
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/exports', headers: { cookie: agent.cookie, 'x-custos-csrf': agent.csrf }, payload });
      expect(res.statusCode).toBe(201);
      expect(res.json<{ subjectCount: number; status: string }>()).toMatchObject({ subjectCount: customers.length, status: 'pending' });
      // My requests of one kind: the exports screen lists exports however many reveal requests there are.
      const asked = await h.app.inject({ method: 'POST', url: `/api/v1/access-requests`, headers: { cookie: agent.cookie, 'x-custos-csrf': agent.csrf }, payload: { subjects: real.slice(0, 1), fields: ['mobile'], purpose: 'campaign_call', reason: 'needs a call back about the campaign' } });
      expect(asked.statusCode).toBe(201);
      const list = async (kind: string) => (await h.app.inject({ method: 'GET', url: `/api/v1/access-requests?scope=mine&kind=${kind}`, headers: { cookie: agent.cookie } })).json<{ items: { kind: string }[] }>().items.map((r) => r.kind);
      // (The suite's first test made exports as this agent too.)
      expect(new Set(await list('export'))).toEqual(new Set(['export']));
      expect(new Set(await list('reveal'))).toEqual(new Set(['reveal']));
      expect((await h.app.inject({ method: 'GET', url: '/api/v1/access-requests?scope=mine&kind=everything', headers: { cookie: agent.cookie } })).statusCode).toBe(400);
      const over = await h.app.inject({ method: 'POST', url: '/api/v1/exports', headers: { cookie: agent.cookie, 'x-custos-csrf': agent.csrf }, payload: { ...payload, subjects: [...customers, ...customers.slice(0, 1)] } });
      expect(over.statusCode).toBe(400);
    });
  });
}

describe('the hard ceiling on export rows', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(BACKENDS[0]!, undefined, { CUSTOS_EXPORT_MAX_ROWS: '5' }, { clock: officeHoursClock() });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is told to the person signing in, and a list one row over it is refused without creating anything while one at it is taken', async () => {
    const agentCred = h.credentials.find((c) => c.role === 'telesales' && c.employment === 'employee')!;
    const signIn = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { user: agentCred.user, password: agentCred.password } });
    expect(signIn.json<{ limits: { exportMaxRows: number } }>().limits).toEqual({ exportMaxRows: 5 });
    const agent = await login(h.app, agentCred);
    const me = await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: agent.cookie } });
    expect(me.json<{ limits: { exportMaxRows: number } }>().limits).toEqual({ exportMaxRows: 5 });
    const mine = await h.app.custos.identity.assigned(agentCred.user, undefined, 6);
    expect(mine).toHaveLength(6);
    const ask = (subjects: readonly string[]) =>
      h.app.inject({ method: 'POST', url: '/api/v1/exports', headers: { cookie: agent.cookie, 'x-custos-csrf': agent.csrf }, payload: { subjects, fields: ['name'], purpose: 'campaign_call', reason: 'rows against the ceiling' } });
    const over = await ask(mine);
    expect(over.statusCode).toBe(400);
    expect(await h.app.custos.access.mine(agentCred.user, 200)).toEqual([]);
    const at = await ask(mine.slice(0, 5));
    expect(at.statusCode).toBe(201);
    expect(at.json<{ subjectCount: number }>().subjectCount).toBe(5);
  });
});
