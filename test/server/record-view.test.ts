import { stripMarks } from '../../src/marks/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, login, startHarness, type Harness } from '../helpers/harness.js';

const MASKS = {
  mobile: /^1\d{2}\*{4}\d{4}$/,
  id_number: /^\d{6}\*{8}[\dX]{4}$/,
  bank_card: /^62\d{4}\*+\d{4}$/,
};

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`one record view end to end on ${backend.name}`, () => {
    let h: Harness;
    let agent: { cookie: string; csrf: string };
    let agentId: string;

    beforeAll(async () => {
      h = await startHarness(backend);
      const cred = h.credentials.find((c) => c.role === 'telesales' && c.employment === 'outsourced')!;
      agentId = cred.user;
      agent = await login(h.app, cred);
    });
    afterAll(async () => {
      await h?.close();
    });

    const get = (url: string, auth = agent) => h.app.inject({ method: 'GET', url, headers: { cookie: auth.cookie } });

    async function rawCustomer(id: string) {
      return h.app.custos.source.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    }

    async function assignedId(staffId: string): Promise<string> {
      const row = await h.app.custos.store.selectFrom('assignments').select('customer_id').where('staff_id', '=', staffId).orderBy('customer_id').executeTakeFirstOrThrow();
      return row.customer_id;
    }

    async function unrelatedId(staffId: string): Promise<string> {
      const mine = new Set((await h.app.custos.store.selectFrom('assignments').select('customer_id').where('staff_id', '=', staffId).execute()).map((r) => r.customer_id));
      const onTickets = new Set((await h.app.custos.store.selectFrom('ticket_subjects').innerJoin('tickets', 'tickets.id', 'ticket_subjects.ticket_id').select('customer_id').where('assignee', '=', staffId).execute()).map((r) => r.customer_id));
      const all = await h.app.custos.source.selectFrom('customers').select('id').orderBy('id').limit(500).execute();
      return all.map((r) => r.id).find((id) => !mine.has(id) && !onTickets.has(id))!;
    }

    it('answers /healthz', async () => {
      const res = await h.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'ok' });
    });

    it('shows an assigned customer masked by default and puts the view on the ledger first', async () => {
      const id = await assignedId(agentId);
      const before = await h.app.custos.ledger.size();
      const res = await get(`/api/v1/subjects/${id}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['cache-control']).toBe('no-store');
      const marked = res.json<{ id: string; fields: Record<string, string>; masked: string[]; watermark: { viewCode: string; lines: string[] } }>();
      // Console values carry the invisible mark of this view (docs/trace.md); the masks are checked without it.
      const body = { ...marked, fields: Object.fromEntries(Object.entries(marked.fields).map(([k, v]) => [k, stripMarks(v)])) };
      expect(h.app.custos.marks.readText(marked.fields['mobile']!)).toEqual([h.app.custos.marks.decode(marked.watermark.viewCode)]);
      expect(marked.watermark.lines[0]).toContain(agentId);
      const raw = await rawCustomer(id);
      expect(body.id).toBe(id);
      expect(body.fields['mobile']).toMatch(MASKS.mobile);
      expect(body.fields['mobile']).toBe(`${raw.mobile.slice(0, 3)}****${raw.mobile.slice(7)}`);
      expect(body.fields['id_number']).toMatch(MASKS.id_number);
      expect(body.fields['bank_card']).toMatch(MASKS.bank_card);
      expect(body.fields['name']).not.toBe(raw.name);
      expect(body.fields['name']!.startsWith([...raw.name][0]!)).toBe(true);
      expect(body.fields['address']).not.toBe(raw.address);
      expect(body.fields['address']!.endsWith('****')).toBe(true);
      expect(body.fields['email']).toMatch(/^.\*\*\*@/);
      expect(JSON.stringify(body)).not.toContain(raw.mobile);
      expect(JSON.stringify(body)).not.toContain(raw.id_number);
      expect(JSON.stringify(body)).not.toContain(raw.bank_card);
      expect(body.masked).toEqual(expect.arrayContaining(['name', 'mobile', 'id_number', 'bank_card', 'address', 'email', 'balance']));

      expect(await h.app.custos.ledger.size()).toBe(before + 1);
      const [entry] = await h.app.custos.ledger.events({ subject: id, actor: agentId });
      expect(entry?.event).toMatchObject({ actor: agentId, action: 'view', subjects: [id], outcome: 'masked', system: 'custos-console' });
      expect(entry?.event.fields).toEqual(expect.arrayContaining(['mobile', 'id_number']));
      // The ledger holds ids, never the personal values.
      expect(entry?.leaf).not.toContain(raw.mobile);
      expect(entry?.leaf).not.toContain(raw.name);
    });

    it('says for each masked field what a reveal would take and why, in the deciding policy\'s words', async () => {
      const id = await assignedId(agentId);
      const raw = await rawCustomer(id);
      const res = await get(`/api/v1/subjects/${id}`);
      const body = res.json<{ masked: string[]; maskReasons: Record<string, { code: string; reason: string }> }>();
      expect(Object.keys(body.maskReasons).sort()).toEqual([...body.masked].sort());
      // Outsourced tele-sales: identifiers never (a forbid), contact fields with a ticket, balances only with approval.
      expect(body.maskReasons['id_number']).toEqual({ code: 'CUSTOS_FIELD_FORBIDDEN', reason: 'outsourced staff never see ID numbers or bank card numbers unmasked' });
      expect(body.maskReasons['bank_card']).toEqual(body.maskReasons['id_number']);
      expect(body.maskReasons['mobile']).toEqual({ code: 'CUSTOS_TICKET_REQUIRED', reason: 'contact fields are revealed under an open ticket of yours that names the customer' });
      expect(body.maskReasons['balance']).toEqual({ code: 'CUSTOS_APPROVAL_REQUIRED', reason: 'an approved access request reveals the fields it names' });
      const reasons = JSON.stringify(body.maskReasons);
      for (const v of [raw.mobile, raw.id_number, raw.bank_card, raw.name, raw.address, raw.email]) expect(reasons).not.toContain(v);
      // The code is the one a reveal of the field is refused with.
      const refused = await h.app.inject({ method: 'POST', url: `/api/v1/subjects/${id}/reveal`, headers: { cookie: agent.cookie, 'x-custos-csrf': agent.csrf }, payload: { fields: ['bank_card'], purpose: 'campaign_call' } });
      expect(refused.json<{ error: { code: string } }>().error.code).toBe('CUSTOS_FIELD_FORBIDDEN');
      const page = (await get('/api/v1/me/assigned?limit=5')).json<{ items: { maskReasons: Record<string, { code: string }> }[] }>();
      expect(page.items[0]?.maskReasons['id_number']?.code).toBe('CUSTOS_FIELD_FORBIDDEN');
    });

    it('refuses a customer who is neither assigned nor on an open ticket, shows nothing and records the denial', async () => {
      const id = await unrelatedId(agentId);
      const raw = await rawCustomer(id);
      const res = await get(`/api/v1/subjects/${id}`);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'CUSTOS_NOT_ASSIGNED' } });
      expect(res.body).not.toContain(raw.mobile);
      expect(res.body).not.toContain([...raw.name].slice(1).join(''));
      const events = await h.app.custos.ledger.events({ subject: id, actor: agentId });
      expect(events.at(-1)?.event).toMatchObject({ action: 'view', outcome: 'denied', reason: 'CUSTOS_NOT_ASSIGNED', subjects: [id] });
    });

    it('shows a customer on an open ticket of the viewer and names the ticket on the ledger', async () => {
      const service = h.credentials.find((c) => c.role === 'service_agent')!;
      const auth = await login(h.app, service);
      const t = await h.app.custos.store
        .selectFrom('tickets')
        .innerJoin('ticket_subjects', 'ticket_subjects.ticket_id', 'tickets.id')
        .select(['tickets.id', 'ticket_subjects.customer_id'])
        .where('tickets.assignee', '=', service.user)
        .where('tickets.status', '=', 'open')
        .executeTakeFirstOrThrow();
      const assigned = await h.app.custos.store.selectFrom('assignments').select('customer_id').where('staff_id', '=', service.user).where('customer_id', '=', t.customer_id).executeTakeFirst();
      const res = await get(`/api/v1/subjects/${t.customer_id}`, auth);
      expect(res.statusCode).toBe(200);
      const [entry] = (await h.app.custos.ledger.events({ subject: t.customer_id, actor: service.user })).slice(-1);
      if (assigned === undefined) expect(entry?.event.ticket).toBe(t.id);
      expect(entry?.event.outcome).toBe('masked');
    });

    it('finds an assigned customer by phone (any common writing), name and ID number, masked', async () => {
      const id = await assignedId(agentId);
      const raw = await rawCustomer(id);
      const spaced = `+86 ${raw.mobile.slice(0, 3)} ${raw.mobile.slice(3, 7)} ${raw.mobile.slice(7)}`;
      for (const query of [`phone=${encodeURIComponent(spaced)}`, `name=${encodeURIComponent(raw.name)}`, `idNumber=${raw.id_number}`]) {
        const res = await get(`/api/v1/subjects?${query}`);
        expect(res.statusCode).toBe(200);
        const page = res.json<{ items: { id: string; fields: Record<string, string> }[]; next: string | null }>();
        expect(page.items.map((i) => i.id)).toContain(id);
        expect(res.body).not.toContain(raw.mobile);
      }
      const post = await h.app.inject({ method: 'POST', url: '/api/v1/subjects/search', headers: { cookie: agent.cookie, 'x-custos-csrf': agent.csrf }, payload: { phone: raw.mobile } });
      expect(post.statusCode).toBe(200);
      expect(post.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(id);
    });

    it('withholds search matches the viewer may not see and records them as denied', async () => {
      const id = await unrelatedId(agentId);
      const raw = await rawCustomer(id);
      const res = await get(`/api/v1/subjects?idNumber=${raw.id_number}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ items: [], next: null, watermark: { viewCode: expect.any(String) as string } });
      const events = await h.app.custos.ledger.events({ subject: id, actor: agentId });
      expect(events.at(-1)?.event).toMatchObject({ action: 'search', outcome: 'denied', subjects: [id] });
    });

    it('pages through the viewer\'s assigned customers', async () => {
      const first = await get('/api/v1/me/assigned?limit=5');
      expect(first.statusCode).toBe(200);
      const p1 = first.json<{ items: { id: string }[]; next: string }>();
      expect(p1.items).toHaveLength(5);
      const second = await get(`/api/v1/me/assigned?limit=5&after=${p1.next}`);
      const p2 = second.json<{ items: { id: string }[] }>();
      expect(p2.items[0]!.id > p1.items[4]!.id).toBe(true);
      const events = await h.app.custos.ledger.events({ actor: agentId });
      expect(events.some((e) => e.event.action === 'list' && e.event.subjects.length === 5)).toBe(true);
    });

    it('rejects bad input with 400 and a stable code, and unknown customers with 404', async () => {
      expect((await get('/api/v1/subjects?phone=123')).json()).toMatchObject({ error: { code: 'CUSTOS_BAD_REQUEST' } });
      expect((await get('/api/v1/subjects?phone=13812345678&name=x')).statusCode).toBe(400);
      expect((await get('/api/v1/subjects')).statusCode).toBe(400);
      expect((await get('/api/v1/me/assigned?limit=100000')).statusCode).toBe(400);
      expect((await get(`/api/v1/subjects/${'x'.repeat(200)}`)).statusCode).toBe(400);
      const missing = await get('/api/v1/subjects/c999999999');
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toMatchObject({ error: { code: 'CUSTOS_SUBJECT_NOT_FOUND' } });
    });

    it('keeps search keys out of the logs', async () => {
      const id = await assignedId(agentId);
      const raw = await rawCustomer(id);
      await get(`/api/v1/subjects?phone=${raw.mobile}`);
      await get(`/api/v1/subjects?idNumber=${raw.id_number}`);
      const logs = h.logs.join('');
      expect(logs).toContain('/api/v1/subjects');
      expect(logs).not.toContain(raw.mobile);
      expect(logs).not.toContain(raw.id_number);
    });

    it('shows security staff no customer data', async () => {
      const sec = h.credentials.find((c) => c.role === 'security_analyst')!;
      const auth = await login(h.app, sec);
      const res = await get(`/api/v1/subjects/${await assignedId(agentId)}`, auth);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: { code: 'CUSTOS_ROLE_NO_CUSTOMER_DATA' } });
    });

    it('needs a session or a token, and the CSRF header for state-changing console calls', async () => {
      expect((await h.app.inject({ method: 'GET', url: '/api/v1/me/assigned' })).statusCode).toBe(401);
      const del = await h.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: agent.cookie } });
      expect(del.statusCode).toBe(403);
      expect(del.json()).toMatchObject({ error: { code: 'CUSTOS_CSRF' } });
      const form = await h.app.inject({ method: 'POST', url: '/api/v1/subjects/search', headers: { cookie: agent.cookie, 'x-custos-csrf': agent.csrf, 'content-type': 'text/plain' }, payload: 'phone=13812345678' });
      expect(form.statusCode).toBe(415);
    });

    it('serves applications with an API token as the person it belongs to', async () => {
      const { token } = await h.app.custos.identity.createApiToken(agentId, 'crm');
      const id = await assignedId(agentId);
      const res = await h.app.inject({ method: 'GET', url: `/api/v1/subjects/${id}`, headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(200);
      const [entry] = (await h.app.custos.ledger.events({ subject: id, actor: agentId })).slice(-1);
      expect(entry?.event.system).toBe('custos-api');
      const bad = await h.app.inject({ method: 'GET', url: `/api/v1/subjects/${id}`, headers: { authorization: 'Bearer cus_t_nottherightsecretatall' } });
      expect(bad.statusCode).toBe(401);
    });

    it('records every login, refused ones too, and limits repeated failures', async () => {
      const victim = h.credentials.find((c) => c.role === 'teller')!;
      for (let i = 0; i < 5; i++) {
        const res = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { user: victim.user, password: 'wrong-password' } });
        expect(res.statusCode).toBe(401);
      }
      const limited = await h.app.inject({ method: 'POST', url: '/api/v1/session', payload: { user: victim.user, password: victim.password } });
      expect(limited.statusCode).toBe(429);
      expect(limited.headers['retry-after']).toBeDefined();
      const logins = (await h.app.custos.ledger.events({ actor: victim.user })).filter((e) => e.event.action === 'login');
      expect(logins.filter((e) => e.event.outcome === 'denied').length).toBe(6);
    });

    it('fails closed: when the ledger cannot record the view, no data is shown', async () => {
      const id = await assignedId(agentId);
      const raw = await rawCustomer(id);
      await h.app.custos.ledger.close();
      const res = await get(`/api/v1/subjects/${id}`);
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: { code: 'CUSTOS_LEDGER_UNAVAILABLE' } });
      expect(res.body).not.toContain(raw.mobile.slice(7));
      expect(res.body).not.toContain(raw.id_number.slice(-4));
    });
  });
}
