import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../src/access/index.js';
import { BACKENDS, login, officeHoursClock, startHarness, type Harness } from '../helpers/harness.js';

interface Shown {
  id: string;
  fields: Record<string, string | number>;
  masked: string[];
}
interface Canary {
  id: string;
  audience: string;
}
type Session = { cookie: string; csrf: string };

for (const backend of BACKENDS) {
  describe.skipIf(!backend.enabled)(`canary people and leak attribution on ${backend.name}`, () => {
    let h: Harness;
    let security: Session;
    let viewer: Session;
    let viewerId: string;
    let other: Session;
    let otherId: string;
    let canary: Canary;
    const post = (s: Session, url: string, payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url, headers: { cookie: s.cookie, 'x-custos-csrf': s.csrf }, payload });
    const get = (s: Session, url: string) => h.app.inject({ method: 'GET', url, headers: { cookie: s.cookie } });

    beforeAll(async () => {
      // Exports run only 07:00–21:00 local time (policy forbid-export-off-hours): the suite runs at 10:00.
      h = await startHarness(backend, undefined, {}, { clock: officeHoursClock() });
      const cred = h.credentials.find((c) => c.role === 'service_agent')!;
      viewerId = cred.user;
      viewer = await login(h.app, cred);
      otherId = h.credentials.find((c) => c.role === 'service_agent' && c.user !== viewerId)!.user;
      other = await login(h.app, h.credentials.find((c) => c.user === otherId)!);
      security = await login(h.app, h.credentials.find((c) => c.role === 'security_analyst')!);
      const made = await post(security, '/api/v1/canaries', { audience: `viewer:${viewerId}`, count: 1 });
      expect(made.statusCode).toBe(201);
      canary = made.json<{ canaries: Canary[] }>().canaries[0]!;
    });
    afterAll(async () => {
      await h?.close();
    });

    it('gives the demo company canaries on first start, lists them to security only, and ledgers their creation', async () => {
      const list = await get(security, '/api/v1/canaries');
      expect(list.statusCode).toBe(200);
      const all = list.json<{ canaries: Canary[] }>().canaries;
      expect(all.filter((c) => c.audience.startsWith('viewer:') || c.audience.startsWith('team:')).length).toBeGreaterThanOrEqual(3);
      expect(all.map((c) => c.id)).toContain(canary.id);
      expect((await get(viewer, '/api/v1/canaries')).statusCode).toBe(403);
      expect((await post(viewer, '/api/v1/canaries', { audience: `viewer:${viewerId}` })).statusCode).toBe(403);
      const bad = await post(security, '/api/v1/canaries', { audience: 'everyone' });
      expect(bad.json<{ error: { code: string } }>().error.code).toBe('CUSTOS_CANARY_BAD_AUDIENCE');
      const trail = await h.app.custos.ledger.events({ actor: 'custos', limit: 100 });
      expect(trail.filter((e) => (e.event.detail as { kind?: string } | undefined)?.kind === 'canary.create').length).toBeGreaterThanOrEqual(3);
    });

    it('serves a canary to its audience like any customer (list, search, view) and to nobody else', async () => {
      const [real] = await h.app.custos.identity.assigned(viewerId, undefined, 1);
      const list = await get(viewer, '/api/v1/me/assigned?limit=100');
      expect(list.statusCode).toBe(200);
      const items = list.json<{ items: Shown[] }>().items;
      const inList = items.find((i) => i.id === canary.id);
      const realShown = items.find((i) => i.id === real);
      expect(inList).toBeDefined();
      // Same fields, same masks, same id shape as a real customer.
      expect(Object.keys(inList!.fields).sort()).toEqual(Object.keys(realShown!.fields).sort());
      expect(inList!.masked.sort()).toEqual(realShown!.masked.sort());
      expect(inList!.id).toMatch(new RegExp(`^c\\d{${real!.length - 1}}$`));
      // Listing one's customers is not a touch.
      await h.app.custos.watch.idle();
      expect((await h.app.custos.watch.alerts({ actor: viewerId, limit: 50 })).filter((a) => a.detector === 'canary')).toEqual([]);
      const [row] = await h.app.custos.canaries.rows([canary.id]).then((m) => [...m.values()]);
      // Another agent: refused exactly as for a real customer not theirs, and absent from their search.
      const refusedCanary = await get(other, `/api/v1/subjects/${canary.id}`);
      const refusedReal = await get(other, `/api/v1/subjects/${real!}`);
      expect(refusedCanary.statusCode).toBe(refusedReal.statusCode);
      expect(refusedCanary.json<{ error: { code: string } }>().error.code).toBe(refusedReal.json<{ error: { code: string } }>().error.code);
      expect((await get(other, `/api/v1/subjects?phone=${row!.mobile}`)).json<{ items: Shown[] }>().items).toEqual([]);
      // A third agent with a canary of their own finds it by its phone, and that search is a touch.
      const thirdCred = h.credentials.find((c) => c.role === 'service_agent' && c.user !== viewerId && c.user !== otherId)!;
      const third = await login(h.app, thirdCred);
      const [theirs] = await h.app.custos.canaries.create({ kind: 'viewer', staff: thirdCred.user }, 1, 'test');
      const [theirRow] = [...(await h.app.custos.canaries.rows([theirs!.id])).values()];
      const found = await get(third, `/api/v1/subjects?phone=${theirRow!.mobile}`);
      expect(found.json<{ items: Shown[] }>().items.map((i) => i.id)).toEqual([theirs!.id]);
      await h.app.custos.watch.idle();
      expect((await h.app.custos.watch.alerts({ actor: thirdCred.user, limit: 50 })).find((a) => a.detector === 'canary')).toMatchObject({ severity: 'critical' });
    });

    it('raises a critical alert when its audience opens the canary', async () => {
      const res = await get(viewer, `/api/v1/subjects/${canary.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.json<Shown>().id).toBe(canary.id);
      await h.app.custos.watch.idle();
      const alerts = await h.app.custos.watch.alerts({ actor: viewerId, limit: 50 });
      expect(alerts.find((a) => a.detector === 'canary')).toMatchObject({ severity: 'critical' });
    });

    it('names the canary and who saw it when its phone is reported from outside, and ledgers the id, never the value', async () => {
      const [row] = await h.app.custos.canaries.rows([canary.id]).then((m) => [...m.values()]);
      const phone = `${row!.mobile.slice(0, 3)} ${row!.mobile.slice(3, 7)} ${row!.mobile.slice(7)}`;
      const before = (await h.app.custos.watch.alerts({ actor: viewerId, limit: 50 })).length;
      const res = await post(security, '/api/v1/canaries/hits', { kind: 'phone', value: phone, channel: 'call', note: 'caller asked for a loan' });
      expect(res.statusCode).toBe(200);
      const body = res.json<{ canary: Canary; shownTo: { actor: string }[]; alerts: string[] }>();
      expect(body.canary).toMatchObject({ id: canary.id, audience: `viewer:${viewerId}` });
      expect(body.shownTo.map((v) => v.actor)).toEqual([viewerId]);
      const after = await h.app.custos.watch.alerts({ actor: viewerId, limit: 50 });
      expect(after.length).toBe(before + 1);
      expect(after.find((a) => body.alerts.includes(a.id))).toMatchObject({ severity: 'critical', detector: 'canary' });
      const trail = await h.app.custos.ledger.events({ actor: h.credentials.find((c) => c.role === 'security_analyst')!.user, limit: 200 });
      const hit = trail.find((e) => (e.event.detail as { kind?: string } | undefined)?.kind === 'canary.hit')!;
      expect(hit.leaf).toContain(canary.id);
      expect(hit.leaf).not.toContain(row!.mobile.slice(3, 7));
      expect(hit.leaf).not.toContain('loan');
      const unknown = await post(security, '/api/v1/canaries/hits', { kind: 'phone', value: '13900000000', channel: 'call' });
      expect(unknown.json<{ error: { code: string } }>().error.code).toBe('CUSTOS_CANARY_UNKNOWN_VALUE');
      expect((await post(other, '/api/v1/canaries/hits', { kind: 'phone', value: phone, channel: 'call' })).statusCode).toBe(403);
      // A phone system reports through an integration's token.
      await h.app.custos.identity.ensureIntegration('pbx');
      const token = (await h.app.custos.identity.createApiToken('pbx', 'test')).token;
      const viaPbx = await h.app.inject({ method: 'POST', url: '/api/v1/canaries/hits', headers: { authorization: `Bearer ${token}` }, payload: { kind: 'phone', value: row!.mobile, channel: 'call' } });
      expect(viaPbx.statusCode).toBe(200);
      expect(viaPbx.json<{ canary: Canary }>().canary.id).toBe(canary.id);
    });

    it('puts a canary row unique to each export in it, and a leaked copy with the fingerprint gone still names the export', async () => {
      const agentCred = h.credentials.find((c) => c.role === 'telesales' && c.employment === 'employee')!;
      const agent = await login(h.app, agentCred);
      const created = await post(agent, '/api/v1/exports', { assigned: true, fields: ['name', 'mobile', 'address'], purpose: 'campaign_call', reason: 'quarterly campaign review with the team lead', format: 'xlsx' });
      expect(created.statusCode).toBe(201);
      const req = created.json<{ id: string; subjectCount: number }>();
      expect((await post(security, `/api/v1/access-requests/${req.id}/decision`, { decision: 'approve', reason: 'campaign review approved', hours: 4 })).statusCode).toBe(200);
      const download = async () => readXlsx((await h.app.inject({ method: 'GET', url: `/api/v1/exports/${req.id}/file`, headers: { cookie: agent.cookie } })).rawPayload);
      const rows = await download();
      const own = (await h.app.custos.canaries.list()).filter((c) => c.audience === `export:${req.id}`);
      expect(own).toHaveLength(1);
      const canaryRow = rows.find((r) => r[0] === own[0]!.id)!;
      expect(canaryRow).toBeDefined();
      // The same rows at the next download: the canary is recorded against the export, not made again.
      expect((await download()).map((r) => r[0])).toEqual(rows.map((r) => r[0]));
      expect((await h.app.custos.canaries.list()).filter((c) => c.audience === `export:${req.id}`)).toHaveLength(1);
      // The recipient downloading it is not a canary touch.
      await h.app.custos.watch.idle();
      expect((await h.app.custos.watch.alerts({ actor: agentCred.user, limit: 50 })).filter((a) => a.detector === 'canary')).toEqual([]);

      // The leak: the canary row and a few others, every phone retyped as bare digits (no fingerprint left), no ids.
      const plain = (v: string) => v.replace(/[\s()+-]/g, '').replace(/^86(?=1\d{10}$)/, '');
      // The other rows are real customers (an export of one's assigned list may also hold a team canary).
      const canaryIds = new Set((await h.app.custos.canaries.list()).map((c) => c.id));
      const picked = [canaryRow, ...rows.slice(1).filter((r) => r !== canaryRow && !canaryIds.has(String(r[0]))).slice(0, 5)];
      const csv = ['name,phone', ...picked.map((r) => `${r[1]},${plain(r[2]!)}`)].join('\n');
      const traced = await post(security, '/api/v1/trace/file', { filename: 'leak.csv', content: Buffer.from(csv).toString('base64') });
      expect(traced.statusCode).toBe(200);
      const result = traced.json<{ canaries: Canary[]; exports: { exportId: string; confidence: number }[] }>();
      expect(result.canaries).toEqual([expect.objectContaining({ id: own[0]!.id, audience: `export:${req.id}` })]);
      expect(result.exports.every((x) => x.confidence < 0.99)).toBe(true);
      // The analyst tracing the file touched no canary.
      await h.app.custos.watch.idle();
      const analyst = h.credentials.find((c) => c.role === 'security_analyst')!.user;
      expect((await h.app.custos.watch.alerts({ actor: analyst, limit: 50 })).filter((a) => a.detector === 'canary')).toEqual([]);

      // Attribution over the same file ranks the export first (its canary row), its recipient among the people.
      const leak = await post(security, '/api/v1/trace/leak', { file: { filename: 'leak.csv', content: Buffer.from(csv).toString('base64') } });
      expect(leak.statusCode).toBe(200);
      const ranked = leak.json<{ suspects: { kind: string; actor: string; exportId?: string }[]; canaries: string[] }>();
      expect(ranked.canaries).toEqual([own[0]!.id]);
      expect(ranked.suspects[0]).toMatchObject({ kind: 'export', exportId: req.id, actor: agentCred.user });
    });

    it('ranks first the person who saw the leaked customers, over everyone who saw some of them', async () => {
      const agentCred = h.credentials.find((c) => c.role === 'service_agent' && c.user !== viewerId)!;
      const agent = await login(h.app, agentCred);
      const mine = await h.app.custos.identity.assigned(agentCred.user, undefined, 30);
      for (const id of mine.slice(0, 20)) expect((await get(agent, `/api/v1/subjects/${id}`)).statusCode).toBe(200);
      const res = await post(security, '/api/v1/trace/leak', { subjects: mine.slice(0, 20) });
      expect(res.statusCode).toBe(200);
      const r = res.json<{ suspects: { kind: string; actor: string; covered: number; probability: number; reasons: string[] }[] }>();
      expect(r.suspects[0]).toMatchObject({ kind: 'person', actor: agentCred.user, covered: 20 });
      expect(r.suspects[0]!.probability).toBeGreaterThan(0.9);
      expect(r.suspects[0]!.reasons.join(' ')).toContain('20 of the 20');
      // The lookups are on the ledger; the investigator is not a suspect of their own investigation.
      expect(r.suspects.map((s) => s.actor)).not.toContain(h.credentials.find((c) => c.role === 'security_analyst')!.user);
      expect((await post(agent, '/api/v1/trace/leak', { subjects: mine.slice(0, 20) })).statusCode).toBe(403);
      const bad = await post(security, '/api/v1/trace/leak', {});
      expect(bad.statusCode).toBe(400);
    });

    it('opens a case from a canary hit with its viewer first among suspects, and contains it with a new canary and a revoked export', async () => {
      const analyst = h.credentials.find((c) => c.role === 'security_analyst')!.user;
      const [row] = await h.app.custos.canaries.rows([canary.id]).then((m) => [...m.values()]);
      const opened = await post(security, '/api/v1/cases/from-canary-hit', { kind: 'phone', value: row!.mobile, channel: 'sms', note: 'a loan offer by text' });
      expect(opened.statusCode).toBe(201);
      const body = opened.json<{ caseId: string; canary: string; shownTo: string[]; alerts: string[] }>();
      expect(body).toMatchObject({ canary: canary.id, shownTo: [viewerId] });
      expect(body.alerts.length).toBeGreaterThan(0);
      const c = await get(security, `/api/v1/cases/${body.caseId}`);
      expect(c.statusCode).toBe(200);
      const shown = c.json<{ source: string; subjects: string[]; forensics: { suspects: { actor: string }[] } }>();
      expect(shown).toMatchObject({ source: 'canary', subjects: [canary.id] });
      expect(shown.forensics.suspects[0]?.actor).toBe(viewerId);
      // The investigator's own case steps name the canary, and are not canary touches.
      await h.app.custos.watch.idle();
      expect((await h.app.custos.watch.alerts({ actor: analyst, limit: 50 })).filter((a) => a.detector === 'canary')).toEqual([]);
      expect((await post(security, '/api/v1/cases/from-canary-hit', { kind: 'phone', value: '13900000000', channel: 'sms' })).statusCode).toBe(404);
      // The viewer's session ended with the canary alert's suspension; another agent is refused for their role.
      expect((await post(other, '/api/v1/cases/from-canary-hit', { kind: 'phone', value: row!.mobile, channel: 'sms' })).statusCode).toBe(403);

      // Containment: a fresh canary for the suspect, so the next leak from them names itself.
      const added = await post(security, `/api/v1/cases/${body.caseId}/contain`, { action: 'add_canary', audience: `viewer:${viewerId}` });
      expect(added.statusCode).toBe(200);
      const made = added.json<{ canary: string; audience: string }>();
      expect(made.audience).toBe(`viewer:${viewerId}`);
      expect((await h.app.custos.canaries.list()).map((x) => x.id)).toContain(made.canary);
      expect((await post(security, `/api/v1/cases/${body.caseId}/contain`, { action: 'add_canary', audience: 'everyone' })).statusCode).toBe(400);

      // Containment: an approved export's access rotated; its recipient can no longer download it.
      const agentCred = h.credentials.find((x) => x.role === 'telesales' && x.employment === 'employee')!;
      const agent = await login(h.app, agentCred);
      const created = await post(agent, '/api/v1/exports', { assigned: true, fields: ['name', 'mobile'], purpose: 'campaign_call', reason: 'campaign list for the next call round', format: 'csv' });
      expect(created.statusCode).toBe(201);
      const exportId = created.json<{ id: string }>().id;
      expect((await post(security, `/api/v1/access-requests/${exportId}/decision`, { decision: 'approve', reason: 'campaign approved', hours: 4 })).statusCode).toBe(200);
      const file = () => h.app.inject({ method: 'GET', url: `/api/v1/exports/${exportId}/file`, headers: { cookie: agent.cookie } });
      expect((await file()).statusCode).toBe(200);
      const revoked = await post(security, `/api/v1/cases/${body.caseId}/contain`, { action: 'revoke_export', export: exportId });
      expect(revoked.statusCode).toBe(200);
      expect(revoked.json()).toMatchObject({ export: exportId, recipient: agentCred.user, revoked: true });
      const refused = await file();
      expect(refused.statusCode).toBe(403);
      expect(refused.json<{ error: { code: string } }>().error.code).toBe('CUSTOS_EXPORT_EXPIRED');
      expect((await post(security, `/api/v1/cases/${body.caseId}/contain`, { action: 'revoke_export', export: 'r-none' })).statusCode).toBe(404);

      const trail = await h.app.custos.ledger.events({ actor: analyst, limit: 500 });
      const kinds = trail.map((e) => (e.event.detail as { kind?: string } | undefined)?.kind);
      expect(kinds).toEqual(expect.arrayContaining(['case.open', 'case.contain.add_canary', 'case.contain.revoke_export']));
    });
  });
}
