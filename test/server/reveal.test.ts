import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripMarks } from '../../src/marks/index.js';
import { agentTickets, BACKENDS, login, startHarness, type Harness } from '../helpers/harness.js';

type Session = { cookie: string; csrf: string };

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`reveals on ${backend.name}`, () => {
    let h: Harness;
    let agentId: string;
    let agent: Session;
    let security: Session;
    let ticket: { id: string; customer: string };
    let otherTicket: { id: string; customer: string };

    beforeAll(async () => {
      h = await startHarness(backend);
      // An employee service agent with an open ticket.
      const withTickets = await agentTickets(h, 'employee');
      const cred = h.credentials.find((c) => withTickets.some((t) => t.assignee === c.user))!;
      agentId = cred.user;
      const mine = withTickets.find((t) => t.assignee === agentId)!;
      ticket = { id: mine.id, customer: mine.customer_id };
      const others = withTickets.find((t) => t.assignee !== agentId)!;
      otherTicket = { id: others.id, customer: others.customer_id };
      agent = await login(h.app, cred);
      security = await login(h.app, h.credentials.find((c) => c.role === 'security_analyst')!);
    });
    afterAll(async () => {
      await h?.close();
    });

    const reveal = (s: Session, id: string, body: Record<string, unknown>) =>
      h.app.inject({ method: 'POST', url: `/api/v1/subjects/${id}/reveal`, headers: { cookie: s.cookie, 'x-custos-csrf': s.csrf }, payload: body });
    const code = (res: { json: <T>() => T }) => res.json<{ error: { code: string; message: string } }>().error;

    it('reveals a field with a purpose and a ticket naming the customer, and puts it on the ledger', async () => {
      const raw = await h.app.custos.source.selectFrom('customers').selectAll().where('id', '=', ticket.customer).executeTakeFirstOrThrow();
      const res = await reveal(agent, ticket.customer, { fields: ['mobile', 'address'], purpose: 'customer_request', ticket: ticket.id });
      expect(res.statusCode).toBe(200);
      const body = res.json<{ fields: Record<string, string>; basis: Record<string, string>; watermark: { viewCode: string } }>();
      expect(stripMarks(body.fields['mobile']!)).toBe(raw.mobile);
      expect(stripMarks(body.fields['address']!)).toBe(raw.address);
      expect(body.basis).toEqual({ mobile: ticket.id, address: ticket.id });
      const [entry] = (await h.app.custos.ledger.events({ subject: ticket.customer, actor: agentId })).filter((e) => e.event.action === 'reveal');
      expect(entry?.event).toMatchObject({ outcome: 'allowed', fields: ['mobile', 'address'], purpose: 'customer_request', ticket: ticket.id });
    });

    it('says what is missing when it refuses, and records each refusal', async () => {
      const cases: [Record<string, unknown>, string, string, RegExp][] = [
        [{ fields: ['mobile'], purpose: 'customer_request' }, ticket.customer, 'CUSTOS_TICKET_REQUIRED', /open ticket/],
        [{ fields: ['mobile'], purpose: 'campaign_call', ticket: ticket.id }, ticket.customer, 'CUSTOS_PURPOSE_NOT_ALLOWED', /customer_request/],
        [{ fields: ['mobile'], purpose: 'customer_request', ticket: otherTicket.id }, otherTicket.customer, 'CUSTOS_TICKET_NOT_YOURS', /assigned to someone else/],
        [{ fields: ['mobile'], purpose: 'customer_request', ticket: ticket.id }, otherTicket.customer === ticket.customer ? 'c000001' : otherTicket.customer, 'CUSTOS_TICKET_OTHER_CUSTOMER', /does not name/],
        [{ fields: ['id_number'], purpose: 'customer_request', ticket: ticket.id }, ticket.customer, 'CUSTOS_APPROVAL_REQUIRED', /ID numbers need approval/],
        [{ fields: ['mobile'], purpose: 'customer_request', ticket: ticket.id, breakGlass: { reason: 'customer on the phone, urgent' } }, ticket.customer, 'CUSTOS_BREAK_GLASS_FORBIDDEN', /not allowed/],
      ];
      for (const [body, id, expected, message] of cases) {
        const before = await h.app.custos.ledger.size();
        const res = await reveal(agent, id, body);
        expect(res.statusCode, expected).toBe(403);
        expect(code(res).code).toBe(expected);
        expect(code(res).message).toMatch(message);
        expect(res.body).not.toMatch(/1[3-9]\d{9}/);
        expect(await h.app.custos.ledger.size()).toBe(before + 1);
      }
      const denied = (await h.app.custos.ledger.events({ actor: agentId, limit: 1000 })).filter((e) => e.event.action === 'reveal' && e.event.outcome === 'denied');
      expect(denied.map((e) => e.event.reason)).toEqual(expect.arrayContaining(cases.map((c) => c[2])));
    });

    it('never reveals ID numbers or cards to outsourced staff, and nothing to security staff', async () => {
      const outsourced = h.credentials.find((c) => c.employment === 'outsourced')!;
      const s = await login(h.app, outsourced);
      const purpose = outsourced.role === 'telesales' ? 'campaign_call' : 'customer_request';
      const res = await reveal(s, ticket.customer, { fields: ['id_number'], purpose });
      expect(code(res).code).toBe('CUSTOS_FIELD_FORBIDDEN');
      expect(code(res).message).toMatch(/[Oo]utsourced staff never see ID numbers or bank card numbers unmasked \(policy forbid-outsourced-identifiers\)/);
      const sec = await reveal(security, ticket.customer, { fields: ['name'], purpose: 'customer_request' });
      expect(sec.statusCode).toBe(403);
      expect(code(sec).code).toBe('CUSTOS_ROLE_NO_CUSTOMER_DATA');
    });

    it('reveals a field needing approval once a manager or approver approves, only while the grant lasts', async () => {
      const post = (s: Session, url: string, payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'x-custos-csrf': s.csrf }, payload });
      const req = await post(agent, '/api/v1/access-requests', { subjects: [ticket.customer], fields: ['id_number'], purpose: 'kyc_review', ticket: ticket.id, reason: 'customer updates identity documents' });
      expect(req.statusCode).toBe(201);
      const id = req.json<{ id: string }>().id;
      // Four eyes: not the requester, not a peer outside the management chain and the approver roles.
      const self = await post(agent, `/api/v1/access-requests/${id}/decision`, { decision: 'approve', reason: 'my own request' });
      expect(code(self).code).toBe('CUSTOS_SELF_APPROVAL');
      const managers = new Map((await h.app.custos.store.selectFrom('staff').select(['id', 'manager']).execute()).map((r) => [r.id, r.manager]));
      const chain = (id: string): string[] => {
        const out: string[] = [];
        for (let m = managers.get(id) ?? null; m !== null && !out.includes(m); m = managers.get(m) ?? null) out.push(m);
        return out;
      };
      const peerCred = h.credentials.find((c) => c.role !== 'security_analyst' && c.user !== agentId && !chain(c.user).includes(agentId) && !chain(agentId).includes(c.user))!;
      const peer = await post(await login(h.app, peerCred), `/api/v1/access-requests/${id}/decision`, { decision: 'approve', reason: 'a colleague says yes' });
      expect(code(peer).code).toBe('CUSTOS_NOT_APPROVER');
      expect(code(await reveal(agent, ticket.customer, { fields: ['id_number'], purpose: 'kyc_review' })).code).toBe('CUSTOS_APPROVAL_REQUIRED');
      expect((await post(security, `/api/v1/access-requests/${id}/decision`, { decision: 'approve', reason: 'documents update', hours: 1 })).statusCode).toBe(200);
      const ok = await reveal(agent, ticket.customer, { fields: ['id_number'], purpose: 'kyc_review' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json<{ basis: Record<string, string> }>().basis).toEqual({ id_number: id });
      // The grant ends (time box passed): the same reveal is refused again.
      await h.app.custos.store.updateTable('access_requests').set({ expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', id).execute();
      expect(code(await reveal(agent, ticket.customer, { fields: ['id_number'], purpose: 'kyc_review' })).code).toBe('CUSTOS_APPROVAL_REQUIRED');
    });

    it('asks a person with an open high alert for an approval even with a ticket, quoting the policy, until the alert is dismissed', async () => {
      const now = new Date().toISOString();
      await h.app.custos.store
        .insertInto('alerts')
        .values({ id: 'al-risk-test', time: now, actor: agentId, detector: 'volume', severity: 'high', score: 80, summary: 'test', events: '[]', status: 'open', assignee: null, resolution: null, raised_at: now, updated_at: now })
        .execute();
      const res = await reveal(agent, ticket.customer, { fields: ['mobile'], purpose: 'customer_request', ticket: ticket.id });
      expect(res.statusCode).toBe(403);
      expect(code(res).code).toBe('CUSTOS_APPROVAL_REQUIRED');
      expect(code(res).message).toContain('staff at high risk reveal only with an approved request (policy forbid-high-risk-without-approval)');
      const view = await h.app.inject({ method: 'GET', url: `/api/v1/subjects/${ticket.customer}`, headers: { cookie: agent.cookie } });
      expect(view.json<{ maskReasons: Record<string, { code: string }> }>().maskReasons['mobile']?.code).toBe('CUSTOS_APPROVAL_REQUIRED');
      await h.app.custos.store.updateTable('alerts').set({ status: 'dismissed' }).where('id', '=', 'al-risk-test').execute();
      expect((await reveal(agent, ticket.customer, { fields: ['mobile'], purpose: 'customer_request', ticket: ticket.id })).statusCode).toBe(200);
    });

    it('fails closed when the policy engine fails: no data, CUSTOS_POLICY_UNAVAILABLE, the refusal on the ledger', async () => {
      const policies = h.app.custos.policies as { decider: () => unknown };
      const real = policies.decider;
      const broken = { ...(real() as object), grantFor: () => Promise.reject(new Error('engine failure')), defaultGrant: () => Promise.reject(new Error('engine failure')) };
      policies.decider = () => broken;
      try {
        const view = await h.app.inject({ method: 'GET', url: `/api/v1/subjects/${ticket.customer}`, headers: { cookie: agent.cookie } });
        expect(view.statusCode).toBe(503);
        expect(code(view).code).toBe('CUSTOS_POLICY_UNAVAILABLE');
        expect(view.body).not.toContain('fields');
        const res = await reveal(agent, ticket.customer, { fields: ['mobile'], purpose: 'customer_request', ticket: ticket.id });
        expect(res.statusCode).toBe(503);
        expect(code(res).code).toBe('CUSTOS_POLICY_UNAVAILABLE');
        const last = (await h.app.custos.ledger.events({ actor: agentId, limit: 1000 })).slice(-2).map((e) => [e.event.action, e.event.outcome, e.event.reason]);
        expect(last).toEqual([['view', 'denied', 'CUSTOS_POLICY_UNAVAILABLE'], ['reveal', 'denied', 'CUSTOS_POLICY_UNAVAILABLE']]);
      } finally {
        policies.decider = real;
      }
    });

    it('runs the policy engine in a decision process of its own, and keeps serving when that process dies', async () => {
      const stats = h.app.custos.policies.engineStats();
      expect(stats.isolation).toBe('process');
      expect(stats.pid).toBeDefined();
      expect(stats.pid).not.toBe(process.pid);
      process.kill(stats.pid!, 'SIGKILL');
      // A grant not yet computed needs the engine: a new decision process decides it.
      const res = await reveal(agent, ticket.customer, { fields: ['mobile'], purpose: 'complaint', ticket: ticket.id });
      expect(res.statusCode).toBe(200);
      const after = h.app.custos.policies.engineStats();
      expect(after.crashes).toBeGreaterThanOrEqual(stats.crashes + 1);
      expect(after.pid).not.toBe(stats.pid);
    });

    it('lets a risk analyst break the glass with a reason: revealed at once, security alerted, listed for review', async () => {
      const analystCred = h.credentials.find((c) => c.role === 'risk_analyst')!;
      const analyst = await login(h.app, analystCred);
      const res = await reveal(analyst, ticket.customer, { fields: ['bank_card'], purpose: 'fraud_investigation', breakGlass: { reason: 'card being used abroad right now, customer unreachable' } });
      expect(res.statusCode).toBe(200);
      const body = res.json<{ breakGlass: boolean; basis: Record<string, string> }>();
      expect(body.breakGlass).toBe(true);
      await h.app.custos.watch.idle();
      const alerts = await h.app.custos.watch.alerts({ actor: analystCred.user, limit: 10 });
      expect(alerts.some((a) => a.detector === 'break-glass' && a.severity === 'high')).toBe(true);
      const pending = await h.app.custos.access.unreviewed(10);
      expect(pending.map((r) => r.id)).toContain(body.basis['bank_card']);
    });
  });
}
