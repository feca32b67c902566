/**
 * The screenshots in docs/console/ (`npm run screenshots`): builds the console, starts a demo server with a small
 * company, plays a few things that happen in it (a bulk export reported by the CRM, a scripted scrape, a reveal on
 * a ticket, requests waiting for approval, an approved export that leaks, a complaint with its severity, clock and
 * notices, a canary hit), and photographs the main pages in Chromium at 1280×800.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { AccessEvent } from '../../src/ledger/index.js';
import { customerId } from '../../src/sim/index.js';
import { agentTickets, login, officeHoursClock } from '../helpers/harness.js';
import { openPage, signIn, startConsole } from './browser-harness.js';

const OUT = resolve(import.meta.dirname, '../../docs/console');

async function shot(page: Page, name: string, ready: string): Promise<void> {
  await page.locator(ready).first().waitFor();
  // From the top of the page, once charts and fonts have settled.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  console.log(`docs/console/${name}.png`);
}

/** The same, with the page scrolled so that `at` is at the top of the window. */
async function shotAt(page: Page, name: string, at: string): Promise<void> {
  await page.locator(at).first().waitFor();
  await page.evaluate(`document.querySelector(${JSON.stringify(at)}).scrollIntoView({ block: 'start' })`);
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(OUT, `${name}.png`) });
  console.log(`docs/console/${name}.png`);
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const s = await startConsole({ clock: officeHoursClock() });
  try {
    const rt = s.h.app.custos;
    const cred = (role: string, employment?: string) => s.h.credentials.find((c) => c.role === role && (employment === undefined || c.employment === employment))!;
    const analyst = cred('security_analyst');

    // A bulk export reported by the CRM (a critical alert that suspends its author).
    await rt.identity.ensureIntegration('crm-access-log');
    const token = (await rt.identity.createApiToken('crm-access-log', 'screenshots')).token;
    const bulk = cred('telesales', 'outsourced');
    const dump: AccessEvent = { id: `crm-${Date.now()}`, time: new Date().toISOString(), actor: bulk.user, action: 'export', system: 'crm', subjects: Array.from({ length: 800 }, (_, i) => customerId(i + 1, 3000)), fields: ['name', 'mobile'], outcome: 'allowed', count: 800 };
    await fetch(`${s.url}/api/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ events: [dump] }) });

    // A scripted scrape through the record API.
    const scraper = cred('service_agent', 'outsourced');
    const sc = await login(s.h.app, scraper);
    for (let i = 1; i <= 400; i++) {
      const res = await s.h.app.inject({ method: 'GET', url: `/api/v1/subjects/${customerId(i, 3000)}`, headers: { cookie: sc.cookie } });
      if (res.statusCode === 401 || res.statusCode === 429) break;
      await new Promise((r) => setImmediate(r));
    }

    // An export asked for, approved, downloaded and leaked; another one waiting.
    const seller = s.h.credentials.filter((c) => c.role === 'telesales' && c.employment === 'employee');
    const sellerA = await login(s.h.app, seller[0]!);
    const sellerB = await login(s.h.app, seller.at(-1)!);
    const sec = await login(s.h.app, analyst);
    const post = (who: { cookie: string; csrf: string }, url: string, payload: Record<string, unknown>) => s.h.app.inject({ method: 'POST', url, headers: { cookie: who.cookie, 'x-custos-csrf': who.csrf }, payload });
    const exported = (await post(sellerA, '/api/v1/exports', { assigned: true, fields: ['name', 'mobile'], purpose: 'campaign_call', reason: 'quarterly campaign review', format: 'csv' })).json<{ id: string }>().id;
    await post(sec, `/api/v1/access-requests/${exported}/decision`, { decision: 'approve', reason: 'campaign review approved', hours: 4 });
    const file = await s.h.app.inject({ method: 'GET', url: `/api/v1/exports/${exported}/file`, headers: { cookie: sellerA.cookie } });
    const lines = file.body.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l !== '');
    const leak = ['name,mobile', ...lines.slice(1, 21).map((l) => l.split(',').slice(1, 3).join(','))].join('\n');
    await post(sellerB, '/api/v1/exports', { assigned: true, fields: ['name', 'mobile', 'address'], purpose: 'campaign_call', reason: 'mailing for the spring campaign', format: 'xlsx' });

    // A service agent on a ticket.
    const tickets = await agentTickets(s.h, 'employee');
    const agentCred = s.h.credentials.find((c) => tickets.some((x) => x.assignee === c.user))!;
    const ticket = tickets.find((x) => x.assignee === agentCred.user)!;
    const agent = await login(s.h.app, agentCred);
    await post(agent, '/api/v1/access-requests', { subjects: [ticket.customer_id], fields: ['id_number'], purpose: 'customer_request', ticket: ticket.id, reason: 'customer asks to confirm the ID on file' });
    await post(sec, '/api/v1/canaries', { audience: `team:${(await rt.identity.findStaff(scraper.user))!.department}`, count: 3 });
    await post(sec, '/api/v1/canaries', { audience: `export:${exported}`, count: 1 });
    await rt.watch.idle();

    // Staff, in Chinese and English.
    for (const lang of ['zh-CN', 'en'] as const) {
      const { context, page } = await openPage(s.browser, lang === 'en' ? 'en-US' : 'zh-CN');
      await signIn(page, s.url, agentCred, lang);
      await page.waitForURL(/#\/search$/);
      await page.goto(`${s.url}/#/customers/${ticket.customer_id}`);
      await page.locator('tr[data-field="mobile"] .masked-badge').waitFor();
      const form = page.locator('form').filter({ has: page.locator('input[name="ticket"]') });
      await form.locator('input[value="mobile"]').check();
      await form.locator('input[value="address"]').check();
      await form.locator('input[name="ticket"]').fill(ticket.id);
      await form.locator('button[type="submit"]').click();
      await page.locator('tr[data-field="mobile"] .revealed-badge').waitFor();
      await page.locator('#custos-watermark').waitFor({ state: 'attached' });
      await shot(page, `staff-record-${lang}`, 'tr[data-field="address"] .revealed-badge');
      if (lang === 'en') {
        await page.goto(`${s.url}/#/requests`);
        await shot(page, 'staff-requests-en', 'table.requests tbody tr');
      }
      await context.close();
    }

    // The exports page of the seller whose export was approved.
    {
      const { context, page } = await openPage(s.browser, 'en-US');
      await signIn(page, s.url, seller[0]!, 'en');
      await page.waitForURL(/#\/search$/);
      await page.goto(`${s.url}/#/exports`);
      await shot(page, 'staff-exports-en', 'table.exports tbody tr');
      await context.close();
    }

    // Security and investigations, in English (and the risk board in Chinese).
    const { context, page } = await openPage(s.browser, 'en-US');
    await signIn(page, s.url, analyst, 'en');
    await page.locator('table.alerts tbody tr').first().waitFor();
    await page.locator(`tr[data-actor="${scraper.user}"]`).first().getByRole('button').click();
    await shot(page, 'security-alerts-en', '.alert-details');
    await page.goto(`${s.url}/#/security/risk`);
    await shot(page, 'security-risk-en', 'svg.sparkline');
    await page.goto(`${s.url}/#/security/heatmap`);
    await page.locator('select[name="department"]').selectOption((await rt.identity.findStaff(scraper.user))!.department);
    await shot(page, 'security-heatmap-en', '#heatmap tbody tr');
    await page.goto(`${s.url}/#/security/people/${scraper.user}`);
    await shot(page, 'security-person-en', '#chart-hour canvas');
    await page.goto(`${s.url}/#/approvals`);
    await shot(page, 'security-approvals-en', 'table.approvals tbody tr');
    await page.goto(`${s.url}/#/security/trace`);
    await page.locator('input[type="file"]').setInputFiles({ name: 'leak.csv', mimeType: 'text/csv', buffer: Buffer.from(leak, 'utf8') });
    await page.getByRole('button', { name: 'Trace', exact: true }).click();
    await shot(page, 'security-trace-en', 'table.trace tbody tr');
    await page.locator('textarea[name="subjects"]').fill(lines.slice(1, 21).map((l) => l.split(',')[0]).join('\n'));
    await page.getByRole('button', { name: 'Rank the suspects' }).click();
    await shotAt(page, 'security-leak-en', 'table.leak tbody tr');
    await page.goto(`${s.url}/#/security/cases/new`);
    await page.locator('input[name="subjects"]').fill(ticket.customer_id);
    await page.locator('textarea[name="description"]').fill('The customer gets calls from strangers who know the address.');
    await page.locator('input[value="address"]').check();
    await shot(page, 'security-complaint-en', 'textarea[name="description"]');
    await page.locator('form.card button[type="submit"]').click();
    await shot(page, 'security-case-en', 'table.suspects tbody tr');
    // Figures entered: a million people, discovered five hours ago: 较大, overdue.
    const figures = page.getByRole('form', { name: 'Figures known beyond the ledger' });
    await figures.getByLabel('People affected', { exact: true }).fill('1000000');
    const discovered = rt.clock.now().getTime() - 5 * 3_600_000 - 120_000;
    await figures.getByLabel('Discovered at', { exact: true }).fill(await page.evaluate((t) => new Date(t - new Date(t).getTimezoneOffset() * 60_000).toISOString().slice(0, 16), discovered));
    await figures.getByRole('button', { name: 'Save the figures' }).click();
    await page.locator('#case-clock[data-overdue="true"]').waitFor();
    await shotAt(page, 'security-case-severity-en', '#case-severity');
    await shotAt(page, 'security-case-clock-en', '#case-clock');
    await page.getByRole('button', { name: 'Draft the notices' }).click();
    await page.locator('table.notices tbody tr').nth(3).waitFor();
    await page.getByRole('button', { name: 'Open the notices' }).click();
    await page.locator('article.notice').first().waitFor();
    await shotAt(page, 'security-case-notices-en', 'table.notices');
    await page.goto(`${s.url}/#/security/canaries`);
    await shot(page, 'security-canaries-en', 'table.canaries tbody tr');
    // A team canary's mobile number heard on a call.
    const team = (await rt.canaries.list(100)).find((c) => c.audience.startsWith('team:'))!;
    const [teamRow] = [...(await rt.canaries.rows([team.id])).values()];
    await page.getByLabel('Value found', { exact: true }).fill(teamRow!.mobile);
    await page.getByRole('button', { name: 'Report the hit' }).click();
    await page.locator('#hit-result').waitFor();
    await shotAt(page, 'security-canary-hit-en', 'form[aria-label="Report a canary hit"]');
    await page.goto(`${s.url}/#/security/policy`);
    await shot(page, 'security-policy-en', '#policy-tests');
    await page.goto(`${s.url}/#/security/ledger`);
    await shot(page, 'security-ledger-en', '#ledger-badge[data-verified="yes"]');
    await page.getByLabel('Language', { exact: true }).selectOption('zh-CN');
    await page.goto(`${s.url}/#/security/risk`);
    await shot(page, 'security-risk-zh-CN', 'svg.sparkline');
    await context.close();
  } finally {
    await s.close();
  }
}

await main();
