/**
 * Policy test cases: a JSON file of requests and the decisions they must get (`custos policy test FILE`, and CI
 * through test/policy). A case checks the direct Cedar decision (`expect.decision`), the effect through a grant
 * and the per-record check (`expect.effect`), or both, and optionally which policies decided.
 */
import { z } from 'zod';
import { CustosError } from '../core/errors.js';
import { ACTIONS, BASES, RELATIONS, type RelationName } from './cedar-schema.js';
import { maskOf, recordRuling } from './record-check.js';
import type { PolicyEngine } from './policy-engine.js';
import type { Effect, PersonAttributes, PolicyRequest, RequestContext, Ruling } from './policy-types.js';

export const MAX_TEST_FILE_BYTES = 1024 * 1024;
export const MAX_TEST_CASES = 5000;

const name = z.string().min(1).max(64);
const personShape = z
  .object({
    id: z.string().min(1).max(128),
    role: name,
    department: name,
    employment: z.enum(['employee', 'outsourced']),
    manager: z.string().min(1).max(128).nullable(),
    leaving: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
    risk: z.enum(['low', 'medium', 'high']),
  })
  .strict();
const contextShape = z
  .object({
    purpose: name,
    ticket: z.string().min(1).max(128).nullable(),
    hour: z.number().int().min(0).max(23),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    device: z.enum(['managed', 'unmanaged', 'unknown']),
    session: z.enum(['password', 'mfa']),
    reason: z.boolean(),
  })
  .strict();
const EFFECTS = ['allow', 'approval', 'break_glass', 'deny'] as const;
const caseShape = z
  .object({
    name: z.string().min(1).max(200),
    person: personShape.partial().optional(),
    context: contextShape.partial().optional(),
    action: z.enum(ACTIONS),
    resource: z.string().min(1).max(200),
    relation: z.array(z.enum(RELATIONS)).max(RELATIONS.length).optional(),
    basis: z.enum(BASES).optional(),
    expect: z
      .object({ decision: z.enum(['allow', 'deny']).optional(), effect: z.enum(EFFECTS).optional(), policies: z.array(z.string().max(64)).max(100).optional() })
      .strict()
      .refine((e) => e.decision !== undefined || e.effect !== undefined, 'expect needs a decision or an effect'),
  })
  .strict();
const fileShape = z
  .object({
    format: z.literal('custos-policy-tests/1'),
    /** The policy file, relative to the test file. */
    policy: z.string().min(1).max(500),
    defaults: z.object({ person: personShape, context: contextShape }).strict(),
    cases: z.array(caseShape).min(1).max(MAX_TEST_CASES),
  })
  .strict();

export type PolicyTestFile = z.infer<typeof fileShape>;
export type PolicyTestCase = z.infer<typeof caseShape>;

export interface PolicyTestResult {
  readonly name: string;
  readonly ok: boolean;
  /** What the case got: the decision and/or the effect, and the deciding policies. */
  readonly got: { readonly decision?: 'allow' | 'deny'; readonly effect?: Effect; readonly policies: readonly string[] };
  /** Why it failed, in words; empty when it passed. */
  readonly problem: string;
}

export interface PolicyTestReport {
  readonly passed: number;
  readonly failed: number;
  readonly results: readonly PolicyTestResult[];
}

/** Parses a test file's text (bounded), or throws CUSTOS_POLICY_TESTS_INVALID / CUSTOS_POLICY_TESTS_TOO_LARGE. */
export function parsePolicyTests(text: string): PolicyTestFile {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_TEST_FILE_BYTES) throw new CustosError('CUSTOS_POLICY_TESTS_TOO_LARGE', 413, `The test file is ${bytes} bytes; the limit is ${MAX_TEST_FILE_BYTES}. Split it into several files.`, { bytes, limit: MAX_TEST_FILE_BYTES });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CustosError('CUSTOS_POLICY_TESTS_INVALID', 400, 'The test file is not valid JSON.');
  }
  const parsed = fileShape.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CustosError('CUSTOS_POLICY_TESTS_INVALID', 400, `The test file does not have the custos-policy-tests/1 format (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}).`, { path: issue?.path.join('.') ?? '' });
  }
  return parsed.data;
}

