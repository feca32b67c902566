/**
 * policy: Cedar policies over attributes of the person, the data, the relation and the context; deny by default,
 * forbid wins, every decision names its policies. Decide once per (person, purpose, ticket, context) into a cached
 * grant; check each record against the grant in plain code. Versions with diffs and the ledger event of a change.
 * Other capabilities import only from this file.
 */
export { RELATIONS, BASES, ACTIONS, CEDAR_SCHEMA, type RelationName, type Basis, type PolicyAction } from './cedar-schema.js';
export type { PersonAttributes, RequestContext, FieldAttributes, Relations, PolicyRequest, Decision, Effect, Ruling, QuotaLimits } from './policy-types.js';
export { compilePolicy, MAX_POLICY_BYTES, MAX_POLICIES, type CompiledPolicy, type PolicyInfo } from './policy-source.js';
export { createPolicyEngine, checkRequestShape, type PolicyEngine, type PolicyEngineOptions, type Explanation } from './policy-engine.js';
export { type Grant, type RecordRuling } from './grant.js';
export { relationMask, maskOf, recordRuling, fieldRuling, checkRecord, refusal, fieldReason, type RelationIndex, type FieldCheck, type FieldReason } from './record-check.js';
export { RELATION_BIT } from './grant.js';
export { classifyColumn, fieldMap, demoFields, DEMO_CUSTOMER_COLUMNS } from './field-attributes.js';
export {
  parsePolicyTests, runPolicyTests, requestOf, effectThroughGrant, MAX_TEST_FILE_BYTES, MAX_TEST_CASES,
  type PolicyTestFile, type PolicyTestCase, type PolicyTestResult, type PolicyTestReport,
} from './policy-tests.js';
export { createPolicyStore, memoryPolicyRepo, policyChangeEvent, type PolicyStore, type PolicyVersion, type PolicyVersionRepo } from './policy-store.js';
export { unifiedDiff } from './unified-diff.js';
export { DEFAULT_POLICY_FILE, readPolicyFile } from './policy-file.js';
export { sqlPolicyRepo } from './policy-repo.js';
export { inlineDecider, type PolicyDecider } from './decider.js';
export { createDecisionProcess, processDecider, type DecisionProcess, type DecisionProcessOptions } from './decision-process.js';
export { openPolicyService, SHIPPED_TESTS_FILE, type PolicyService, type PolicyServiceOptions } from './policy-service.js';
