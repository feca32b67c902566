import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../src/ledger/index.js';
import { login, officeHoursClock } from '../helpers/harness.js';
import { BROWSER_ENABLED, BROWSER_SKIP_REASON, openPage, pageProblems, signIn, startConsole, storageUsed, type ConsoleServer } from './browser-harness.js';

if (!BROWSER_ENABLED) console.warn(BROWSER_SKIP_REASON);

/** The UI strings the investigator's flow drives by, in both languages. */
const UI = {
  'zh-CN': {
    alerts: '告警队列', approvals: '审批', decideOn: (id: string) => `审批申请 ${id}`, reason: '理由', approve: '批准', decided: (id: string) => `申请 ${id}：已批准。`,
    trace: '泄露文件溯源', file: '泄露的 CSV 或 XLSX 文件', traceButton: '溯源', cases: '案件', newComplaint: '登记投诉', complaint: '登记投诉', subjects: '涉及的客户编号', channel: '受理渠道',
    description: '投诉内容', nameId: '姓名', mobileId: '手机', submit: '立案', caseTitle: /^案件 /, download: '下载证据包', status: '新建',
  },
  en: {
    alerts: 'Alert queue', approvals: 'Approvals', decideOn: (id: string) => `Decide on request ${id}`, reason: 'Reason', approve: 'Approve', decided: (id: string) => `Request ${id}: Approved.`,
    trace: 'Trace a file', file: 'Leaked CSV or XLSX file', traceButton: 'Trace', cases: 'Cases', newComplaint: 'Record a complaint', complaint: 'Record a complaint', subjects: 'Customer ids concerned', channel: 'Received by',
    description: 'What the complainant says', nameId: 'Name', mobileId: 'Mobile', submit: 'Open the case', caseTitle: /^Case /, download: 'Download the evidence bundle', status: 'New',
  },
} as const;

