import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, openRuntime } from '../../src/server/index.js';
import { custos } from '../helpers/cli.js';

/** The JSON document at the start of the output (standard error follows it). */
function jsonOf<T>(out: string): T {
  let depth = 0;
  for (let i = 0; i < out.length; i++) {
    if (out[i] === '{') depth++;
    else if (out[i] === '}' && --depth === 0) return JSON.parse(out.slice(0, i + 1)) as T;
  }
  throw new Error('no JSON in the output');
}

interface Ranking {
  subjects: number;
  suspects: { kind: string; actor: string; covered: number; probability: number }[];
  canaries: string[];
}

describe('custos trace leak over a simulated world (--org --events)', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-trace-leak-'));
    const r = await custos('simulate', '--days', '10', '--staff', '40', '--customers', '3000', '--seed', 'leak-cli', '--out', dir);
    expect(r.code).toBe(0);
  }, 300_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('ranks first the person the 20 leaked customers were drawn from, with a readable report', async () => {
    const events = readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { actor: string; action: string; outcome: string; subjects: string[] });
    const seen = new Map<string, Set<string>>();
    for (const e of events) {
      if (e.outcome === 'denied' || !['view', 'search', 'list', 'reveal', 'export', 'query'].includes(e.action)) continue;
      const s = seen.get(e.actor) ?? new Set<string>();
      for (const x of e.subjects) s.add(x);
      seen.set(e.actor, s);
    }
    // A service agent's book: customers others saw now and then too.
    const org = JSON.parse(readFileSync(join(dir, 'org.json'), 'utf8')) as { actors: { id: string; role: string }[] };
    const leaker = org.actors.find((a) => a.role === 'service_agent' && (seen.get(a.id)?.size ?? 0) >= 40)!.id;
    const picked = [...seen.get(leaker)!].filter((_, i) => i % 2 === 0).slice(0, 20);
    await writeFile(join(dir, 'leak.csv'), ['客户编号,备注', ...picked.map((id) => `${id},已联系`)].join('\n'));
    const r = await custos('trace', 'leak', '--leaked', join(dir, 'leak.csv'), '--org', join(dir, 'org.json'), '--events', join(dir, 'events.jsonl'), '--customers', '3000');
    expect(r.code).toBe(0);
    const ranking = jsonOf<Ranking>(r.out);
    expect(ranking.subjects).toBe(20);
    expect(ranking.suspects[0]).toMatchObject({ kind: 'person', actor: leaker, covered: 20 });
    expect(r.out).toContain(`1. person ${leaker}`);
    // Over an events file there is no customer data to resolve phones against: ids are needed.
    await writeFile(join(dir, 'phones.csv'), 'name,phone\n张三,13812345678\n');
    const none = await custos('trace', 'leak', '--leaked', join(dir, 'phones.csv'), '--events', join(dir, 'events.jsonl'));
    expect(none.code).toBe(1);
    expect(none.out).toContain('CUSTOS_TRACE_LEAK_UNRESOLVED');
  }, 300_000);
});

