import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custos } from '../helpers/cli.js';
import { writeExport } from '../../src/access/index.js';
import { markValue } from '../../src/marks/index.js';
import { loadConfig, openRuntime } from '../../src/server/index.js';


describe('custos trace code | text', () => {
  let dir = '';
  let code = '';
  let marked = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-trace-cli-'));
    const rt = await openRuntime(loadConfig({ CUSTOS_DATA: dir, CUSTOS_DEMO: 'false' }));
    let index = 0;
    for (let i = 0; i < 10; i++) {
      index = (await rt.ledger.append({ id: `e-${i}`, time: new Date(Date.UTC(2026, 10, 1, 9, 0, i)).toISOString(), actor: 'u0007', action: 'view', system: 'test', subjects: [`c000000${i}`], fields: ['mobile'], outcome: 'masked' })).index;
    }
    code = rt.marks.encode(index);
    marked = `leaked: ${markValue('138****5678', rt.marks.textMark(index - 3))}`;
    await rt.close();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('resolves a view code to its access event with a proof, and records the lookup', async () => {
    const r = await custos('trace', 'code', code.toLowerCase(), '--data', dir);
    expect(r.code).toBe(0);
    const view = JSON.parse(r.out) as { index: number; event: { id: string }; proof: { proof: string[] } };
    expect(view.event.id).toBe('e-9');
    expect(view.proof.proof.length).toBeGreaterThan(0);
    const bad = await custos('trace', 'code', 'ZZZZ-ZZZZ', '--data', dir);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('CUSTOS_TRACE_BAD_CODE');
    const rt = await openRuntime(loadConfig({ CUSTOS_DATA: dir, CUSTOS_DEMO: 'false', CUSTOS_DETECT: 'false' }));
    try {
      const kinds = (await rt.ledger.events({ actor: 'cli', limit: 10 })).map((e) => e.event.detail as { kind: string; index?: number });
      expect(kinds.filter((d) => d.kind === 'trace.code')).toEqual([{ kind: 'trace.code', index: view.index }, { kind: 'trace.code', malformed: true }]);
    } finally {
      await rt.close();
    }
  });

  it('finds the view named by the marks in a text file', async () => {
    const file = join(dir, 'pasted.txt');
    await writeFile(file, marked);
    const r = await custos('trace', 'text', file, '--data', dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out) as { found: number; views: { event: { id: string } }[] };
    expect(out.views.map((v) => v.event.id)).toEqual(['e-6']);
  });
});

describe('custos trace file', () => {
  let dir = '';
  let exportId = '';
  let recipient = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-trace-file-cli-'));
    const rt = await openRuntime(loadConfig({ CUSTOS_DATA: dir, CUSTOS_DEMO_CUSTOMERS: '800', CUSTOS_DEMO_STAFF: '30', CUSTOS_DEMO_SEED: 'trace-file', CUSTOS_DETECT: 'false' }));
    try {
      const staff = await rt.store.selectFrom('staff').select(['id', 'role', 'employment']).execute();
      recipient = staff.find((s) => s.role === 'service_agent' && s.employment === 'employee')!.id;
      const approver = staff.find((s) => s.role === 'security_analyst')!.id;
      const subjects = (await rt.source.selectFrom('customers').select('id').orderBy('id').limit(60).execute()).map((r) => r.id);
      const req = await rt.access.create({ kind: 'export', requester: recipient, subjects, fields: ['name', 'mobile'], purpose: 'campaign_review', reason: 'test export', format: 'csv' });
      await rt.access.decide(req.id, approver, 'approve', 'ok', 2);
      exportId = req.id;
      const rows = await rt.source.selectFrom('customers').select(['id', 'name', 'mobile']).where('id', 'in', subjects).execute();
      const marked = await rt.exportMarker.mark(req.id, recipient, { columns: ['id', 'name', 'mobile'], rows });
      // The leak: 20 rows, the id column deleted, order changed.
      const leak = { columns: ['mobile', 'name'], rows: marked.rows.slice(10, 30).reverse() };
      await writeFile(join(dir, 'leak.csv'), await writeExport('csv', leak, { exportId: 'leak', recipient: 'x' }));
    } finally {
      await rt.close();
    }
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the export and its recipient from 20 edited rows', async () => {
    const r = await custos('trace', 'file', join(dir, 'leak.csv'), '--data', dir);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`named: export ${exportId} to ${recipient}`);
    const json = JSON.parse(r.out.slice(0, r.out.lastIndexOf('}') + 1)) as { resolved: number; exports: { exportId: string; confidence: number }[] };
    expect(json.resolved).toBe(20);
    expect(json.exports[0]!.exportId).toBe(exportId);
  });
});
