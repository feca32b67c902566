import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerId } from '../../src/sim/index.js';
import { BACKENDS, login, startHarness, type Harness } from '../helpers/harness.js';

/**
 * A scripted scrape through the record API: an agent walks the customer ids in order at machine speed. Access
 * control refuses the customers that are not theirs; live detection sees the probing, raises an alert that the
 * security team finds in the queue, and the configured responses stop the script.
 */
for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`a scrape through the record API on ${backend.name}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(backend);
    });
    afterAll(async () => {
      await h?.close();
    });

    it('is detected live, shows up in the alert queue, and is stopped by the responses', async () => {
      const cred = h.credentials.find((c) => c.role === 'telesales')!;
      const s = await login(h.app, cred);
      const statuses: number[] = [];
      for (let i = 1; i <= 400; i++) {
        const res = await h.app.inject({ method: 'GET', url: `/api/v1/subjects/${customerId(i, 3000)}`, headers: { cookie: s.cookie } });
        statuses.push(res.statusCode);
        if (res.statusCode === 401 || res.statusCode === 429) break;
        // Detection runs just after each view is on the ledger; give it its turn, as real request gaps would.
        await new Promise((r) => setImmediate(r));
      }
      // The script was stopped (session ended by step-up, or throttled) well before it walked 400 customers.
      expect(statuses.length).toBeLessThan(400);
      expect([401, 429]).toContain(statuses.at(-1));
      expect(statuses.filter((c) => c === 403).length).toBeGreaterThanOrEqual(25);

      await h.app.custos.watch.idle();
      const security = await login(h.app, h.credentials.find((c) => c.role === 'security_analyst')!);
      const queue = await h.app.inject({ method: 'GET', url: `/api/v1/alerts?actor=${cred.user}`, headers: { cookie: security.cookie } });
      const alerts = queue.json<{ items: { detector: string; severity: string; summary: string; events: string[] }[] }>().items;
      expect(alerts.some((a) => a.detector === 'enumeration')).toBe(true);
      expect(alerts.some((a) => a.severity === 'high' || a.severity === 'critical')).toBe(true);
      const top = alerts.find((a) => a.detector === 'enumeration')!;
      expect(top.summary).toContain(cred.user);
      expect(top.events.length).toBeGreaterThan(0);
      // The evidence events are the refused views on the ledger.
      const trail = await h.app.custos.ledger.events({ actor: cred.user, limit: 1000 });
      const ids = new Set(trail.filter((e) => e.event.outcome === 'denied').map((e) => e.event.id));
      expect(top.events.every((id) => ids.has(id))).toBe(true);
    });
  });
}
