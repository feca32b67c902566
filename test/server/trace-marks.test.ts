import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripMarks } from '../../src/marks/index.js';
import { verifyInclusion } from '../../src/ledger/index.js';
import { BACKENDS, login, startHarness, type Harness } from '../helpers/harness.js';

interface Shown {
  id: string;
  fields: Record<string, string>;
  watermark: { viewCode: string; lines: string[] };
}
interface Resolved {
  index: number;
  event: { id: string; actor: string; action: string; subjects: string[] };
  checkpoint: { size: number; root: string };
  proof: { leafHash: string; root: string; proof: string[] };
}

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`watermark view codes and text marks on ${backend.name}`, () => {
    let h: Harness;
    let agent: { cookie: string; csrf: string };
    let agentId: string;
    let security: { cookie: string; csrf: string };

    beforeAll(async () => {
      h = await startHarness(backend);
      const a = h.credentials.find((c) => c.role === 'service_agent')!;
      agentId = a.user;
      agent = await login(h.app, a);
      security = await login(h.app, h.credentials.find((c) => c.role === 'security_analyst')!);
    });
    afterAll(async () => {
      await h?.close();
    });

    async function viewOne(): Promise<{ shown: Shown; customer: string }> {
      const [customer] = await h.app.custos.identity.assigned(agentId, undefined, 1);
      const res = await h.app.inject({ method: 'GET', url: `/api/v1/subjects/${customer!}`, headers: { cookie: agent.cookie } });
      expect(res.statusCode).toBe(200);
      return { shown: res.json<Shown>(), customer: customer! };
    }

    it('gives every page view a watermark whose code resolves to that exact view, with a proof', async () => {
      const { shown, customer } = await viewOne();
      expect(shown.watermark.lines.join(' ')).toContain(agentId);
      expect(shown.watermark.lines).toContain(shown.watermark.viewCode);
      const res = await h.app.inject({ method: 'GET', url: `/api/v1/trace/code/${encodeURIComponent(shown.watermark.viewCode.toLowerCase())}`, headers: { cookie: security.cookie } });
      expect(res.statusCode).toBe(200);
      const r = res.json<Resolved>();
      expect(r.event).toMatchObject({ actor: agentId, action: 'view', subjects: [customer] });
      const hex = (x: string) => Buffer.from(x, 'hex');
      expect(verifyInclusion(r.index, r.checkpoint.size, hex(r.proof.leafHash), r.proof.proof.map(hex), Buffer.from(r.checkpoint.root, 'base64'))).toBe(true);
      // The lookup is itself on the ledger.
      const trail = await h.app.custos.ledger.events({ actor: h.credentials.find((c) => c.role === 'security_analyst')!.user, limit: 100 });
      expect(trail.some((e) => (e.event.detail as { kind?: string; index?: number } | undefined)?.kind === 'trace.code')).toBe(true);
    });

    it('traces values copied off the page back to the view', async () => {
      const { shown, customer } = await viewOne();
      const pasted = `转给你：${shown.fields['name']!} ${shown.fields['mobile']!}\n地址 ${shown.fields['address']!}`;
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/trace/text', headers: { cookie: security.cookie, 'x-custos-csrf': security.csrf }, payload: { text: pasted } });
      expect(res.statusCode).toBe(200);
      const views = res.json<{ views: Resolved[] }>().views;
      expect(views).toHaveLength(1);
      expect(views[0]!.event).toMatchObject({ actor: agentId, subjects: [customer] });
      expect(views[0]!.index).toBe(h.app.custos.marks.decode(shown.watermark.viewCode));
      // Nothing is found once the marks are stripped (what a "clean text" tool does).
      const clean = await h.app.inject({ method: 'POST', url: '/api/v1/trace/text', headers: { cookie: security.cookie, 'x-custos-csrf': security.csrf }, payload: { text: stripMarks(pasted) } });
      expect(clean.json<{ views: unknown[] }>().views).toEqual([]);
    });

    it('gives applications clean values, refuses tracing to other roles, and refuses a misread code', async () => {
      const token = (await h.app.custos.identity.createApiToken(agentId, 'test')).token;
      const [customer] = await h.app.custos.identity.assigned(agentId, undefined, 1);
      const res = await h.app.inject({ method: 'GET', url: `/api/v1/subjects/${customer!}`, headers: { authorization: `Bearer ${token}` } });
      const body = res.json<Shown>();
      expect(Object.values(body.fields).every((v) => typeof v !== 'string' || stripMarks(v) === v)).toBe(true);
      expect(body.watermark.viewCode).toBeTruthy();
      const other = await h.app.inject({ method: 'GET', url: `/api/v1/trace/code/${body.watermark.viewCode}`, headers: { cookie: agent.cookie } });
      expect(other.statusCode).toBe(403);
      const code = body.watermark.viewCode;
      const wrong = code.slice(0, -1) + (code.endsWith('Z') ? 'Y' : 'Z');
      const bad = await h.app.inject({ method: 'GET', url: `/api/v1/trace/code/${wrong}`, headers: { cookie: security.cookie } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json<{ error: { code: string } }>().error.code).toBe('CUSTOS_TRACE_BAD_CODE');
    });
  });
}