/** The request of a case: the file's defaults with the case's own attributes over them. */
export function requestOf(file: PolicyTestFile, c: PolicyTestCase): PolicyRequest {
  const person: PersonAttributes = { ...file.defaults.person, ...(c.person ?? {}) };
  const context: RequestContext = { ...file.defaults.context, ...(c.context ?? {}) };
  const relation: Partial<Record<RelationName, boolean>> = {};
  for (const r of c.relation ?? []) relation[r] = true;
  return { person, context, action: c.action, resource: c.resource, relation, ...(c.basis !== undefined ? { basis: c.basis } : {}) };
}

/** The effect of a request through a grant and the per-record check (the path the server takes). */
export function effectThroughGrant(engine: PolicyEngine, request: PolicyRequest): Ruling {
  const grant = engine.grantFor(request.person, request.context);
  const mask = maskOf(request.relation ?? {});
  const field = request.resource.includes('.') ? request.resource.slice(request.resource.indexOf('.') + 1) : request.resource;
  switch (request.action) {
    case 'view':
      return recordRuling(grant, mask).view;
    case 'reveal':
      return recordRuling(grant, mask).reveal[field] ?? { effect: 'deny', policies: [] };
    case 'export':
      return grant.export[field] ?? { effect: 'deny', policies: [] };
    case 'break_glass':
      return grant.breakGlass;
    case 'read':
      return request.resource === 'policy' ? grant.policy.read : request.resource === 'ledger' ? grant.ledger : { effect: 'deny', policies: [] };
    case 'administer':
      return request.resource === 'policy' ? grant.policy.administer : { effect: 'deny', policies: [] };
    case 'purpose': {
      const purpose = request.resource.replace(/^purpose:/, '');
      return purpose === request.context.purpose ? grant.purposeRuling : { effect: grant.purposes.includes(purpose) ? 'allow' : 'deny', policies: [] };
    }
    case 'quota':
      return { effect: grant.quotas !== null ? 'allow' : 'deny', policies: grant.quotaPolicies };
  }
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/**
 * Runs every case of a parsed test file against an engine.
 *
 * @example
 * const report = runPolicyTests(createPolicyEngine(policyText), parsePolicyTests(testText));
 * report.failed === 0;
 */
export function runPolicyTests(engine: PolicyEngine, file: PolicyTestFile): PolicyTestReport {
  const results: PolicyTestResult[] = [];
  for (const c of file.cases) {
    const request = requestOf(file, c);
    const problems: string[] = [];
    let got: PolicyTestResult['got'] = { policies: [] };
    try {
      if (c.expect.decision !== undefined) {
        const d = engine.decide(request);
        got = { ...got, decision: d.effect, policies: d.policies };
        if (d.effect !== c.expect.decision) problems.push(`expected ${c.expect.decision}, got ${d.effect} (${d.policies.join(', ') || 'deny by default'})`);
      }
      if (c.expect.effect !== undefined) {
        const r = effectThroughGrant(engine, request);
        got = { ...got, effect: r.effect, policies: c.expect.decision !== undefined ? got.policies : r.policies };
        if (r.effect !== c.expect.effect) problems.push(`expected effect ${c.expect.effect}, got ${r.effect} (${r.policies.join(', ') || 'deny by default'})`);
      }
      if (c.expect.policies !== undefined && !sameSet(got.policies, c.expect.policies)) problems.push(`expected policies [${c.expect.policies.join(', ')}], got [${got.policies.join(', ')}]`);
    } catch (e) {
      problems.push(e instanceof CustosError ? `${e.code}: ${e.message}` : 'the case could not be evaluated');
    }
    results.push({ name: c.name, ok: problems.length === 0, got, problem: problems.join('; ') });
  }
  const failed = results.filter((r) => !r.ok).length;
  return { passed: results.length - failed, failed, results };
}
