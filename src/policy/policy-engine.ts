/**
 * The policy engine: a compiled policy version, its Cedar engine, and the cache of grants. `grantFor` decides once
 * per (person's attributes, purpose, ticket, context) and keeps the grant; `decide` and `explain` answer one
 * question directly (for tests, the CLI and explanations).
 */
import { CustosError } from '../core/errors.js';
import { ACTIONS, BASES, RELATIONS } from './cedar-schema.js';
import { cedarInputs, createCedarEngine, inputKey, type CedarEngine } from './cedar-engine.js';
import { demoFields, fieldMap } from './field-attributes.js';
import { computeGrant, type Grant } from './grant.js';
import { compilePolicy, type CompiledPolicy, type PolicyInfo } from './policy-source.js';
import type { Decision, FieldAttributes, PersonAttributes, PolicyRequest, RequestContext } from './policy-types.js';

export interface PolicyEngineOptions {
  /** Fields of the datasets the engine decides on (default: the demo company's customer fields). */
  readonly fields?: readonly FieldAttributes[];
  /** The dataset the record API serves (default `customers`). */
  readonly dataset?: string;
  /** Grants kept (least recently used dropped first). */
  readonly maxGrants?: number;
}

export interface Explanation {
  readonly decision: Decision;
  readonly policies: readonly Pick<PolicyInfo, 'id' | 'effect' | 'why' | 'line' | 'text'>[];
}

export interface PolicyEngine {
  readonly compiled: CompiledPolicy;
  /** The grant for a person and context: computed once, then from the cache. */
  grantFor(person: PersonAttributes, context: RequestContext): Grant;
  /**
   * The grant for a context with no stated purpose (a record view): under the first purpose the policy allows the
   * person, or a grant that allows nothing when it allows none. Cached like `grantFor`.
   */
  defaultGrant(person: PersonAttributes, context: RequestContext): Grant;
  /** One decision straight from Cedar. */
  decide(request: PolicyRequest): Decision;
  /** The decision with the full text of the deciding policies. */
  explain(request: PolicyRequest): Explanation;
  /** Grants computed (cache misses) and served from the cache. */
  stats(): { readonly computed: number; readonly cached: number; readonly decisions: number };
}

const ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const NAME = /^[a-z0-9_.:-]{1,64}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Checks the shape of a person and a context (bounded strings, known values); throws CUSTOS_POLICY_BAD_REQUEST. */
export function checkRequestShape(person: PersonAttributes, ctx: RequestContext): void {
  const bad = (what: string): never => {
    throw new CustosError('CUSTOS_POLICY_BAD_REQUEST', 400, `The policy request has an invalid ${what}.`, { attribute: what });
  };
  if (!ID.test(person.id)) bad('person.id');
  if (!NAME.test(person.role)) bad('person.role');
  if (!NAME.test(person.department)) bad('person.department');
  if (person.employment !== 'employee' && person.employment !== 'outsourced') bad('person.employment (employee or outsourced)');
  if (person.manager !== null && !ID.test(person.manager)) bad('person.manager');
  if (person.leaving !== null && !DATE.test(person.leaving)) bad('person.leaving (YYYY-MM-DD or null)');
  if (!['low', 'medium', 'high'].includes(person.risk)) bad('person.risk (low, medium or high)');
  if (!NAME.test(ctx.purpose)) bad('context.purpose');
  if (ctx.ticket !== null && !ID.test(ctx.ticket)) bad('context.ticket');
  if (!Number.isInteger(ctx.hour) || ctx.hour < 0 || ctx.hour > 23) bad('context.hour (0–23)');
  if (!DATE.test(ctx.date)) bad('context.date (YYYY-MM-DD)');
  if (!['managed', 'unmanaged', 'unknown'].includes(ctx.device)) bad('context.device (managed, unmanaged or unknown)');
  if (ctx.session !== 'password' && ctx.session !== 'mfa') bad('context.session (password or mfa)');
  if (typeof ctx.reason !== 'boolean') bad('context.reason (true or false)');
}

