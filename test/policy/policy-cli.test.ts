import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerPolicyCommands } from '../../src/cli/policy.js';

const root = resolve(import.meta.dirname, '../..');
let out = '';

async function custos(...args: string[]): Promise<{ out: string; exitCode: number }> {
  out = '';
  process.exitCode = 0;
  const program = new Command().name('custos').exitOverride();
  registerPolicyCommands(program);
  await program.parseAsync(['node', 'custos', ...args]);
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { out, exitCode };
}

beforeEach(() => {
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
});
afterEach(() => vi.restoreAllMocks());

describe('custos policy', () => {
  it('test runs the shipped cases and reports them all passed', async () => {
    const r = await custos('policy', 'test', join(root, 'policies/tests/default.tests.json'));
    expect(r.exitCode).toBe(0);
    expect(r.out).toMatch(/^\d+ passed, 0 failed$/m);
  });

  it('test exits 1 and names the failing case when an expectation is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'custos-policy-cli-'));
    try {
      const file = JSON.parse(readFileSync(join(root, 'policies/tests/default.tests.json'), 'utf8')) as { policy: string; cases: { expect: Record<string, unknown> }[] };
      file.policy = join(root, 'policies/default.cedar');
      file.cases = [{ ...file.cases[0]!, expect: { decision: 'deny' } }];
      writeFileSync(join(dir, 't.json'), JSON.stringify(file));
      const r = await custos('policy', 'test', join(dir, 't.json'));
      expect(r.exitCode).toBe(1);
      expect(r.out).toMatch(/^FAIL {2}a service agent sees a customer assigned to them: expected deny, got allow/m);
      expect(r.out).toMatch(/^0 passed, 1 failed$/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explain names the policy that decided and shows its text', async () => {
    const r = await custos('policy', 'explain', '--request', JSON.stringify({ action: 'reveal', resource: 'customers.balance', person: { role: 'teller', department: 'retail_banking' }, context: { purpose: 'counter_service' }, relation: ['onThisTicket'] }));
    expect(r.out).toMatch(/^decision: allow$/m);
    expect(r.out).toContain('permit teller-balance-in-session');
    expect(r.out).toContain('tellers see balances only inside a customer session or ticket');
    expect(r.out).toMatch(/through the grant .*: allow/);
  });

  it('explain refuses a request that is not JSON with a stable code', async () => {
    await expect(custos('policy', 'explain', '--request', '{nope')).rejects.toMatchObject({ code: 'CUSTOS_POLICY_BAD_REQUEST' });
  });
});
