import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { CustosError } from '../core/errors.js';
import {
  compilePolicy, createPolicyEngine, DEFAULT_POLICY_FILE, effectThroughGrant, MAX_POLICY_BYTES, MAX_TEST_FILE_BYTES, parsePolicyTests, readPolicyFile, requestOf,
  runPolicyTests, type PolicyTestFile,
} from '../policy/index.js';

const say = (s: string): void => void process.stdout.write(`${s}\n`);

const EXPLAIN_DEFAULTS: PolicyTestFile['defaults'] = {
  person: { id: 'u0001', role: 'service_agent', department: 'customer_service', employment: 'employee', manager: null, leaving: null, risk: 'low' },
  context: { purpose: 'customer_request', ticket: null, hour: 10, date: '2026-03-02', device: 'managed', session: 'mfa', reason: false },
};

function loadPolicy(file: string | undefined): ReturnType<typeof compilePolicy> {
  return compilePolicy(readPolicyFile(file ?? DEFAULT_POLICY_FILE, MAX_POLICY_BYTES, 'CUSTOS_POLICY_TOO_LARGE'));
}

/**
 * `custos policy test FILE`, `custos policy explain --request JSON` and `custos policy check [FILE]`.
 * Registered by src/cli/main.ts.
 */
export function registerPolicyCommands(program: Command): void {
  const policy = program.command('policy').description('policies: check a policy file, run its test cases, explain a decision');

  policy
    .command('check')
    .description('compile a policy file against the schema and list its policies')
    .argument('[file]', 'policy file (default: policies/default.cedar)')
    .action((file: string | undefined) => {
      const compiled = loadPolicy(file);
      say(`ok: ${compiled.policies.length} policies, sha256 ${compiled.hash}`);
      for (const p of compiled.policies) say(`  ${String(p.line).padStart(4)}  ${p.effect.padEnd(6)} ${p.id}${p.why !== null ? `: ${p.why}` : ''}`);
    });

  policy
    .command('test')
    .description('run policy test cases (custos-policy-tests/1 JSON: request → expected decision); exits 1 if any fails')
    .argument('<file>', 'test file')
    .option('--policy <file>', 'policy file to test instead of the one the test file names')
    .action((file: string, o: { policy?: string }) => {
      const tests = parsePolicyTests(readPolicyFile(file, MAX_TEST_FILE_BYTES, 'CUSTOS_POLICY_TESTS_TOO_LARGE'));
      const policyFile = o.policy ?? resolve(dirname(file), tests.policy);
      const engine = createPolicyEngine(loadPolicy(policyFile));
      const report = runPolicyTests(engine, tests);
      for (const r of report.results) say(r.ok ? `ok    ${r.name}` : `FAIL  ${r.name}: ${r.problem}`);
      say(`${report.passed} passed, ${report.failed} failed`);
      if (report.failed > 0) process.exitCode = 1;
    });

  policy
    .command('explain')
    .description('decide one request and show which policies decided it, and what it takes through a grant')
    .requiredOption('--request <json>', 'request as JSON: {"action","resource","person"?,"context"?,"relation"?:[…],"basis"?} (person and context default to a service agent at 10:00)')
    .option('--policy <file>', 'policy file (default: policies/default.cedar)')
    .action((o: { request: string; policy?: string }) => {
      if (o.request.length > 10_000) throw new CustosError('CUSTOS_POLICY_BAD_REQUEST', 400, 'The request is at most 10,000 characters of JSON.');
      let raw: unknown;
      try {
        raw = JSON.parse(o.request);
      } catch {
        throw new CustosError('CUSTOS_POLICY_BAD_REQUEST', 400, 'The request is not valid JSON.');
      }
      const body = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {};
      const file = parsePolicyTests(JSON.stringify({ format: 'custos-policy-tests/1', policy: '-', defaults: EXPLAIN_DEFAULTS, cases: [{ name: 'explain', ...body, expect: { decision: 'allow' } }] }));
      const engine = createPolicyEngine(loadPolicy(o.policy));
      const request = requestOf(file, file.cases[0]!);
      const { decision, policies } = engine.explain(request);
      say(`decision: ${decision.effect}${decision.policies.length === 0 ? ' (no policy allows it: deny by default)' : ''}`);
      for (const p of policies) {
        say(`  ${p.effect} ${p.id} (line ${p.line})${p.why !== null ? `: ${p.why}` : ''}`);
        for (const line of p.text.split('\n')) say(`      ${line}`);
      }
      if (decision.errors.length > 0) say(`  errors in: ${decision.errors.join(', ')} (fail closed)`);
      const through = effectThroughGrant(engine, request);
      say(`through the grant (weakest basis that allows): ${through.effect}${through.policies.length > 0 ? ` (${through.policies.join(', ')})` : ''}`);
    });
}
