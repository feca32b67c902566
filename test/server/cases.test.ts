import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { verifyEvidence } from '../../src/ledger/index.js';
import { custos } from '../helpers/cli.js';
import { agentTickets, BACKENDS, login, startHarness, type Harness } from '../helpers/harness.js';

type Session = { cookie: string; csrf: string };

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`cases on ${backend.name}`, () => {
    let h: Harness;
    let insider: string;
    let insiderSession: Session;
    let customer: string;
    let security: Session;
    let investigator: string;

    beforeAll(async () => {
      h = await startHarness(backend, undefined, { CUSTOS_COMPANY_NAME: '示例云计算有限公司' });
      const tickets = await agentTickets(h);
      const cred = h.credentials.find((c) => tickets.some((t) => t.assignee === c.user))!;
      insider = cred.user;
      const t = tickets.find((x) => x.assignee === insider)!;
      customer = t.customer_id;
      insiderSession = await login(h.app, cred);
      // The insider reveals the customer's phone under their ticket (what later leaks)…
      const rev = await h.app.inject({ method: 'POST', url: `/api/v1/subjects/${customer}/reveal`, headers: { cookie: insiderSession.cookie, 'x-custos-csrf': insiderSession.csrf }, payload: { fields: ['mobile', 'employer'], purpose: 'customer_request', ticket: t.id } });
      expect(rev.statusCode).toBe(200);
      // …and colleagues see the same customer masked in the CRM (reported by an integration).
      await h.app.custos.identity.ensureIntegration('crm');
      const token = (await h.app.custos.identity.createApiToken('crm', 'test')).token;
      const others = h.credentials.filter((c) => c.user !== insider && c.role !== 'security_analyst').slice(0, 3);
      const events = others.map((o, i) => ({ id: `crm-v-${i}`, time: new Date().toISOString(), actor: o.user, action: 'view', system: 'crm', subjects: [customer], fields: ['name'], outcome: 'masked' }));
      expect((await h.app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: `Bearer ${token}` }, payload: { events } })).statusCode).toBe(201);
      const sec = h.credentials.find((c) => c.role === 'security_analyst')!;
      investigator = sec.user;
      security = await login(h.app, sec);
    });
    afterAll(async () => {
      await h?.close();
    });

    const send = (method: 'POST' | 'PUT' | 'GET', url: string, payload?: Record<string, unknown>, s: Session = security) =>
      h.app.inject({ method, url, headers: { cookie: s.cookie, 'x-custos-csrf': s.csrf }, ...(payload !== undefined ? { payload } : {}) });
    const errorCode = (res: { json: <T>() => T }) => res.json<{ error: { code: string } }>().error.code;

    it('turns a complaint into a case whose forensics put the insider first, and runs it to closure only with findings and a reply', async () => {
      const opened = await send('POST', '/api/v1/complaints', { subjects: [customer], channel: 'phone', description: 'A stranger called me by name and knew my employer.', identifiers: ['name', 'mobile', 'employer'] });
      expect(opened.statusCode).toBe(201);
      const { caseId } = opened.json<{ caseId: string }>();

      const view = await send('GET', `/api/v1/cases/${caseId}`);
      expect(view.statusCode).toBe(200);
      const c = view.json<{ status: string; forensics: { suspects: { actor: string; reasons: string[] }[]; accesses: { actor: string; action: string; purpose?: string; ticket?: string }[] } }>();
      expect(c.status).toBe('new');
      expect(c.forensics.suspects[0]!.actor).toBe(insider);
      expect(c.forensics.suspects.length).toBeGreaterThanOrEqual(4);
      // Beside it, the tracing capability's attribution over the same window names the same people.
      const attribution = view.json<{ attribution: { suspects: { kind: string; actor: string; probability: number }[] } }>().attribution;
      expect(attribution.suspects.filter((x) => x.kind === 'person').map((x) => x.actor)).toEqual(expect.arrayContaining(c.forensics.suspects.map((x) => x.actor)));
      expect(c.forensics.accesses.some((a) => a.actor === insider && a.action === 'reveal' && a.purpose === 'customer_request' && a.ticket !== undefined)).toBe(true);
      expect(view.body).not.toMatch(/1[3-9]\d{9}/);
      // The assessment: one person's mobile and employer revealed by an insider: well below the thresholds.
      const assessment = view.json<{ assessment: { severity: { level: string; actor: string; insider: boolean; records: Record<string, number> }; incident: { grade: string }; clock: { required: boolean } } }>().assessment;
      expect(assessment.severity).toMatchObject({ level: 'below', actor: insider, insider: true, records: { other: 1 } });
      expect(assessment.incident.grade).toBe('general');
      expect(assessment.clock.required).toBe(false);

      expect((await send('POST', `/api/v1/cases/${caseId}/transition`, { to: 'closed' })).statusCode).toBe(409);
      expect((await send('POST', `/api/v1/cases/${caseId}/transition`, { to: 'investigating' })).statusCode).toBe(200);
      const noFindings = await send('POST', `/api/v1/cases/${caseId}/transition`, { to: 'closed' });
      expect(errorCode(noFindings)).toBe('CUSTOS_CASE_NO_FINDINGS');
      const contain = await send('POST', `/api/v1/cases/${caseId}/contain`, { action: 'suspend', person: insider });
      expect(contain.statusCode).toBe(200);
      expect((await h.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: insiderSession.cookie } })).statusCode).toBe(401);
      expect((await send('PUT', `/api/v1/cases/${caseId}/findings`, { cause: 'phone revealed under a ticket and passed on', responsible: [insider], recordsAffected: 1, measures: 'access suspended, ticket reviewed' })).statusCode).toBe(200);
      expect((await send('POST', `/api/v1/cases/${caseId}/transition`, { to: 'contained' })).statusCode).toBe(200);
      const noReply = await send('POST', `/api/v1/cases/${caseId}/transition`, { to: 'closed' });
      expect(errorCode(noReply)).toBe('CUSTOS_CASE_NO_REPLY');
      expect((await send('PUT', `/api/v1/cases/${caseId}/reply`, { reply: 'We found who passed on your number and stopped their access.' })).statusCode).toBe(200);
      expect((await send('POST', `/api/v1/cases/${caseId}/notes`, { body: 'called the customer back' })).statusCode).toBe(201);
      expect((await send('POST', `/api/v1/cases/${caseId}/transition`, { to: 'closed' })).statusCode).toBe(200);
      expect(errorCode(await send('PUT', `/api/v1/cases/${caseId}/reply`, { reply: 'too late' }))).toBe('CUSTOS_CASE_CLOSED');

      // The evidence: verifies offline, with the library and with `custos ledger verify`.
      const bundle = await send('GET', `/api/v1/cases/${caseId}/bundle`);
      expect(bundle.statusCode).toBe(200);
      const evidence = bundle.json<{ bundle: { entries: { leaf: string }[] } }>();
      const key = (await readFile(h.verifierKeyFile, 'utf8')).trim();
      expect(verifyEvidence(evidence, key)).toMatchObject({ ok: true });
      const kinds = evidence.bundle.entries.map((e) => (JSON.parse(Buffer.from(e.leaf, 'base64').toString('utf8')) as { detail?: { kind?: string } }).detail?.kind);
      expect(kinds).toEqual(expect.arrayContaining(['case.open', 'case.view', 'case.transition', 'case.findings', 'case.reply', 'case.note', 'case.contain.suspend']));
      const dir = await mkdtemp(join(tmpdir(), 'custos-case-'));
      try {
        await writeFile(join(dir, 'evidence.json'), bundle.body);
        const r = await custos('ledger', 'verify', join(dir, 'evidence.json'), '--key', h.verifierKeyFile);
        expect(r.code).toBe(0);
        expect(r.out).toMatch(/^ok: \d+ entries/);
        const tampered = { ...evidence, report: { ...(evidence as unknown as { report: object }).report, forensics: null } };
        expect(verifyEvidence(tampered, key)).toMatchObject({ ok: false });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }

      // Every case action is on the ledger, by the investigator.
      const trail = await h.app.custos.ledger.events({ actor: investigator, limit: 1000 });
      expect(trail.map((e) => (e.event.detail as { kind?: string } | undefined)?.kind)).toEqual(expect.arrayContaining(['case.open', 'case.view', 'case.transition', 'case.findings', 'case.reply', 'case.note', 'case.contain.suspend', 'case.bundle']));
    });

    it('drafts notices to the regulator and the person in zh-CN and en, versions every edit on the ledger, and exports them as HTML and PDF', async () => {
      const caseId = (await send('POST', '/api/v1/complaints', { subjects: [customer], channel: 'email', description: 'Sales calls from a stranger who knew my employer.', identifiers: ['name', 'employer'] })).json<{ caseId: string }>().caseId;
      expect(errorCode(await send('GET', `/api/v1/cases/${caseId}/notices/individual/zh-CN/pdf`))).toBe('CUSTOS_NOTICE_NOT_FOUND');
      const drafted = await send('POST', `/api/v1/cases/${caseId}/notices`);
      expect(drafted.statusCode).toBe(201);
      type Notice = { audience: string; lang: string; version: number; sha256: string; text: Record<string, string>; problems: string[] };
      const notices = drafted.json<{ drafted: number; notices: Notice[] }>();
      expect(notices.drafted).toBe(4);
      expect(notices.notices.map((n) => `${n.audience}/${n.lang}`)).toEqual(['individual/en', 'individual/zh-CN', 'regulator/en', 'regulator/zh-CN']);
      const zh = notices.notices.find((n) => n.audience === 'individual' && n.lang === 'zh-CN')!;
      expect(zh.text['title']).toBe('个人信息安全事件告知书');
      expect(zh.text['information']).toMatch(/手机号码.*工作单位|工作单位.*手机号码/);
      expect(zh.text['summary']).toContain('示例云计算有限公司');
      // No contact configured: the notice cannot go out until someone writes how to reach the company.
      expect(zh.problems).toEqual(['contact']);
      expect(errorCode(await send('GET', `/api/v1/cases/${caseId}/notices/individual/zh-CN/pdf`))).toBe('CUSTOS_NOTICE_INCOMPLETE');
      expect((await send('POST', `/api/v1/cases/${caseId}/notices`)).statusCode).toBe(200);

      const list = await send('GET', `/api/v1/cases/${caseId}/notices`);
      expect(list.statusCode).toBe(200);
      const people = list.json<{ recipients: { subject: string; channel: string; contact: string }[] }>().recipients;
      expect(people).toEqual([{ subject: customer, channel: 'sms', contact: expect.stringMatching(/^1\d{2}\*{4}\d{4}$/) as string, alternatives: expect.any(Array) as unknown[] }]);
      const raw = await h.app.custos.source.selectFrom('customers').select(['mobile', 'email', 'address']).where('id', '=', customer).executeTakeFirstOrThrow();
      for (const v of [raw.mobile, raw.email, raw.address]) expect(list.body).not.toContain(v);

      const edits: Record<string, Notice> = {};
      for (const n of notices.notices) {
        const text = { ...n.text, contact: n.lang === 'zh-CN' ? '个人信息保护负责人：pipo@example.com' : 'Data protection officer: pipo@example.com' };
        const res = await send('PUT', `/api/v1/cases/${caseId}/notices/${n.audience}/${n.lang}`, { text });
        expect(res.statusCode).toBe(200);
        edits[`${n.audience}/${n.lang}`] = res.json<Notice>();
      }
      expect(edits['individual/zh-CN']).toMatchObject({ version: 2, problems: [] });
      expect((await send('PUT', `/api/v1/cases/${caseId}/notices/individual/zh-CN`, { text: { title: 'x' } })).statusCode).toBe(400);
      expect((await send('PUT', `/api/v1/cases/${caseId}/notices/individual/fr`, { text: zh.text })).statusCode).toBe(400);

      for (const lang of ['zh-CN', 'en']) {
        for (const audience of ['individual', 'regulator']) {
          const html = await send('GET', `/api/v1/cases/${caseId}/notices/${audience}/${lang}/html`);
          expect(html.statusCode).toBe(200);
          expect(html.headers['content-type']).toContain('text/html');
          expect(html.body).toContain(`<html lang="${lang}">`);
          expect(html.body).toContain(edits[`${audience}/${lang}`]!.sha256);
        }
        const pdf = await send('GET', `/api/v1/cases/${caseId}/notices/individual/${lang}/pdf`);
        expect(pdf.statusCode).toBe(200);
        expect(pdf.headers['content-type']).toBe('application/pdf');
        const doc = await getDocument({ data: new Uint8Array(pdf.rawPayload), isEvalSupported: false }).promise;
        let text = '';
        for (let i = 1; i <= doc.numPages; i++) text += (await (await doc.getPage(i)).getTextContent()).items.map((it) => ('str' in it ? it.str : '')).join('');
        await doc.destroy();
        expect(text.replace(/\s+/g, '')).toContain((lang === 'zh-CN' ? '个人信息安全事件告知书' : 'Noticeofapersonalinformationincident'));
        expect(text).toContain('pipo@example.com');
      }
      // The first version is kept as it was: still without a contact, so still not fit to go out.
      expect((await send('GET', `/api/v1/cases/${caseId}/notices/individual/zh-CN/html?version=1`)).statusCode).toBe(409);

      const trail = (await h.app.custos.ledger.events({ actor: investigator, limit: 2000 })).map((e) => (e.event.detail ?? {}) as { kind?: string; case?: string; version?: number; sha256?: string; audience?: string; lang?: string });
      const mine = trail.filter((d) => d.case === caseId);
      expect(mine.map((d) => d.kind)).toEqual(expect.arrayContaining(['case.notice.draft', 'case.notice.list', 'case.notice.edit', 'case.notice.export']));
      expect(mine.find((d) => d.kind === 'case.notice.edit' && d.audience === 'individual' && d.lang === 'zh-CN')).toMatchObject({ version: 2, sha256: edits['individual/zh-CN']!.sha256 });
    }, 60_000);

    it('opens cases only for the security roles', async () => {
      const agent = await login(h.app, h.credentials.find((c) => c.role === 'service_agent' && c.user !== insider)!);
      const res = await send('POST', '/api/v1/complaints', { subjects: [customer], channel: 'phone', description: 'test' }, agent);
      expect(res.statusCode).toBe(403);
      expect(errorCode(res)).toBe('CUSTOS_SECURITY_ONLY');
    });
  });
}
