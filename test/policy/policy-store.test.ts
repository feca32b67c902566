import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accessEventSchema } from '../../src/ledger/index.js';
import { createPolicyStore, memoryPolicyRepo, policyChangeEvent, unifiedDiff } from '../../src/policy/index.js';

const text = readFileSync(resolve(import.meta.dirname, '../../policies/default.cedar'), 'utf8');
const clock = { now: () => new Date('2026-03-02T09:00:00.000Z') };

describe('policy versions', () => {
  it('keep every version with its author, hash and diff, and restore an earlier one as a new version', async () => {
    const store = createPolicyStore({ repo: memoryPolicyRepo(), clock });
    const v1 = await store.save({ text, author: 'u0007', message: 'default policy' });
    expect(v1).toMatchObject({ version: 1, author: 'u0007', diff: '', restoredFrom: null });
    expect(v1.hash).toMatch(/^[0-9a-f]{64}$/);
    const changed = text.replace('customersPerDay=300', 'customersPerDay=250');
    const v2 = await store.save({ text: changed, author: 'u0008', message: 'lower the service quota' });
    expect(v2.diff).toContain('-@quota("customersPerDay=300');
    expect(v2.diff).toContain('+@quota("customersPerDay=250');
    expect(v2.diff).toMatch(/^--- policy v1\n\+\+\+ policy v2\n@@ -\d+,7 \+\d+,7 @@\n/);
    const v3 = await store.restore(1, 'u0007');
    expect(v3).toMatchObject({ version: 3, text, hash: v1.hash, restoredFrom: 1 });
    expect((await store.current())?.version).toBe(3);
    expect((await store.history()).map((v) => v.version)).toEqual([1, 2, 3]);
    await expect(store.getVersion(9)).rejects.toMatchObject({ code: 'CUSTOS_POLICY_VERSION_UNKNOWN' });
  });

  it('never keeps an invalid policy or an unchanged one', async () => {
    const store = createPolicyStore({ repo: memoryPolicyRepo(), clock });
    await store.save({ text, author: 'u0007', message: '' });
    await expect(store.save({ text: `${text}\n@id("broken") permit (principal, action, resource) when { principal.rol == "x" };`, author: 'u0007', message: '' })).rejects.toMatchObject({ code: 'CUSTOS_POLICY_INVALID' });
    await expect(store.save({ text, author: 'u0007', message: '' })).rejects.toMatchObject({ code: 'CUSTOS_POLICY_UNCHANGED' });
    expect((await store.history()).length).toBe(1);
  });

  it('produce a ledger admin event that meets the access-event contract', async () => {
    const store = createPolicyStore({ repo: memoryPolicyRepo(), clock });
    const v1 = await store.save({ text, author: 'u0007', message: 'default' });
    const v2 = await store.save({ text: text.replace('property=50, credit=50', 'property=40, credit=50'), author: 'u0008', message: 'tighter' });
    const event = policyChangeEvent(v2, v1, { id: 'e-100', actor: 'u0008' });
    expect(accessEventSchema.safeParse(event).success).toBe(true);
    expect(event.detail).toMatchObject({ kind: 'policy.change', version: 2, previousVersion: 1, previousHash: v1.hash, hash: v2.hash });
    expect(event.detail['diff']).toBe(v2.diff);
    expect(event.detail['diffSha256']).toBe(createHash('sha256').update(v2.diff, 'utf8').digest('hex'));
  });
});

describe('unified diff', () => {
  it('is what diff -u prints, hunk for hunk', () => {
    const a = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n') + '\n';
    const b = a.replace('line 3\n', 'line three\n').replace('line 20\n', '').replace('line 27\n', 'line 27\nextra\n');
    const ours = unifiedDiff(a, b, 'a', 'b');
    const dir = mkdtempSync(join(tmpdir(), 'custos-diff-'));
    try {
      writeFileSync(join(dir, 'a'), a);
      writeFileSync(join(dir, 'b'), b);
      let theirs = '';
      try {
        execFileSync('diff', ['-u', 'a', 'b'], { cwd: dir, encoding: 'utf8' });
      } catch (e) {
        theirs = (e as { stdout: string }).stdout;
      }
      const hunks = (s: string): string => s.split('\n').slice(2).join('\n');
      expect(hunks(ours)).toBe(hunks(theirs));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(unifiedDiff(a, a)).toBe('');
  });
});
