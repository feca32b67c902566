import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Clock } from '../../src/core/clock.js';
import { BACKENDS, startHarness, type Harness } from '../helpers/harness.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');

/** Debian's Chromium (playwright-core drives it; `npx playwright install` is not used). */
export const CHROMIUM = process.env['CUSTOS_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Browser suites run when Chromium is installed (`.ci/run` installs it and sets CUSTOS_TEST_BROWSER=1);
 * CUSTOS_TEST_BROWSER=0 turns them off. Asked for (=1) without a Chromium, they fail rather than skip.
 */
export const BROWSER_ENABLED = process.env['CUSTOS_TEST_BROWSER'] === '1' || (process.env['CUSTOS_TEST_BROWSER'] !== '0' && existsSync(CHROMIUM));
export const BROWSER_SKIP_REASON =
  process.env['CUSTOS_TEST_BROWSER'] === '0'
    ? 'browser suite skipped: CUSTOS_TEST_BROWSER=0'
    : `browser suite skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium fonts-noto-cjk; .ci/run does this and sets CUSTOS_TEST_BROWSER=1)`;

export interface ConsoleServer {
  readonly h: Harness;
  readonly url: string;
  readonly browser: Browser;
  close(): Promise<void>;
}

/**
 * Builds the console, starts a real server on a fresh data directory with a small demo company, and Chromium.
 * `clock` (e.g. officeHoursClock()) for flows the policy allows only in office hours, such as exports.
 */
export async function startConsole(options: { clock?: Clock } = {}): Promise<ConsoleServer> {
  if (!existsSync(CHROMIUM)) throw new Error(`CUSTOS_TEST_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);
  // The console the server serves is the one in dist/web: build it from the current sources first.
  await run(process.execPath, [join(root, 'scripts/build-web.mjs')], { cwd: root });
  const h = await startHarness(BACKENDS[0]!, { customers: 3000, staff: 60 }, {}, options);
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = h.app.server.address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  return {
    h,
    url: `http://127.0.0.1:${port}`,
    browser,
    async close() {
      await browser.close();
      await h.close();
    },
  };
}

export interface Watched {
  readonly context: BrowserContext;
  readonly page: Page;
  /** Every URL the page navigated to or requested. */
  readonly urls: string[];
  /** Console errors and CSP violations reported by the page. */
  readonly problems: string[];
}

/** A fresh browser context (no cookies, no storage) at 1280×800 in `locale`, recording every URL it touches. */
export async function openPage(browser: Browser, locale: string): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const urls: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  page.on('framenavigated', (f) => urls.push(f.url()));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  return { context, page, urls, problems };
}

/** Whether the page left anything in web storage (it must not). */
export async function storageUsed(page: Page): Promise<{ local: number; session: number; cookie: string; idb: number }> {
  return page.evaluate(
    `(async () => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie, idb: (await indexedDB.databases()).length }))()`,
  );
}

/** The URLs among `urls` that hold a person's mobile number, name or ID number (none may). */
export function urlsWithPersonalData(urls: readonly string[], people: readonly { readonly mobile: string; readonly name: string; readonly id_number: string }[]): string[] {
  return urls.filter((u) => people.some((p) => u.includes(p.mobile) || decodeURIComponent(u).includes(p.name) || u.includes(p.id_number)));
}

const SIGN_IN = { 'zh-CN': { user: '用户', password: '密码', submit: '登录' }, en: { user: 'User', password: 'Password', submit: 'Sign in' } } as const;

/** Opens the console and signs in through its form, in the language the browser context prefers. */
export async function signIn(page: Page, url: string, cred: { readonly user: string; readonly password: string }, lang: 'zh-CN' | 'en'): Promise<void> {
  const ui = SIGN_IN[lang];
  await page.goto(url);
  await page.getByLabel(ui.user, { exact: true }).fill(cred.user);
  await page.getByLabel(ui.password, { exact: true }).fill(cred.password);
  await page.getByRole('button', { name: ui.submit, exact: true }).click();
}

/** How many pixels of the canvas inside `selector` are drawn on (not transparent). */
export async function canvasInk(page: Page, selector: string): Promise<number> {
  return page.evaluate(`(() => { const c = document.querySelector('${selector} canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()`);
}

/**
 * What is wrong with the page as it stands for keyboard and screen-reader users at 1280×800: controls without an
 * accessible name (label, aria-label or aria-labelledby, or a button's text), controls that the keyboard cannot
 * reach (negative tabindex), content wider than the window (a horizontal scroll bar), and a header that wraps
 * (its brand, menu entries and right-hand controls not on one line).
 */
export async function pageProblems(page: Page): Promise<string[]> {
  return page.evaluate(`(() => {
    const out = [];
    for (const el of document.querySelectorAll('input, select, textarea, button, a[href]')) {
      const named = (el.labels && el.labels.length > 0) || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el.textContent || '').trim() !== '';
      const what = el.tagName.toLowerCase() + (el.getAttribute('name') ? '[name=' + el.getAttribute('name') + ']' : '');
      if (!named) out.push('no accessible name: ' + what);
      if (el.tabIndex < 0 && !el.disabled) out.push('not reachable by keyboard: ' + what);
    }
    if (document.documentElement.scrollWidth > window.innerWidth) out.push('wider than the window: ' + document.documentElement.scrollWidth + 'px');
    const parts = [...document.querySelectorAll('header.top .brand, header.top nav li, header.top .top-right')].map((e) => e.getBoundingClientRect());
    const middles = parts.map((r) => (r.top + r.bottom) / 2);
    if (middles.length > 0 && Math.max(...middles) - Math.min(...middles) > 8) out.push('the header wraps onto ' + new Set(parts.map((r) => Math.round(r.top / 20))).size + ' lines');
    return out;
  })()`);
}