describe.skipIf(!BROWSER_ENABLED)('the investigator console in Chromium', () => {
  let s: ConsoleServer;
  beforeAll(async () => {
    // Exports run only in office hours (the default policy): the server's clock is moved to 10:00 company time.
    s = await startConsole({ clock: officeHoursClock() });
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  for (const lang of ['zh-CN', 'en'] as const) {
    it(`${lang}: approves an export, traces its leaked copy to the recipient, turns a complaint into a case with ranked suspects, and downloads evidence that verifies`, async () => {
      const ui = UI[lang];
      const rt = s.h.app.custos;
      const analyst = s.h.credentials.find((c) => c.role === 'security_analyst')!;
      const agents = s.h.credentials.filter((c) => c.role === 'telesales' && c.employment === 'employee');
      const agentCred = agents[lang === 'en' ? agents.length - 1 : 0]!;
      const agent = await login(s.h.app, agentCred);
      const post = (url: string, payload: Record<string, unknown>) => s.h.app.inject({ method: 'POST', url, headers: { cookie: agent.cookie, 'x-custos-csrf': agent.csrf }, payload });

      // The agent looks at one of their customers (the one who will complain) and asks for an export.
      const [first] = await rt.store.selectFrom('assignments').select('customer_id').where('staff_id', '=', agentCred.user).orderBy('customer_id').limit(1).execute();
      const customer = first!.customer_id;
      const raw = await rt.source.selectFrom('customers').select(['mobile', 'name', 'id_number']).where('id', '=', customer).executeTakeFirstOrThrow();
      expect((await s.h.app.inject({ method: 'GET', url: `/api/v1/subjects/${customer}`, headers: { cookie: agent.cookie } })).statusCode).toBe(200);
      const created = await post('/api/v1/exports', { assigned: true, fields: ['name', 'mobile'], purpose: 'campaign_call', reason: 'campaign review with the team lead', format: 'csv' });
      expect(created.statusCode).toBe(201);
      const request = created.json<{ id: string }>().id;

      const { context, page, urls, problems } = await openPage(s.browser, lang === 'en' ? 'en-US' : 'zh-CN');
      try {
        await signIn(page, s.url, analyst, lang);
        await page.getByRole('heading', { name: ui.alerts }).waitFor();

        // The approvals inbox: approve the export with a reason.
        await page.getByRole('link', { name: ui.approvals, exact: true }).click();
        const decide = page.getByRole('form', { name: ui.decideOn(request) });
        expect(await pageProblems(page)).toEqual([]);
        await decide.getByLabel(ui.reason, { exact: true }).fill('campaign review approved');
        await decide.getByRole('button', { name: ui.approve, exact: true }).click();
        await page.getByText(ui.decided(request)).waitFor();
        expect((await rt.access.get(request))?.status).toBe('approved');

        // The agent downloads it; 20 rows of it leak (name and phone, shuffled); the file is traced in the console.
        const file = await s.h.app.inject({ method: 'GET', url: `/api/v1/exports/${request}/file`, headers: { cookie: agent.cookie } });
        expect(file.statusCode).toBe(200);
        const lines = file.body.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l !== '');
        const leaked = ['name,mobile', ...lines.slice(1).reverse().slice(0, 20).map((l) => l.split(',').slice(1, 3).join(','))].join('\n');
        await page.getByRole('link', { name: ui.trace, exact: true }).click();
        await page.getByLabel(ui.file, { exact: true }).setInputFiles({ name: 'leak.csv', mimeType: 'text/csv', buffer: Buffer.from(leaked, 'utf8') });
        await page.getByRole('button', { name: ui.traceButton, exact: true }).click();
        const top = page.locator('table.trace tbody tr').first();
        await top.waitFor();
        expect(await top.getAttribute('data-export')).toBe(request);
        expect(await pageProblems(page)).toEqual([]);
        expect(await top.textContent()).toContain(agentCred.user);

        // A complaint by the customer opens a case.
        await page.getByRole('link', { name: ui.cases, exact: true }).click();
        await page.getByRole('link', { name: ui.newComplaint, exact: true }).click();
        const form = page.getByRole('form', { name: ui.complaint });
        expect(await pageProblems(page)).toEqual([]);
        await form.getByLabel(ui.subjects, { exact: true }).fill(customer);
        await form.getByLabel(ui.channel, { exact: true }).selectOption('phone');
        await form.getByLabel(ui.description, { exact: true }).fill('The customer gets calls from strangers who know the balance.');
        await form.getByRole('checkbox', { name: ui.nameId, exact: true }).check();
        await form.getByRole('checkbox', { name: ui.mobileId, exact: true }).check();
        await form.getByRole('button', { name: ui.submit, exact: true }).click();
        const heading = page.getByRole('heading', { name: ui.caseTitle });
        await heading.waitFor();
        expect(await page.locator('#case-status').textContent()).toBe(ui.status);

        // The suspects, ranked: the agent who viewed and exported the customer is among them; the timeline has the accesses.
        await page.locator(`tr[data-suspect="${agentCred.user}"]`).waitFor();
        expect(await page.locator('table.timeline tbody tr').count()).toBeGreaterThanOrEqual(2);
        expect(await pageProblems(page)).toEqual([]);
        expect(await page.locator('table.timeline tbody').textContent()).toContain(agentCred.user);

        // The evidence bundle downloads and verifies offline with the ledger's verifier key.
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: ui.download, exact: true }).click()]);
        const path = await download.path();
        const evidence = JSON.parse(await readFile(path, 'utf8')) as { format: string; case: string; report: { forensics: { suspects: { actor: string }[] } } };
        expect(evidence.format).toBe('custos-case-evidence/1');
        expect(evidence.report.forensics.suspects.map((x) => x.actor)).toContain(agentCred.user);
        expect(verifyEvidence(evidence, await readFile(s.h.verifierKeyFile, 'utf8'))).toMatchObject({ ok: true });
        // A changed bundle does not.
        evidence.report.forensics.suspects = [];
        expect(verifyEvidence(evidence, await readFile(s.h.verifierKeyFile, 'utf8'))).toMatchObject({ ok: false });

        // Ids only in URLs, nothing stored in the browser, no script errors.
        for (const u of urls) {
          expect(u).not.toContain(raw.mobile);
          expect(decodeURIComponent(u)).not.toContain(raw.name);
          expect(u).not.toContain(raw.id_number);
        }
        expect(await storageUsed(page)).toEqual({ local: 0, session: 0, cookie: '', idb: 0 });
        expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
