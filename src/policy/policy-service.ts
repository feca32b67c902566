/**
 * The policy in force in a running server: the current version's decider (with its grant cache), the version
 * store, and the gate every new version passes (it compiles, validates against the schema, and the shipped test
 * cases still pass). Saving swaps the decider at once, so the next decision uses the new version and no grant of the
 * old one. With `isolation: 'process'` (the server's setting) the engine runs in a decision process, version checks
 * included, so a failure of the engine cannot take the server down.
 */
import { dirname, join } from 'node:path';
import { CustosError } from '../core/errors.js';
import { demoFields } from './field-attributes.js';
import { DEFAULT_POLICY_FILE, readPolicyFile } from './policy-file.js';
import { inlineDecider, type PolicyDecider } from './decider.js';
import { createDecisionProcess, processDecider, type DecisionProcess } from './decision-process.js';
import { createPolicyEngine } from './policy-engine.js';
import { compilePolicy, MAX_POLICY_BYTES, policyHash } from './policy-source.js';
import { createPolicyStore, type PolicyStore, type PolicyVersion, type PolicyVersionRepo } from './policy-store.js';
import { MAX_TEST_FILE_BYTES, parsePolicyTests, runPolicyTests, type PolicyTestFile, type PolicyTestReport } from './policy-tests.js';
import type { FieldAttributes } from './policy-types.js';

/** The test cases shipped with the default policy (run against every new version). */
export const SHIPPED_TESTS_FILE = join(dirname(DEFAULT_POLICY_FILE), 'tests', 'default.tests.json');

export interface PolicyService {
  /** The decider of the version in force. */
  decider(): PolicyDecider;
  /** The version in force. */
  current(): PolicyVersion;
  readonly store: PolicyStore;
  /** The shipped test cases run against a policy text (the current one by default; cached per version). */
  testReport(text?: string): Promise<PolicyTestReport>;
  /**
   * Checks a new text (or the restore of an old version) and returns the version it would make; throws
   * CUSTOS_POLICY_INVALID / CUSTOS_POLICY_TESTS_FAILED (400) when it does not pass.
   */
  prepare(input: { readonly text?: string; readonly restoredFrom?: number; readonly author: string; readonly message: string }): Promise<PolicyVersion>;
  /** Keeps a prepared version and puts it in force. */
  commit(v: PolicyVersion): Promise<void>;
  /** Puts the store's latest version in force if another replica saved one; true when it changed. */
  refresh(): Promise<boolean>;
  /** Where the engine runs, and (isolated) its decision process: processes started, ended unexpectedly, current pid. */
  engineStats(): { readonly isolation: 'inline' | 'process'; readonly started: number; readonly crashes: number; readonly pid: number | undefined };
  /** Ends the decision process (with `isolation: 'process'`). */
  close(): Promise<void>;
}

export interface PolicyServiceOptions {
  readonly repo: PolicyVersionRepo;
  readonly clock: { now(): Date };
  /** Fields of the dataset the record API serves, with their classification. */
  readonly fields?: readonly FieldAttributes[];
  readonly dataset?: string;
  /** The shipped test cases (default: policies/tests/default.tests.json). */
  readonly tests?: PolicyTestFile;
  /** Called with the first version when the store holds none (the shipped default), before it is kept. */
  readonly onInstall?: (v: PolicyVersion) => Promise<void>;
  /**
   * Where the engine runs: 'inline' in this process (the CLI, tests), or 'process' in a decision process that a
   * failure of the engine cannot take down with the caller (the server). Default 'inline'.
   */
  readonly isolation?: 'inline' | 'process';
  /** Called when a decision process ends unexpectedly (exit code or signal only). */
  readonly onEngineCrash?: (info: { readonly code: number | null; readonly signal: string | null }) => void;
}

/**
 * Opens the policy service: the store's latest version, or on first start the shipped default policy saved as
 * version 1 (by `cli`, the installation).
 *
 * @example
 * const policies = await openPolicyService({ repo: sqlPolicyRepo(db), clock });
 * const grant = await policies.decider().grantFor(person, context);
 */
