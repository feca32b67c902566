import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { custos } from '../helpers/cli.js';
import { loadConfig, openRuntime } from '../../src/server/index.js';


let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custos-ledger-cli-'));
  const rt = await openRuntime(loadConfig({ CUSTOS_DATA: dir, CUSTOS_DEMO: 'false' }));
  for (let i = 0; i < 40; i++) {
    await rt.ledger.append({
      id: `e-${i}`,
      time: new Date(Date.UTC(2026, 10, 1, 9, 0, i)).toISOString(),
      actor: `u000${i % 3}`,
      action: 'view',
      system: 'test',
      subjects: [`c00000${i % 5}`],
      fields: ['mobile'],
      outcome: 'masked',
    });
  }
  await rt.ledger.checkpoint();
  await rt.close();
}, 60_000);
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('custos ledger', () => {
  it('verifies an intact ledger, exports a bundle that verifies offline, and refuses a doctored bundle', async () => {
    const key = join(dir, 'ledger-key.pub');
    const ok = await custos('ledger', 'verify', '--data', dir, '--key', key);
    expect(ok.code).toBe(0);
    // Entry 0 is the installation of the default access policy (a policy.change admin event at first start).
    expect(ok.out).toMatch(/^ok: 41 entries, root [0-9a-f]{64}/m);

    const out = join(dir, 'bundle.json');
    const exp = await custos('ledger', 'export', '--data', dir, '--subject', 'c000002', '--out', out);
    expect(exp.code).toBe(0);
    const bundle = JSON.parse(await readFile(out, 'utf8')) as { entries: { index: number; leaf: string }[] };
    // Entries 3, 8, …, 38 and the export's own admin event (index 41) name c000002.
    expect(bundle.entries.map((e) => e.index)).toEqual([3, 8, 13, 18, 23, 28, 33, 38, 41]);
    expect((await custos('ledger', 'verify', out, '--key', key)).out).toMatch(/^ok: 9 entries proven in the signed tree of 42/m);

    const leaf = JSON.parse(Buffer.from(bundle.entries[3]!.leaf, 'base64').toString('utf8')) as Record<string, unknown>;
    leaf['outcome'] = 'allowed';
    const keys = Object.keys(leaf).sort();
    const canonical = `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(leaf[k])}`).join(',')}}`;
    bundle.entries[3]!.leaf = Buffer.from(canonical).toString('base64');
    await writeFile(join(dir, 'doctored.json'), JSON.stringify(bundle));
    const bad = await custos('ledger', 'verify', join(dir, 'doctored.json'), '--key', key);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/FAILED at index 18: inclusion proof/);
  }, 60_000);

  it('fails with the first bad index when an entry is changed on disk, and with another key', async () => {
    const other = await mkdtemp(join(tmpdir(), 'custos-otherkey-'));
    try {
      await custos('keygen', '--out', join(other, 'k.pem'));
      const wrongKey = await custos('ledger', 'verify', '--data', dir, '--key', join(other, 'k.pem.pub'));
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.out).toMatch(/FAILED .*signature/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
    const raw = new SQLite(join(dir, 'ledger.db'));
    raw.prepare("UPDATE ledger_entries SET leaf = replace(leaf, 'masked', 'allowed') WHERE idx = 11").run();
    raw.close();
    const r = await custos('ledger', 'verify', '--data', dir, '--key', join(dir, 'ledger-key.pub'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAILED at index 11/);
  }, 60_000);
});
