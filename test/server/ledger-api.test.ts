import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNote, parseCheckpointBody, parseVerifierKey, verifyConsistency, verifyInclusion } from '../../src/ledger/index.js';
import { BACKENDS, login, startHarness, type Harness } from '../helpers/harness.js';

const hex = (h: string): Buffer => Buffer.from(h, 'hex');

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`the ledger over HTTP on ${backend.name}`, () => {
    let h: Harness;
    let agent: { cookie: string; csrf: string };
    let security: { cookie: string; csrf: string };
    let agentId: string;

    beforeAll(async () => {
      h = await startHarness(backend);
      const a = h.credentials.find((c) => c.role === 'service_agent')!;
      agentId = a.user;
      agent = await login(h.app, a);
      security = await login(h.app, h.credentials.find((c) => c.role === 'security_analyst')!);
      // Some views to prove.
      const mine = await h.app.inject({ method: 'GET', url: '/api/v1/me/assigned?limit=5', headers: { cookie: agent.cookie } });
      for (const item of mine.json<{ items: { id: string }[] }>().items) {
        await h.app.inject({ method: 'GET', url: `/api/v1/subjects/${item.id}`, headers: { cookie: agent.cookie } });
      }
    });
    afterAll(async () => {
      await h?.close();
    });

    const get = (url: string, auth = agent) => h.app.inject({ method: 'GET', url, headers: { cookie: auth.cookie } });

    it('serves a signed checkpoint and proofs that check out against it', async () => {
      const cp = (await get('/api/v1/ledger/checkpoint')).json<{ size: number; root: string; note: string }>();
      expect(cp.size).toBeGreaterThan(5);
      const pub = (await readFile(h.verifierKeyFile, 'utf8')).trim();
      const opened = openNote(cp.note, parseVerifierKey(pub)!);
      expect(opened.ok).toBe(true);
      expect(parseCheckpointBody(opened.ok ? opened.body : '')?.size).toBe(cp.size);
      const root = Buffer.from(cp.root, 'base64');
      for (const index of [0, 1, cp.size - 1]) {
        const res = await get(`/api/v1/ledger/proof/inclusion?index=${index}&size=${cp.size}`);
        expect(res.statusCode).toBe(200);
        const p = res.json<{ leafHash: string; root: string; proof: string[] }>();
        expect(hex(p.root).equals(root)).toBe(true);
        expect(verifyInclusion(index, cp.size, hex(p.leafHash), p.proof.map(hex), root)).toBe(true);
      }
      const c = (await get(`/api/v1/ledger/proof/consistency?from=3&to=${cp.size}`)).json<{ fromRoot: string; proof: string[] }>();
      expect(verifyConsistency(3, cp.size, hex(c.fromRoot), root, c.proof.map(hex))).toBe(true);
    });

    it('refuses impossible proof requests with 400 and a code', async () => {
      for (const url of ['/api/v1/ledger/proof/inclusion?index=999999', '/api/v1/ledger/proof/inclusion?index=-1', '/api/v1/ledger/proof/consistency?from=0&to=2', '/api/v1/ledger/proof/inclusion?index=1&evil=1']) {
        const res = await get(url);
        expect(res.statusCode, url).toBe(400);
        expect(res.json<{ error: { code: string } }>().error.code).toMatch(/^CUSTOS_(LEDGER_BAD_RANGE|BAD_REQUEST)$/);
      }
    });

    it('shows entries to security, records that query, and refuses (and records) everyone else', async () => {
      const res = await get(`/api/v1/ledger/events?actor=${agentId}`, security);
      expect(res.statusCode).toBe(200);
      const items = res.json<{ items: { index: number; event: { actor: string; action: string } }[] }>().items;
      expect(items.length).toBeGreaterThan(1);
      expect(items.every((i) => i.event.actor === agentId)).toBe(true);

      const denied = await get(`/api/v1/ledger/events?actor=${agentId}`);
      expect(denied.statusCode).toBe(403);
      expect(denied.json<{ error: { code: string } }>().error.code).toBe('CUSTOS_LEDGER_FORBIDDEN');

      const queries = (await h.app.custos.ledger.events({ limit: 10_000 })).filter((e) => e.event.action === 'query');
      expect(queries.map((q) => q.event.outcome)).toEqual(['allowed', 'denied']);
      expect(queries[1]!.event.actor).toBe(agentId);
    });

    it('needs a login', async () => {
      const res = await h.app.inject({ method: 'GET', url: '/api/v1/ledger/checkpoint' });
      expect(res.statusCode).toBe(401);
    });
  });
}