export async function openPolicyService(options: PolicyServiceOptions): Promise<PolicyService> {
  const store = createPolicyStore({ repo: options.repo, clock: options.clock });
  const tests = options.tests ?? parsePolicyTests(readPolicyFile(SHIPPED_TESTS_FILE, MAX_TEST_FILE_BYTES, 'CUSTOS_POLICY_TESTS_TOO_LARGE'));
  const fields = options.fields;
  const dataset = options.dataset ?? 'customers';
  const isolated = options.isolation === 'process';
  const crashHook = options.onEngineCrash !== undefined ? { onCrash: options.onEngineCrash } : {};
  const decisions: DecisionProcess | undefined = isolated ? createDecisionProcess(crashHook) : undefined;
  const make = (text: string): PolicyDecider => {
    const compiled = compilePolicy(text);
    if (decisions !== undefined) return processDecider(decisions, compiled, { fields: fields ?? demoFields(), dataset });
    return inlineDecider(createPolicyEngine(compiled, { ...(fields !== undefined ? { fields } : {}), dataset }));
  };
  const reports = new Map<string, PolicyTestReport>();

  let latest = await store.current();
  if (latest === undefined) {
    const v = await store.prepare({ text: readPolicyFile(DEFAULT_POLICY_FILE, MAX_POLICY_BYTES, 'CUSTOS_POLICY_TOO_LARGE'), author: 'cli', message: 'the default policy shipped with Custos' });
    try {
      await options.onInstall?.(v);
      await store.commit(v);
      latest = v;
    } catch (e) {
      // Another replica installed it first.
      latest = await store.current();
      if (latest === undefined) throw e;
    }
  }
  let current: PolicyVersion = latest;
  let decider = make(current.text);

  /** Runs the shipped cases: in the decision process when isolated (a crash there refuses the change, 503). */
  async function runTests(text: string): Promise<PolicyTestReport> {
    if (decisions === undefined) return runPolicyTests(createPolicyEngine(text, { fields: demoFields() }), tests);
    return decisions.call<PolicyTestReport>({ op: 'tests', policy: text, tests });
  }

  async function testReport(text: string = current.text): Promise<PolicyTestReport> {
    // Keyed by the text's hash: no compile (tens of ms of Cedar parsing) to find a report already made.
    const hash = policyHash(text);
    const hit = reports.get(hash);
    if (hit !== undefined) return hit;
    // The shipped cases speak of the demo company's fields, whatever the deployment's table holds.
    const report = await runTests(text);
    if (reports.size > 32) reports.clear();
    reports.set(hash, report);
    return report;
  }

  return {
    decider: () => decider,
    current: () => current,
    store,
    testReport,
    async prepare(input) {
      const v = await store.prepare({ text: input.text ?? '', author: input.author, message: input.message, ...(input.restoredFrom !== undefined ? { restoredFrom: input.restoredFrom } : {}) });
      const report = await testReport(v.text);
      if (report.failed > 0) {
        const failures = report.results.filter((r) => !r.ok).slice(0, 50).map((r) => ({ name: r.name, problem: r.problem }));
        throw new CustosError('CUSTOS_POLICY_TESTS_FAILED', 400, `The policy fails ${report.failed} of the ${report.passed + report.failed} shipped test cases (first: ${failures[0]?.name ?? ''}); fix the policy or the cases, nothing was saved.`, { failed: report.failed, failures });
      }
      return v;
    },
    async commit(v) {
      const next = make(v.text);
      await store.commit(v);
      current = v;
      decider = next;
    },
    async refresh() {
      const v = await store.current();
      if (v === undefined || v.version === current.version) return false;
      decider = make(v.text);
      current = v;
      return true;
    },
    engineStats: () => ({ isolation: isolated ? 'process' : 'inline', ...(decisions?.stats() ?? { started: 0, crashes: 0, pid: undefined }) }),
    close: async () => decisions?.close(),
  };
}
