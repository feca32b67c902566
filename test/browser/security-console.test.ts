import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccessEvent } from '../../src/ledger/index.js';
import { customerId } from '../../src/sim/index.js';
import { login } from '../helpers/harness.js';
import { BROWSER_ENABLED, BROWSER_SKIP_REASON, canvasInk, openPage, pageProblems, signIn, startConsole, storageUsed, type ConsoleServer } from './browser-harness.js';

if (!BROWSER_ENABLED) console.warn(BROWSER_SKIP_REASON);

const customers = (n: number): string[] => Array.from({ length: n }, (_, i) => `c${String(i + 1).padStart(6, '0')}`);

describe.skipIf(!BROWSER_ENABLED)('the security console in Chromium', () => {
  let s: ConsoleServer;
  beforeAll(async () => {
    s = await startConsole();
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  it('shows the alert a bulk export raises, opens the person with their charts, triages it, lifts the hold, and verifies the ledger in the browser', async () => {
    const rt = s.h.app.custos;
    const insider = s.h.credentials.find((c) => c.role === 'telesales')!;
    const analyst = s.h.credentials.find((c) => c.role === 'security_analyst')!;
    // Another system reports a bulk download by the insider (docs/alerts.md).
    await rt.identity.ensureIntegration('crm-access-log');
    const token = (await rt.identity.createApiToken('crm-access-log', 'browser test')).token;
    const dump: AccessEvent = {
      id: `crm-${Date.now()}`, time: new Date().toISOString(), actor: insider.user, action: 'export', system: 'crm',
      subjects: customers(1000), fields: ['name', 'mobile', 'id_number'], outcome: 'allowed', count: 5000,
    };
    const posted = await fetch(`${s.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ events: [dump] }) });
    expect(posted.status).toBe(201);
    await rt.watch.idle();

    const { context, page, problems } = await openPage(s.browser, 'en-US');
    try {
      await signIn(page, s.url, analyst, 'en');
      await page.getByRole('heading', { name: 'Alert queue' }).waitFor();

      // The alert is in the queue: critical, about the insider.
      const row = page.locator(`tr[data-actor="${insider.user}"]`).first();
      await row.waitFor();
      expect(await row.locator('.sev').textContent()).toBe('Critical');
      // Filter by severity: still there at "high or higher".
      await page.getByLabel('Severity', { exact: true }).selectOption('high');
      await page.getByRole('button', { name: 'Apply' }).click();
      await row.waitFor();

      // Open the person: both charts render on canvases with something drawn on them.
      await row.getByRole('link', { name: insider.user }).click();
      await page.getByRole('heading', { name: `Person ${insider.user}` }).waitFor();
      for (const chart of ['#chart-hour', '#chart-day']) {
        await page.locator(`${chart} canvas`).waitFor();
        await expect.poll(() => canvasInk(page, chart)).toBeGreaterThan(2000);
      }
      expect(await page.locator('.person-alerts li').count()).toBeGreaterThan(0);

      // Triage: dismiss with a reason.
      await page.getByRole('link', { name: 'Alerts', exact: true }).click();
      await page.getByLabel('Status', { exact: true }).selectOption('');
      await page.getByRole('button', { name: 'Apply' }).click();
      const again = page.locator(`tr[data-actor="${insider.user}"]`).first();
      await again.getByRole('button', { name: 'Triage' }).click();
      await page.getByRole('form', { name: 'Dismiss' }).getByLabel('Reason').fill('approved campaign export, checked with the manager');
      await page.getByRole('form', { name: 'Dismiss' }).getByRole('button', { name: 'Dismiss' }).click();
      await page.getByText('Updated: Dismissed.').waitFor();
      const alertId = await again.getAttribute('data-alert');
      expect((await rt.watch.alerts({ actor: insider.user, limit: 10 })).find((a) => a.id === alertId)?.status).toBe('dismissed');

      // The critical alert suspended the insider: the hold is listed and lifted with a reason.
      await page.getByRole('link', { name: 'Holds', exact: true }).click();
      const lift = page.getByRole('form', { name: `Lift the holds on ${insider.user}` });
      await lift.getByLabel('Reason').fill('checked with the manager');
      await lift.getByRole('button', { name: 'Lift' }).click();
      await lift.waitFor({ state: 'detached' });
      expect(rt.watch.holds(insider.user)).toEqual([]);

      // The ledger explorer checks an inclusion and a consistency proof in the browser.
      await page.getByRole('link', { name: 'Ledger', exact: true }).click();
      const badge = page.locator('#ledger-badge');
      await badge.waitFor();
      expect(await badge.getAttribute('data-verified')).toBe('yes');
      expect(await badge.textContent()).toBe('Verified');
      const kinds = await page.locator('.checks li.ok').allTextContents();
      expect(kinds.some((k) => k.includes('is a prefix of'))).toBe(true);
      // Again, against the checkpoint verified before.
      await page.getByRole('button', { name: 'Fetch the latest checkpoint and check again' }).click();
      await page.locator('#ledger-badge[data-verified="yes"]').waitFor();

      // Who saw a customer of the export: the insider, and the entry checks out against the checkpoint.
      await page.getByRole('link', { name: 'Who saw', exact: true }).click();
      await page.getByLabel('Customer id').fill('c000001');
      await page.getByRole('button', { name: 'Search the ledger' }).click();
      const entry = page.locator('table.events tbody tr', { hasText: insider.user }).first();
      await entry.waitFor();
      await entry.getByRole('button', { name: /^Check that entry/ }).click();
      await entry.getByText('In the checkpoint').waitFor();

      // A view code off a staff member's screen names the view, with its proof checked here.
      const agent = s.h.credentials.find((c) => c.role === 'service_agent')!;
      const auth = await login(s.h.app, agent);
      const viewed = await s.h.app.inject({ method: 'GET', url: '/api/v1/me/assigned?limit=1', headers: { cookie: auth.cookie } });
      const code = viewed.json<{ watermark: { viewCode: string } }>().watermark.viewCode;
      await page.getByRole('link', { name: 'View code', exact: true }).click();
      await page.getByLabel('View code', { exact: true }).fill(code.toLowerCase());
      await page.getByRole('button', { name: 'Look up' }).click();
      await page.locator('#view-code-badge[data-verified="yes"]').waitFor();
      expect(await page.locator('dl.kv').textContent()).toContain(agent.user);

      // Both languages.
      await page.getByLabel('Language', { exact: true }).selectOption('zh-CN');
      await page.getByRole('link', { name: '账本', exact: true }).click();
      await page.getByRole('heading', { name: '账本浏览' }).waitFor();
      await page.locator('#ledger-badge[data-verified="yes"]', { hasText: '已验证' }).waitFor();

      expect(await storageUsed(page)).toEqual({ local: 0, session: 0, cookie: '', idb: 0 });
      expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  });
  it('shows the alert a scripted scrape through the API raises, opens the person with their chart, suspends them, opens a case from it, and ranks them on the risk board and heatmap', async () => {
    const rt = s.h.app.custos;
    const analyst = s.h.credentials.find((c) => c.role === 'security_analyst')!;
    const scraper = s.h.credentials.find((c) => c.role === 'service_agent' && c.employment === 'outsourced') ?? s.h.credentials.filter((c) => c.role === 'service_agent').at(-1)!;
    // The scrape: a script logs in over HTTP and walks the customer ids at machine speed until it is stopped.
    const session = await fetch(`${s.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: scraper.user, password: scraper.password }) });
    expect(session.status).toBe(200);
    const cookie = session.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const statuses: number[] = [];
    for (let i = 1; i <= 400; i++) {
      const res = await fetch(`${s.url}/api/v1/subjects/${customerId(i, 3000)}`, { headers: { cookie } });
      statuses.push(res.status);
      await res.arrayBuffer();
      if (res.status === 401 || res.status === 429) break;
    }
    expect(statuses.length).toBeLessThan(400);
    await rt.watch.idle();
    const raised = await rt.watch.alerts({ actor: scraper.user, limit: 20 });
    expect(raised.length).toBeGreaterThan(0);

    const { context, page, urls, problems } = await openPage(s.browser, 'en-US');
    try {
      await signIn(page, s.url, analyst, 'en');
      await page.getByRole('heading', { name: 'Alert queue' }).waitFor();

      // In the queue, about the scraper; the person page draws their activity.
      const row = page.locator(`tr[data-actor="${scraper.user}"]`).first();
      await row.waitFor();
      const alertId = (await row.getAttribute('data-alert'))!;
      await row.getByRole('link', { name: scraper.user }).click();
      await page.getByRole('heading', { name: `Person ${scraper.user}` }).waitFor();
      await page.locator('#chart-hour canvas').waitFor();
      await expect.poll(() => canvasInk(page, '#chart-hour')).toBeGreaterThan(2000);
      // Distinct customers per day against the person's own baseline and their peer group's.
      await page.locator('#chart-against canvas').waitFor();
      await expect.poll(() => canvasInk(page, '#chart-against')).toBeGreaterThan(2000);
      expect(await page.locator('table.counts').count()).toBe(4);
      expect(await pageProblems(page)).toEqual([]);

      // Back in the queue: suspend the person from the alert (keyboard only), then open a case from it.
      await page.getByRole('link', { name: 'Alerts', exact: true }).click();
      const again = page.locator(`tr[data-alert="${alertId}"]`);
      await again.getByRole('button', { name: 'Triage' }).focus();
      await page.keyboard.press('Enter');
      const suspend = page.getByRole('form', { name: `Suspend ${scraper.user}` });
      await suspend.getByLabel('Reason to suspend').fill('scripted scrape of the directory');
      expect(await pageProblems(page)).toEqual([]);
      await suspend.getByRole('button', { name: `Suspend ${scraper.user}` }).press('Enter');
      await page.getByText(`${scraper.user} is suspended: their sessions ended.`).waitFor();
      expect(rt.watch.holds(scraper.user).map((h) => h.kind)).toContain('suspend');
      await page.getByRole('button', { name: 'Open a case' }).click();
      const heading = page.getByRole('heading', { name: /^Case / });
      await heading.waitFor();
      const caseId = ((await heading.textContent()) ?? '').replace(/^Case /, '');
      expect((await rt.watch.alert(alertId))?.status).toBe('case');
      expect((await rt.cases.get(caseId))?.intake).toMatchObject({ alerts: [alertId] });
      await page.locator('table.timeline tbody tr').first().waitFor();
      expect(page.url()).toContain(`#/security/cases/${caseId}`);

      // The risk board ranks the scraper with a sparkline and their peer group.
      await page.getByRole('link', { name: 'Risk board', exact: true }).click();
      const ranked = page.locator(`tr[data-person="${scraper.user}"]`);
      await ranked.waitFor();
      expect(await ranked.locator('svg.sparkline polyline').count()).toBe(1);
      expect(await pageProblems(page)).toEqual([]);
      expect(await ranked.getByRole('img').getAttribute('aria-label')).toMatch(new RegExp(`^Entries per day of ${scraper.user}`));

      // The heatmap of the scraper's department has their hour lit.
      await page.getByRole('link', { name: 'Heatmap', exact: true }).click();
      const department = (await rt.identity.findStaff(scraper.user))!.department;
      await page.getByLabel('Department', { exact: true }).selectOption(department);
      await page.locator('#heatmap tbody tr').nth(6).waitFor();
      expect(await page.locator('#heatmap tbody td:not(.heat-0)').count()).toBeGreaterThan(0);
      expect(await pageProblems(page)).toEqual([]);

      // The policy in force, its test runner's results and its versions.
      await page.getByRole('link', { name: 'Policy', exact: true }).click();
      await page.getByRole('heading', { name: 'Access policy' }).waitFor();
      const tests = page.locator('#policy-tests');
      await tests.waitFor();
      const report = await rt.policies.testReport();
      expect(await tests.textContent()).toBe(`${report.passed} of ${report.passed + report.failed} test cases pass`);
      expect(await page.locator('table.policy-rules tbody tr').count()).toBe(rt.policies.decider().compiled.policies.length);
      expect(await page.locator('table.policy-tests tbody tr').count()).toBe(report.results.length);
      await page.getByRole('button', { name: `Show the diff of version ${rt.policies.current().version}` }).click();
      await page.locator('figure.diff pre').waitFor();
      expect(await pageProblems(page)).toEqual([]);

      // The canary board: two canary people made for the scraper's department, listed by audience.
      await page.getByRole('link', { name: 'Canaries', exact: true }).click();
      const make = page.getByRole('form', { name: 'Make canaries' });
      await make.getByLabel('Audience', { exact: true }).selectOption('team');
      await make.getByLabel('Staff id, department or export id', { exact: true }).fill(department);
      await make.getByLabel('How many', { exact: true }).fill('2');
      await make.getByRole('button', { name: 'Make canaries' }).click();
      await page.getByText(/^2 made: /).waitFor();
      const audience = page.locator(`tr[data-audience="team:${department}"]`);
      await audience.waitFor();
      const canaries = (await rt.canaries.list(100)).filter((c) => c.audience === `team:${department}`);
      expect(canaries).toHaveLength(2);
      for (const c of canaries) expect(await audience.textContent()).toContain(c.id);
      expect(await pageProblems(page)).toEqual([]);

      // One of them is heard of outside (a caller knew its mobile number): reported from the board, it names the canary
      // and its audience, raises a critical alert and opens a case; the value is gone from the form once sent.
      const [canaryRow] = [...(await rt.canaries.rows([canaries[0]!.id])).values()];
      const hit = page.getByRole('form', { name: 'Report a canary hit' });
      await hit.getByLabel('Kind of value', { exact: true }).selectOption('phone');
      await hit.getByLabel('Value found', { exact: true }).fill(canaryRow!.mobile);
      await hit.getByLabel('Found by', { exact: true }).selectOption('call');
      expect(await hit.getByRole('checkbox', { name: 'Open a case from it', exact: true }).isChecked()).toBe(true);
      await hit.getByRole('button', { name: 'Report the hit', exact: true }).click();
      const found = page.locator(`#hit-result[data-canary="${canaries[0]!.id}"]`);
      await found.waitFor();
      expect(await found.locator('.summary').textContent()).toBe(`Canary ${canaries[0]!.id} (audience team:${department}): critical alerts raised: 1.`);
      expect(await hit.getByLabel('Value found', { exact: true }).inputValue()).toBe('');
      const hitCase = (await rt.cases.list(10)).find((c) => c.source === 'canary');
      expect(hitCase?.intake).toMatchObject({ canary: canaries[0]!.id, hitKind: 'phone', channel: 'call' });
      const hitAlerts = await rt.watch.alerts({ limit: 50 });
      expect(hitAlerts.filter((a) => a.detector === 'canary' && a.severity === 'critical' && a.summary.includes(canaries[0]!.id))).toHaveLength(1);
      expect(await pageProblems(page)).toEqual([]);
      await found.getByRole('link', { name: `Case ${hitCase!.id} opened`, exact: true }).click();
      await page.getByRole('heading', { name: `Case ${hitCase!.id}` }).waitFor();
      expect(urls.join(' ')).not.toContain(canaryRow!.mobile);

      // Both languages.
      await page.getByLabel('Language', { exact: true }).selectOption('zh-CN');
      await page.getByRole('link', { name: '风险榜', exact: true }).click();
      await page.getByRole('heading', { name: '风险榜' }).waitFor();
      await page.locator(`tr[data-person="${scraper.user}"]`).waitFor();

      // Ids only in URLs; nothing stored in the browser; no script errors.
      for (const u of urls) expect(decodeURIComponent(u)).toMatch(/^(http:\/\/127\.0\.0\.1:\d+\/[\w/.#?=&:%-]*|about:blank)$/);
      expect(await storageUsed(page)).toEqual({ local: 0, session: 0, cookie: '', idb: 0 });
      expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