/**
 * An engine for one policy version.
 *
 * @example
 * const engine = createPolicyEngine(readFileSync('policies/default.cedar', 'utf8'));
 * const grant = engine.grantFor(person, { purpose: 'customer_request', ticket: 'T-1', hour: 10, date: '2026-03-02', device: 'managed', session: 'mfa', reason: false });
 * checkRecord(grant, relationMask(index, 'c1029'), ['mobile']);
 */
export function createPolicyEngine(text: string | CompiledPolicy, options: PolicyEngineOptions = {}): PolicyEngine {
  const compiled = typeof text === 'string' ? compilePolicy(text) : text;
  const fields = options.fields ?? demoFields();
  const dataset = options.dataset ?? 'customers';
  const maxGrants = options.maxGrants ?? 10_000;
  const engine: CedarEngine = createCedarEngine(compiled, fieldMap(fields));
  const datasetFields = fields.filter((f) => f.dataset === dataset);
  const grants = new Map<string, Grant>();
  const defaults = new Map<string, Grant>();
  let computed = 0;
  let cached = 0;

  function decide(request: PolicyRequest): Decision {
    checkRequestShape(request.person, request.context);
    if (!(ACTIONS as readonly string[]).includes(request.action)) throw new CustosError('CUSTOS_POLICY_BAD_REQUEST', 400, `Unknown action; use one of ${ACTIONS.join(', ')}.`, { attribute: 'action' });
    if (typeof request.resource !== 'string' || request.resource.length === 0 || request.resource.length > 200) throw new CustosError('CUSTOS_POLICY_BAD_REQUEST', 400, 'The resource is a dataset, dataset.field or purpose:NAME of at most 200 characters.', { attribute: 'resource' });
    for (const k of Object.keys(request.relation ?? {})) {
      if (!(RELATIONS as readonly string[]).includes(k)) throw new CustosError('CUSTOS_POLICY_BAD_REQUEST', 400, `Unknown relation ${k.slice(0, 32)}; the relations are ${RELATIONS.join(', ')}.`, { attribute: 'relation' });
    }
    const basis = request.basis ?? 'none';
    if (!(BASES as readonly string[]).includes(basis)) throw new CustosError('CUSTOS_POLICY_BAD_REQUEST', 400, `Unknown basis; use one of ${BASES.join(', ')}.`, { attribute: 'basis' });
    const relation = { ...(request.relation ?? {}) };
    if (relation.onThisTicket === true) relation.onOpenTicket = true;
    return engine.decide(cedarInputs(compiled, request.person, request.context), request.action, request.resource, relation, basis);
  }

  function grantFor(person: PersonAttributes, context: RequestContext): Grant {
    // The key holds only values the policies read; a hit was validated when it was computed (same values).
    const key = `${inputKey(compiled, person, context)}\u0002${context.purpose}`;
    const hit = grants.get(key);
    if (hit !== undefined) {
      cached++;
      // Refresh its place in the LRU order only now and then: a Map delete+set per view costs more than the check.
      if ((cached & 63) === 0) {
        grants.delete(key);
        grants.set(key, hit);
      }
      return hit;
    }
    checkRequestShape(person, context);
    const inputs = cedarInputs(compiled, person, context);
    const grant = computeGrant(engine, inputs, key, context.purpose, dataset, datasetFields);
    computed++;
    if (grants.size >= maxGrants) grants.delete(grants.keys().next().value!);
    grants.set(key, grant);
    return grant;
  }

  return {
    compiled,
    grantFor,
    defaultGrant(person, context) {
      const key = inputKey(compiled, person, context);
      const hit = defaults.get(key);
      if (hit !== undefined) return hit;
      const probe = grantFor(person, { ...context, purpose: compiled.purposes[0] ?? 'none' });
      const purpose = probe.purposes[0];
      const grant = purpose === undefined || purpose === probe.purpose ? probe : grantFor(person, { ...context, purpose });
      if (defaults.size >= maxGrants) defaults.delete(defaults.keys().next().value!);
      defaults.set(key, grant);
      return grant;
    },
    decide,
    explain(request) {
      const decision = decide(request);
      return { decision, policies: decision.policies.map((id) => compiled.byId.get(id)).filter((p): p is PolicyInfo => p !== undefined).map(({ id, effect, why, line, text: t }) => ({ id, effect, why, line, text: t })) };
    },
    stats: () => ({ computed, cached, decisions: engine.count() }),
  };
}
