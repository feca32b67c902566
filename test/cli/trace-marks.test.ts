import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markValue } from '../../src/marks/index.js';
import { loadConfig, openRuntime } from '../../src/server/index.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');

async function custos(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run(tsx, [join(root, 'src/cli/main.ts'), ...args], { cwd: root, env: { ...process.env, CUSTOS_LOG_LEVEL: 'silent' } });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

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
