import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePng, pixelsOff } from './png.js';
import { BROWSER_ENABLED, BROWSER_SKIP_REASON, openPage, startConsole, storageUsed, type ConsoleServer } from './browser-harness.js';

if (!BROWSER_ENABLED) console.warn(BROWSER_SKIP_REASON);

/** The UI strings the test drives by, in both languages (as a user reads them). */
const UI = {
  'zh-CN': { user: '用户', password: '密码', signIn: '登录', searchTitle: '查找客户', value: '查询内容', search: '查询', open: (id: string) => `打开客户 ${id} 的记录`, record: (id: string) => `客户 ${id}`, masked: '已脱敏', mine: '我的客户', language: '语言', other: 'en' },
  en: { user: 'User', password: 'Password', signIn: 'Sign in', searchTitle: 'Find a customer', value: 'Value', search: 'Search', open: (id: string) => `Open the record of ${id}`, record: (id: string) => `Customer ${id}`, masked: 'Masked', mine: 'My customers', language: 'Language', other: 'zh-CN' },
} as const;

/** The page background (app.css) and the strip below the content where only the watermark can draw. */
const BACKGROUND: readonly [number, number, number] = [0xf7, 0xf8, 0xfa];
const STRIP = { x: 20, y: 665, width: 960, height: 130 };

async function watermarkPixels(page: Page): Promise<number> {
  return pixelsOff(decodePng(await page.screenshot({ clip: STRIP })), BACKGROUND);
}

describe.skipIf(!BROWSER_ENABLED)('the staff console in Chromium', () => {
  let s: ConsoleServer;
  beforeAll(async () => {
    s = await startConsole();
  }, 120_000);
  afterAll(async () => {
    await s?.close();
  });

  for (const lang of ['zh-CN', 'en'] as const) {
    it(`${lang}: signs in, finds a customer by phone, shows the record masked under a watermark that is drawn, comes back when removed, and keeps personal data out of URLs and storage`, async () => {
      const ui = UI[lang];
      const cred = s.h.credentials.find((c) => c.role === 'service_agent')!;
      const assigned = await s.h.app.custos.store.selectFrom('assignments').select('customer_id').where('staff_id', '=', cred.user).orderBy('customer_id').limit(2).execute();
      const id = assigned[lang === 'en' ? 1 : 0]!.customer_id;
      const raw = await s.h.app.custos.source.selectFrom('customers').select(['mobile', 'name', 'id_number']).where('id', '=', id).executeTakeFirstOrThrow();
      const { context, page, urls, problems } = await openPage(s.browser, lang === 'en' ? 'en-US' : 'zh-CN');
      try {
        await page.goto(s.url);
        await page.getByLabel(ui.user, { exact: true }).fill(cred.user);
        await page.getByLabel(ui.password, { exact: true }).fill(cred.password);
        await page.getByRole('button', { name: ui.signIn, exact: true }).click();
        await page.getByRole('heading', { name: ui.searchTitle }).waitFor();
        expect(await page.evaluate('document.documentElement.lang')).toBe(lang);

        // No data shown yet: no watermark, and the strip is plain background.
        expect(await page.locator('#custos-watermark').count()).toBe(0);
        const before = await watermarkPixels(page);
        expect(before).toBeLessThan(20);

        await page.getByLabel(ui.value, { exact: true }).fill(raw.mobile);
        await page.getByRole('button', { name: ui.search, exact: true }).click();
        const open = page.getByRole('link', { name: ui.open(id) });
        await open.waitFor();
        await page.locator('#custos-watermark').waitFor({ state: 'attached' });
        expect(await watermarkPixels(page)).toBeGreaterThan(300);

        await open.click();
        await page.getByRole('heading', { name: ui.record(id) }).waitFor();
        const rows = page.locator('table.record tbody tr');
        // The heading can render before the record's rows: wait for them.
        await rows.nth(3).waitFor();
        expect(await rows.count()).toBeGreaterThan(3);
        // The mobile number is masked, says so, and its value is not the real number.
        const mobile = page.locator('tr[data-field="mobile"]');
        await expect.poll(() => mobile.locator('.masked-badge').textContent()).toBe(ui.masked);
        const shown = (await mobile.locator('td').first().textContent()) ?? '';
        expect(shown.replace(/[\u200b-\u200d\u2060-\u2063]/g, '')).not.toContain(raw.mobile);
        expect(shown).toMatch(/\*/);

        // The watermark is drawn (pixels, not only the DOM), with the viewer and the view code from the server.
        const drawn = await watermarkPixels(page);
        expect(drawn).toBeGreaterThan(300);
        const full = decodePng(await page.screenshot());
        expect(full.width).toBe(1280);

        // Removed from the page, it is painted again at once; hidden by a style, too.
        await page.evaluate(`document.getElementById('custos-watermark').remove()`);
        await page.locator('#custos-watermark').waitFor({ state: 'attached', timeout: 3000 });
        expect(await watermarkPixels(page)).toBeGreaterThan(300);
        await page.evaluate(`document.getElementById('custos-watermark').style.display = 'none'`);
        await expect.poll(() => page.evaluate(`getComputedStyle(document.getElementById('custos-watermark')).display`)).toBe('block');
        expect(await watermarkPixels(page)).toBeGreaterThan(300);

        // Printed too.
        await page.emulateMedia({ media: 'print' });
        expect(await page.evaluate(`getComputedStyle(document.getElementById('custos-watermark')).display`)).toBe('block');
        await page.emulateMedia({ media: 'screen' });

        // "My customers" lists the assigned customers under the watermark.
        await page.getByRole('link', { name: ui.mine, exact: true }).click();
        await page.getByRole('link', { name: ui.open(id) }).waitFor();
        await page.locator('#custos-watermark').waitFor({ state: 'attached' });

        // The language switch changes every label.
        await page.getByLabel(ui.language, { exact: true }).selectOption(ui.other);
        await page.getByRole('heading', { name: UI[ui.other === 'en' ? 'en' : 'zh-CN'].mine }).waitFor();

        // Nothing personal in any URL the page touched, nor in storage.
        expect(urls.length).toBeGreaterThan(5);
        for (const u of urls) {
          expect(u).not.toContain(raw.mobile);
          expect(decodeURIComponent(u)).not.toContain(raw.name);
          expect(u).not.toContain(raw.id_number);
        }
        expect(await storageUsed(page)).toEqual({ local: 0, session: 0, cookie: '', idb: 0 });
        // No CSP violation or script error (the expected 401 of "who am I" before signing in aside).
        expect(problems.filter((p) => !/status of 401/.test(p))).toEqual([]);
      } finally {
        await context.close();
      }
    });
  }
});
