import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleRoutes, webRoot } from '../../src/server/routes/console-routes.js';
import { BACKENDS, startHarness, type Harness } from '../helpers/harness.js';

const root = resolve(import.meta.dirname, '../..');

/** How the server serves the built console: types, caching, the strict CSP, and nothing outside the build. Needs no browser. */
describe('the server serves the built console', () => {
  let h: Harness;
  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [join(root, 'scripts/build-web.mjs')], { cwd: root });
    h = await startHarness(BACKENDS[0]!, { customers: 200, staff: 20 });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('sends index.html with a strict CSP and no inline script or style, and its bundles with their types', async () => {
    const index = await h.app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['cache-control']).toBe('no-cache');
    const csp = String(index.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe');
    // Every script is an external file of this origin; no inline script, style element or style attribute.
    expect(index.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(index.body).not.toMatch(/<style|style="/);
    const assets = [...index.body.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const a of assets) {
      const res = await h.app.inject({ method: 'GET', url: a });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(a.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8');
      expect(res.headers['cache-control']).toContain('immutable');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      // No eval in the bundles (the CSP would refuse it).
      if (a.endsWith('.js')) expect(res.body).not.toMatch(/\bnew Function\(|\beval\(/);
    }
  });

  it('serves nothing but the files of the build', async () => {
    for (const url of ['/assets/nope.js', '/assets/../../package.json', '/assets/%2e%2e/%2e%2e/package.json', '/src/main.tsx', '/app.js']) {
      expect((await h.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    }
  });

  it('says how to build the console when it is not built', async () => {
    const app = Fastify({ logger: false });
    consoleRoutes(app, join(webRoot(), 'does-not-exist'));
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('npm run build');
    await app.close();
  });
});
