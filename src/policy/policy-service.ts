/**
 * The policy in force in a running server: the current version's engine (with its grant cache), the version store,
 * and the gate every new version passes (it compiles, validates against the schema, and the shipped test cases still
 * pass). Saving swaps the engine at once, so the next decision uses the new version and no grant of the old one.
 */
import { dirname, join } from 'node:path';
import { CustosError } from '../core/errors.js';
import { demoFields } from './field-attributes.js';
import { DEFAULT_POLICY_FILE, readPolicyFile } from './policy-file.js';
import { createPolicyEngine, type PolicyEngine } from './policy-engine.js';
import { compilePolicy, MAX_POLICY_BYTES } from './policy-source.js';
import { createPolicyStore, type PolicyStore, type PolicyVersion, type PolicyVersionRepo } from './policy-store.js';
import { MAX_TEST_FILE_BYTES, parsePolicyTests, runPolicyTests, type PolicyTestFile, type PolicyTestReport } from './policy-tests.js';
import type { FieldAttributes } from './policy-types.js';

/** The test cases shipped with the default policy (run against every new version). */
export const SHIPPED_TESTS_FILE = join(dirname(DEFAULT_POLICY_FILE), 'tests', 'default.tests.json');

export interface PolicyService {
  /** The engine of the version in force. */
  engine(): PolicyEngine;
  /** The version in force. */
  current(): PolicyVersion;
  readonly store: PolicyStore;
  /** The shipped test cases run against a policy text (the current one by default; cached per version). */
  testReport(text?: string): PolicyTestReport;
  /**
   * Checks a new text (or the restore of an old version) and returns the version it would make; throws
   * CUSTOS_POLICY_INVALID / CUSTOS_POLICY_TESTS_FAILED (400) when it does not pass.
   */
  prepare(input: { readonly text?: string; readonly restoredFrom?: number; readonly author: string; readonly message: string }): Promise<PolicyVersion>;
  /** Keeps a prepared version and puts it in force. */
  commit(v: PolicyVersion): Promise<void>;
  /** Puts the store's latest version in force if another replica saved one; true when it changed. */
  refresh(): Promise<boolean>;
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
}

/**
 * Opens the policy service: the store's latest version, or on first start the shipped default policy saved as
 * version 1 (by `cli`, the installation).
 *
 * @example
 * const policies = await openPolicyService({ repo: sqlPolicyRepo(db), clock });
 * policies.engine().grantFor(person, context);
 */
export async function openPolicyService(options: PolicyServiceOptions): Promise<PolicyService> {
  const store = createPolicyStore({ repo: options.repo, clock: options.clock });
  const tests = options.tests ?? parsePolicyTests(readPolicyFile(SHIPPED_TESTS_FILE, MAX_TEST_FILE_BYTES, 'CUSTOS_POLICY_TESTS_TOO_LARGE'));
  const make = (text: string): PolicyEngine => createPolicyEngine(compilePolicy(text), { ...(options.fields !== undefined ? { fields: options.fields } : {}), ...(options.dataset !== undefined ? { dataset: options.dataset } : {}) });
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
  let engine = make(current.text);

  function testReport(text: string = current.text): PolicyTestReport {
    const hash = compilePolicy(text).hash;
    const hit = reports.get(hash);
    if (hit !== undefined) return hit;
    // The shipped cases speak of the demo company's fields, whatever the deployment's table holds.
    const report = runPolicyTests(createPolicyEngine(text, { fields: demoFields() }), tests);
    if (reports.size > 32) reports.clear();
    reports.set(hash, report);
    return report;
  }

  return {
    engine: () => engine,
    current: () => current,
    store,
    testReport,
    async prepare(input) {
      const v = await store.prepare({ text: input.text ?? '', author: input.author, message: input.message, ...(input.restoredFrom !== undefined ? { restoredFrom: input.restoredFrom } : {}) });
      const report = testReport(v.text);
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
      engine = next;
    },
    async refresh() {
      const v = await store.current();
      if (v === undefined || v.version === current.version) return false;
      engine = make(v.text);
      current = v;
      return true;
    },
  };
}