describe('custos canary and custos trace canary | leak over a data directory', () => {
  let dir = '';
  let viewer = '';
  let mine: { id: string; name: string; mobile: string }[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-canary-cli-'));
    const rt = await openRuntime(loadConfig({ CUSTOS_DATA: dir, CUSTOS_DEMO_CUSTOMERS: '800', CUSTOS_DEMO_STAFF: '30', CUSTOS_DEMO_SEED: 'canary-cli', CUSTOS_DETECT: 'false' }));
    try {
      const staff = await rt.store.selectFrom('staff').select(['id', 'role']).where('role', '=', 'service_agent').orderBy('id').execute();
      viewer = staff[0]!.id;
      mine = await rt.source.selectFrom('customers').select(['id', 'name', 'mobile']).orderBy('id').limit(20).execute();
      // The leaker was shown 20 customers; two colleagues saw a few of them, and everyone a lot of others.
      let n = 0;
      const view = (actor: string, subject: string) => rt.ledger.append({ id: `e-${++n}`, time: new Date(Date.UTC(2026, 10, 2, 1, 0, n)).toISOString(), actor, action: 'view', system: 'crm', subjects: [subject], fields: ['name', 'mobile'], outcome: 'masked' });
      for (const c of mine) await view(viewer, c.id);
      for (const c of mine.slice(0, 4)) await view(staff[1]!.id, c.id);
      for (const c of mine.slice(10, 13)) await view(staff[2]!.id, c.id);
      const others = await rt.source.selectFrom('customers').select('id').orderBy('id').offset(20).limit(300).execute();
      for (const [i, c] of others.entries()) await view(staff[1 + (i % 2)]!.id, c.id);
    } finally {
      await rt.close();
    }
  }, 300_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates and lists canaries, refuses a bad audience, and names a canary from its phone found outside', async () => {
    const made = await custos('canary', 'create', '--audience', `viewer:${viewer}`, '--count', '2', '--data', dir);
    expect(made.code).toBe(0);
    const created = jsonOf<{ canaries: { id: string; audience: string }[] }>(made.out).canaries;
    expect(created).toHaveLength(2);
    const listed = jsonOf<{ canaries: { id: string; audience: string }[] }>((await custos('canary', 'list', '--data', dir)).out).canaries;
    expect(listed.filter((c) => c.audience === `viewer:${viewer}`).map((c) => c.id).sort()).toEqual(created.map((c) => c.id).sort());
    const bad = await custos('canary', 'create', '--audience', 'viewer:u9999', '--data', dir);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('CUSTOS_CANARY_BAD_AUDIENCE');

    const rt = await openRuntime(loadConfig({ CUSTOS_DATA: dir, CUSTOS_DEMO: 'false', CUSTOS_DETECT: 'false' }));
    const phone = await rt.canaries
      .rows([created[0]!.id])
      .then((m) => [...m.values()][0]!.mobile)
      .finally(() => rt.close());
    const hit = await custos('trace', 'canary', `(+86) ${phone}`, '--channel', 'call', '--data', dir);
    expect(hit.code).toBe(0);
    const body = jsonOf<{ canary: { id: string; audience: string }; alerts: string[] }>(hit.out);
    expect(body.canary).toMatchObject({ id: created[0]!.id, audience: `viewer:${viewer}` });
    expect(body.alerts).toHaveLength(1);
    const check = await openRuntime(loadConfig({ CUSTOS_DATA: dir, CUSTOS_DEMO: 'false', CUSTOS_DETECT: 'false' }));
    try {
      const trail = (await check.ledger.events({ actor: 'cli', limit: 100 })).map((e) => e.leaf);
      expect(trail.filter((l) => l.includes('"canary.create"'))).toHaveLength(1);
      const hitLeaf = trail.find((l) => l.includes('"canary.hit"'))!;
      expect(hitLeaf).toContain(created[0]!.id);
      expect(hitLeaf).not.toContain(phone);
      expect((await check.watch.alerts({ actor: viewer, limit: 10 }))[0]).toMatchObject({ detector: 'canary', severity: 'critical' });
    } finally {
      await check.close();
    }
  }, 300_000);

  it('resolves a leaked file of names and phones against the customer data and ranks the viewer first', async () => {
    const csv = ['姓名,手机', ...mine.map((c) => `${c.name},${c.mobile.slice(0, 3)}-${c.mobile.slice(3, 7)}-${c.mobile.slice(7)}`)].join('\r\n');
    await writeFile(join(dir, 'leak.csv'), csv);
    const r = await custos('trace', 'leak', '--leaked', join(dir, 'leak.csv'), '--data', dir);
    expect(r.code).toBe(0);
    const ranking = jsonOf<Ranking>(r.out);
    expect(ranking.subjects).toBe(20);
    expect(ranking.suspects[0]).toMatchObject({ kind: 'person', actor: viewer, covered: 20 });
    expect(ranking.suspects[0]!.probability).toBeGreaterThan(0.9);
  }, 300_000);
});
