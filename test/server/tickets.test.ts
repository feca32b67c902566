import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketProblem } from '../../src/access/index.js';
import { BACKENDS, login, startHarness, type Harness } from '../helpers/harness.js';

describe('tickets from an outside ticket system', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness(BACKENDS[0]!);
    await h.app.custos.identity.ensureIntegration('helpdesk');
    token = (await h.app.custos.identity.createApiToken('helpdesk', 'test')).token;
  });
  afterAll(async () => {
    await h?.close();
  });

  const put = (id: string, body: Record<string, unknown>, auth = `Bearer ${token}`) => h.app.inject({ method: 'PUT', url: `/api/v1/tickets/${id}`, headers: { authorization: auth }, payload: body });

  it('creates and closes tickets, which then justify (or no longer justify) a reveal', async () => {
    const agent = h.credentials.find((c) => c.role === 'service_agent')!.user;
    const other = h.credentials.find((c) => c.role === 'service_agent' && c.user !== agent)!.user;
    const opened = await put('HD-1001', { assignee: agent, status: 'open', openedAt: new Date().toISOString(), subjects: ['c0000007', 'c0000008'] });
    expect(opened.statusCode).toBe(200);
    const identity = h.app.custos.identity;
    expect(await ticketProblem(identity, agent, 'HD-1001', 'c0000007')).toBeUndefined();
    expect((await ticketProblem(identity, agent, 'HD-1001', 'c0000009'))?.code).toBe('CUSTOS_TICKET_OTHER_CUSTOMER');
    expect((await ticketProblem(identity, other, 'HD-1001', 'c0000007'))?.code).toBe('CUSTOS_TICKET_NOT_YOURS');
    expect((await ticketProblem(identity, agent, 'HD-404', 'c0000007'))?.code).toBe('CUSTOS_TICKET_UNKNOWN');
    expect((await identity.relation(agent, 'c0000008')).openTickets).toContain('HD-1001');
    const closed = await put('HD-1001', { assignee: agent, status: 'closed', openedAt: new Date().toISOString(), closedAt: new Date().toISOString(), subjects: ['c0000007'] });
    expect(closed.statusCode).toBe(200);
    expect((await ticketProblem(identity, agent, 'HD-1001', 'c0000007'))?.code).toBe('CUSTOS_TICKET_CLOSED');
    const trail = await h.app.custos.ledger.events({ actor: 'helpdesk', limit: 10 });
    expect(trail.map((e) => (e.event.detail as { kind: string }).kind)).toEqual(['ticket.upsert', 'ticket.upsert']);
  });

  it('refuses bad tickets, tickets of other systems, and callers that are not integrations', async () => {
    const agent = h.credentials.find((c) => c.role === 'service_agent')!;
    expect((await put('HD-2', { assignee: agent.user, status: 'closed', openedAt: new Date().toISOString(), subjects: [] })).statusCode).toBe(400);
    expect((await put('HD-2', { assignee: 'nobody', status: 'open', openedAt: new Date().toISOString(), subjects: [] })).statusCode).toBe(404);
    const demoTicket = await h.app.custos.store.selectFrom('tickets').select('id').where('system', '!=', 'helpdesk').executeTakeFirstOrThrow();
    const taken = await put(demoTicket.id, { assignee: agent.user, status: 'open', openedAt: new Date().toISOString(), subjects: [] });
    expect(taken.statusCode).toBe(409);
    const person = await login(h.app, agent);
    const res = await h.app.inject({ method: 'PUT', url: '/api/v1/tickets/HD-3', headers: { cookie: person.cookie, 'x-custos-csrf': person.csrf }, payload: { assignee: agent.user, status: 'open', openedAt: new Date().toISOString(), subjects: [] } });
    expect(res.statusCode).toBe(403);
  });
});
