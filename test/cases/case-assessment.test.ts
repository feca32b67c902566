import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../src/access/index.js';
import { idCardCheckDigit } from '../../src/catalog/index.js';
import { BACKENDS, login, officeHoursClock, startHarness, type Harness } from '../helpers/harness.js';

type Session = { cookie: string; csrf: string };
interface Assessment {
  severity: { level: string; counted: string; actor: string | null; records: Record<string, number>; insider: boolean; byGain: string | null };
  byActor: { actor: string; level: string }[];
  incident: { grade: string; reportable: boolean; people: number };
  clock: { required: boolean; deadline: string | null; operator: string; overdue: boolean; msLeft: number | null };
  sensitive: { flagged: boolean; fields: { column: string; category: string }[]; minors: { count: number; subjects: string[] } };
}

/** A valid 18-digit ID number for someone born on the given date (Beijing Dongcheng area code). */
function idNumberBornOn(date: string): string {
  const body = `110101${date.replaceAll('-', '')}123`;
  return body + idCardCheckDigit(body);
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`case assessment on ${backend.name}`, () => {
    let h: Harness;
    let security: Session;
    let crmToken: string;
    let customers: string[];
    let staff: string[];

    beforeAll(async () => {
      // Exports run only in office hours (policy forbid-export-off-hours): the suite runs at 10:00 local time.
      h = await startHarness(backend, undefined, {}, { clock: officeHoursClock() });
      security = await login(h.app, h.credentials.find((c) => c.role === 'security_analyst')!);
      await h.app.custos.identity.ensureIntegration('crm');
      crmToken = (await h.app.custos.identity.createApiToken('crm', 'test')).token;
      customers = (await h.app.custos.source.selectFrom('customers').select('id').orderBy('id').limit(60).execute()).map((r) => r.id);
      staff = h.credentials.filter((c) => c.role !== 'security_analyst').map((c) => c.user);
    });
    afterAll(async () => {
      await h?.close();
    });

    const send = (method: 'POST' | 'PUT' | 'GET', url: string, payload?: Record<string, unknown>) =>
      h.app.inject({ method, url, headers: { cookie: security.cookie, 'x-custos-csrf': security.csrf }, ...(payload !== undefined ? { payload } : {}) });
    /** Views reported by the CRM: `actor` saw `fields` of each customer in full. */
    async function crmViews(tag: string, actor: string, subjects: string[], fields: string[]): Promise<void> {
      const now = new Date().toISOString();
      const events = subjects.map((s, i) => ({ id: `crm-${tag}-${i}`, time: now, actor, action: 'view', system: 'crm', subjects: [s], fields, outcome: 'allowed' }));
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${crmToken}` }, payload: { events } });
      expect(res.statusCode).toBe(201);
    }
    async function complaint(subjects: string[]): Promise<string> {
      const res = await send('POST', '/api/v1/complaints', { subjects, channel: 'regulator', description: 'Customers report calls from people who knew their card numbers.' });
      expect(res.statusCode).toBe(201);
      return res.json<{ caseId: string }>().caseId;
    }
    const assessment = async (caseId: string) => (await send('GET', `/api/v1/cases/${caseId}`)).json<{ assessment: Assessment }>().assessment;

    it('counts the card numbers an insider saw against the halved threshold: 24 is below, 25 is serious, and flags them as sensitive', async () => {
      const [a, b] = [staff[0]!, staff[1]!];
      await crmViews('a', a, customers.slice(0, 24), ['name', 'bank_card']);
      await crmViews('b', b, customers.slice(30, 55), ['name', 'bank_card']);

      const below = await assessment(await complaint(customers.slice(0, 24)));
      expect(below.severity).toMatchObject({ level: 'below', counted: 'ledger', actor: a, insider: true, records: { property: 24, other: 24 } });
      expect(below.sensitive).toMatchObject({ flagged: true, fields: [{ column: 'bank_card', category: 'property' }] });
      expect(below.incident).toMatchObject({ grade: 'general', reportable: false, people: 24 });
      expect(below.clock.required).toBe(false);

      const serious = await assessment(await complaint(customers.slice(30, 55)));
      expect(serious.severity).toMatchObject({ level: 'serious', actor: b, records: { property: 25 } });
    });

    it('takes entered figures (a leaked file of 600 transaction records, a gain, the operator), and is ledgered', async () => {
      const caseId = await complaint(customers.slice(56, 58));
      const bad = await send('PUT', `/api/v1/cases/${caseId}/severity`, { records: { nonsense: 3 } });
      expect(bad.statusCode).toBe(400);
      const res = await send('PUT', `/api/v1/cases/${caseId}/severity`, { records: { transaction: 600 }, illegalGainYuan: 2600, insider: true, people: 1_500_000, operator: 'cii' });
      expect(res.statusCode).toBe(200);
      const a = res.json<{ assessment: Assessment }>().assessment;
      expect(a.severity).toMatchObject({ level: 'serious', counted: 'entered', actor: null, byGain: 'serious' });
      expect(a.incident).toMatchObject({ grade: 'relatively_major', reportable: true, people: 1_500_000 });
      expect(a.clock).toMatchObject({ required: true, operator: 'cii', overdue: false });
      const trail = await h.app.custos.ledger.events({ subject: customers[56]!, limit: 100 });
      const entry = trail.find((e) => (e.event.detail as { kind?: string } | undefined)?.kind === 'case.severity');
      expect(entry?.event.detail).toMatchObject({ case: caseId, entry: { records: { transaction: 600 }, operator: 'cii' } });
    });

    it('flags a minor among the people concerned from the ID number', async () => {
      const child = customers[59]!;
      const rt = h.app.custos;
      const born = new Date(Date.now() - 10 * 365.25 * 86_400_000).toISOString().slice(0, 10);
      await rt.source.updateTable('customers').set({ id_number: idNumberBornOn(born) }).where('id', '=', child).execute();
      const a = await assessment(await complaint([child, customers[58]!]));
      expect(a.sensitive).toMatchObject({ flagged: true, minors: { count: 1, subjects: [child] } });
    });

    it('describes the case routes in the OpenAPI document from the schemas that validate them', async () => {
      const doc = (await h.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, { requestBody?: { content: { 'application/json': { schema: { properties: Record<string, unknown> } } } } }>> }>();
      for (const path of ['/api/v1/complaints', '/api/v1/cases/{id}', '/api/v1/cases/{id}/severity', '/api/v1/cases/{id}/notices/{audience}/{lang}/{format}', '/api/v1/cases/from-file']) expect(doc.paths[path]).toBeDefined();
      const severity = doc.paths['/api/v1/cases/{id}/severity']!['put']!.requestBody!.content['application/json'].schema.properties;
      expect(Object.keys(severity)).toEqual(expect.arrayContaining(['records', 'people', 'illegalGainYuan', 'insider', 'operator', 'grade', 'discoveredAt']));
    });

    it('opens a case from a leaked file and puts the recipient of the traced export first', async () => {
      const agentCred = h.credentials.find((c) => c.role === 'telesales' && c.employment === 'employee')!;
      const agent = await login(h.app, agentCred);
      const post = (s: Session, url: string, payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'x-custos-csrf': s.csrf }, payload });
      const created = await post(agent, '/api/v1/exports', { assigned: true, fields: ['name', 'mobile', 'address'], purpose: 'campaign_call', reason: 'quarterly campaign review with the team lead', format: 'xlsx' });
      expect(created.statusCode).toBe(201);
      const req = created.json<{ id: string }>();
      expect((await post(security, `/api/v1/access-requests/${req.id}/decision`, { decision: 'approve', reason: 'campaign review approved', hours: 4 })).statusCode).toBe(200);
      const file = await h.app.inject({ method: 'GET', url: `/api/v1/exports/${req.id}/file`, headers: { cookie: agent.cookie } });
      const rows = await readXlsx(file.rawPayload);
      const leak = ['name,mobile', ...rows.slice(1, 21).map((r) => `${r[1]},${r[2]}`)].join('\n');

      const nobody = await send('POST', '/api/v1/cases/from-file', { filename: 'x.csv', content: Buffer.from('a,b\n1,2\n').toString('base64') });
      expect(nobody.statusCode).toBe(422);
      expect(nobody.json<{ error: { code: string } }>().error.code).toBe('CUSTOS_CASE_FILE_NO_SUBJECTS');

      const opened = await send('POST', '/api/v1/cases/from-file', { filename: 'leak.csv', content: Buffer.from(leak).toString('base64') });
      expect(opened.statusCode).toBe(201);
      const { caseId, exports } = opened.json<{ caseId: string; exports: { exportId: string; recipient: string; confidence: number }[] }>();
      expect(exports[0]).toMatchObject({ exportId: req.id, recipient: agentCred.user });
      const c = (await send('GET', `/api/v1/cases/${caseId}`)).json<{ source: string; subjects: string[]; forensics: { suspects: { actor: string; reasons: string[] }[] } }>();
      expect(c.source).toBe('file');
      expect(c.subjects).toHaveLength(20);
      expect(c.forensics.suspects[0]!.actor).toBe(agentCred.user);
      expect(c.forensics.suspects[0]!.reasons[0]).toMatch(new RegExp(`fingerprint of export ${req.id}`));
      for (const r of rows.slice(1, 21)) expect(JSON.stringify(c)).not.toContain(String(r[2]));
    });
  });
}
