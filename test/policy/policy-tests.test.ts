import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPolicyEngine, parsePolicyTests, runPolicyTests, type PolicyTestFile } from '../../src/policy/index.js';

const root = resolve(import.meta.dirname, '../..');
const testFile = join(root, 'policies/tests/default.tests.json');
const tests = parsePolicyTests(readFileSync(testFile, 'utf8'));
const engine = createPolicyEngine(readFileSync(resolve(join(root, 'policies/tests'), tests.policy), 'utf8'));

describe('the shipped policy test cases', () => {
  it('pass against the default policy, every one of them', () => {
    const report = runPolicyTests(engine, tests);
    expect(report.results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.problem}`)).toEqual([]);
    expect(report.passed).toBe(tests.cases.length);
    expect(report.passed).toBeGreaterThanOrEqual(40);
  });

  it('fail a case whose expectation is wrong, naming what it got', () => {
    const i = tests.cases.findIndex((c) => c.name.startsWith('outsourced staff never see ID numbers unmasked'));
    expect(i).toBeGreaterThanOrEqual(0);
    const wrong: PolicyTestFile = { ...tests, cases: tests.cases.map((c, k) => (k === i ? { ...c, expect: { decision: 'allow' as const } } : c)) };
    const report = runPolicyTests(engine, wrong);
    expect(report.failed).toBe(1);
    const failed = report.results.find((r) => !r.ok)!;
    expect(failed.name).toBe(tests.cases[i]!.name);
    expect(failed.problem).toContain('expected allow, got deny (forbid-outsourced-identifiers)');
  });

  it('fail a case whose deciding policies are wrong even when the decision is right', () => {
    const c = tests.cases.find((x) => x.name.startsWith('a teller sees a balance inside a customer session'))!;
    const report = runPolicyTests(engine, { ...tests, cases: [{ ...c, expect: { ...c.expect, policies: ['reveal-contact-on-ticket'] } }] });
    expect(report.failed).toBe(1);
    expect(report.results[0]!.problem).toContain('expected policies [reveal-contact-on-ticket], got [teller-balance-in-session]');
  });

  it('refuses a test file that is not the format, too large, or not JSON, with stable codes', () => {
    expect(() => parsePolicyTests('{')).toThrow(expect.objectContaining({ code: 'CUSTOS_POLICY_TESTS_INVALID' }));
    expect(() => parsePolicyTests(JSON.stringify({ ...tests, format: 'x' }))).toThrow(expect.objectContaining({ code: 'CUSTOS_POLICY_TESTS_INVALID' }));
    const noExpect = { ...tests, cases: [{ ...tests.cases[0]!, expect: {} }] };
    expect(() => parsePolicyTests(JSON.stringify(noExpect))).toThrow(/expect needs a decision or an effect/);
    expect(() => parsePolicyTests(' '.repeat(1024 * 1024 + 1))).toThrow(expect.objectContaining({ code: 'CUSTOS_POLICY_TESTS_TOO_LARGE' }));
  });
});
