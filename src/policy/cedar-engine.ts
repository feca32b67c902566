/**
 * One Cedar decision. The policy set is parsed once into Cedar's cache (`preparsePolicySet`) and each request
 * names it, so a decision costs no parsing. Fails closed: a policy that errors while evaluating makes an allow a
 * deny, and a failure of the engine is a deny.
 */
import type { EntityJson } from '@cedar-policy/cedar-wasm/nodejs';
import { CustosError } from '../core/errors.js';
import { BASES, DATASET_ACTIONS, FIELD_ACTIONS, RELATIONS, type Basis, type PolicyAction } from './cedar-schema.js';
import { cedar } from './cedar-wasm.js';
import type { CompiledPolicy } from './policy-source.js';
import type { Decision, FieldAttributes, PersonAttributes, Relations, RequestContext } from './policy-types.js';

type CedarValue = string | number | boolean | { readonly [k: string]: boolean };

/** What Cedar sees of a person and a context: only the attributes the policies read, the rest neutral. */
export interface CedarInputs {
  readonly person: Readonly<Record<string, string | number | boolean>>;
  readonly context: Readonly<Record<string, CedarValue>>;
  /** Canonical text of both: the cache key of a grant. */
  readonly key: string;
}

const NEUTRAL_PERSON: Readonly<Record<string, string | number | boolean>> = { role: '', department: '', employment: '', manager: '', leaving: false, daysToLeaving: 100_000, risk: 'low' };
const NEUTRAL_CONTEXT: Readonly<Record<string, string | number | boolean>> = { purpose: '', hasTicket: false, hour: 12, device: 'managed', session: 'mfa', reason: false };
const DAY_MS = 86_400_000;

function daysBetween(from: string, to: string): number {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return Number.isFinite(a) && Number.isFinite(b) ? Math.round((b - a) / DAY_MS) : 0;
}

const daysMemo = new Map<string, number>();
function leavingDays(person: PersonAttributes, ctx: RequestContext): number {
  if (person.leaving === null) return 100_000;
  const k = `${ctx.date}${person.leaving}`;
  let d = daysMemo.get(k);
  if (d === undefined) {
    if (daysMemo.size > 10_000) daysMemo.clear();
    daysMemo.set(k, (d = daysBetween(ctx.date, person.leaving)));
  }
  return d;
}

const PERSON_VALUE: Readonly<Record<string, (p: PersonAttributes, c: RequestContext) => string | number | boolean>> = {
  role: (p) => p.role,
  department: (p) => p.department,
  employment: (p) => p.employment,
  manager: (p) => p.manager ?? '',
  leaving: (p) => p.leaving !== null,
  daysToLeaving: leavingDays,
  risk: (p) => p.risk,
};
const CONTEXT_VALUE: Readonly<Record<string, (c: RequestContext) => string | number | boolean>> = {
  purpose: (c) => c.purpose,
  hasTicket: (c) => c.ticket !== null,
  hour: (c) => c.hour,
  device: (c) => c.device,
  session: (c) => c.session,
  reason: (c) => c.reason,
};

/**
 * The cache key of a (person, context) under a compiled policy: the values of the attributes the policies read,
 * nothing else (a few string concatenations; no objects, no JSON). Equal keys, equal Cedar inputs.
 */
export function inputKey(compiled: CompiledPolicy, person: PersonAttributes, ctx: RequestContext): string {
  let k = '';
  for (const a of Object.keys(NEUTRAL_PERSON)) k += compiled.personAttributes === 'all' || compiled.personAttributes.has(a) ? `${String(PERSON_VALUE[a]!(person, ctx))}\u0000` : '\u0001';
  for (const a of Object.keys(NEUTRAL_CONTEXT)) k += compiled.contextAttributes === 'all' || compiled.contextAttributes.has(a) ? `${String(CONTEXT_VALUE[a]!(ctx))}\u0000` : '\u0001';
  return k;
}

/** Projects a person and a context onto what the compiled policies read (so equal projections share a grant). */
export function cedarInputs(compiled: CompiledPolicy, person: PersonAttributes, ctx: RequestContext): CedarInputs {
  const full: Record<string, string | number | boolean> = {};
  for (const [a, f] of Object.entries(PERSON_VALUE)) full[a] = f(person, ctx);
  const fullCtx: Record<string, string | number | boolean> = {};
  for (const [a, f] of Object.entries(CONTEXT_VALUE)) fullCtx[a] = f(ctx);
  const pick = (all: Record<string, string | number | boolean>, neutral: Readonly<Record<string, string | number | boolean>>, used: ReadonlySet<string> | 'all'): Record<string, string | number | boolean> => {
    const out: Record<string, string | number | boolean> = {};
    for (const k of Object.keys(neutral)) out[k] = used === 'all' || used.has(k) ? all[k]! : neutral[k]!;
    return out;
  };
  const p = pick(full, NEUTRAL_PERSON, compiled.personAttributes);
  const c = pick(fullCtx, NEUTRAL_CONTEXT, compiled.contextAttributes);
  return { person: p, context: c, key: inputKey(compiled, person, ctx) };
}

export interface CedarEngine {
  readonly compiled: CompiledPolicy;
  /** One decision on projected inputs. */
  decide(inputs: CedarInputs, action: PolicyAction, resource: string, relation: Relations, basis: Basis): Decision;
  /** Decisions made so far (for the soak). */
  readonly count: () => number;
}

/**
 * An engine for a compiled policy and the fields it may be asked about (`dataset.field` → attributes).
 *
 * @example
 * const engine = createCedarEngine(compilePolicy(text), fieldMap(DEMO_FIELDS));
 * engine.decide(cedarInputs(engine.compiled, person, ctx), 'view', 'customers', { assigned: true }, 'none');
 */
export function createCedarEngine(compiled: CompiledPolicy, fields: ReadonlyMap<string, FieldAttributes>): CedarEngine {
  const c = cedar();
  const setId = `custos-${compiled.hash}`;
  const pre = c.preparsePolicySet(setId, { staticPolicies: compiled.cedar });
  if (pre.type === 'failure') throw new CustosError('CUSTOS_POLICY_INVALID', 400, `The policy set does not load: ${pre.errors[0]?.message ?? 'unknown error'}.`);
  let count = 0;
  const principal = { type: 'Person', id: 'principal' };
  const actionUids = new Map<string, { type: string; id: string }>();
  const resources = new Map<string, { uid: { type: string; id: string }; entities: EntityJson[] }>();

  function resourceOf(action: PolicyAction, resource: string): { uid: { type: string; id: string }; entities: EntityJson[] } {
    const key = `${action}\u0000${resource}`;
    const hit = resources.get(key);
    if (hit !== undefined) return hit;
    let made: { uid: { type: string; id: string }; entities: EntityJson[] };
    if (action === 'purpose') {
      const name = resource.replace(/^purpose:/, '');
      made = { uid: { type: 'Purpose', id: name }, entities: [{ uid: { type: 'Purpose', id: name }, attrs: { name }, parents: [] }] };
    } else if (DATASET_ACTIONS.has(action)) {
      made = { uid: { type: 'Dataset', id: resource }, entities: [{ uid: { type: 'Dataset', id: resource }, attrs: { name: resource }, parents: [] }] };
    } else if (FIELD_ACTIONS.has(action)) {
      const f = fields.get(resource);
      if (f === undefined) throw new CustosError('CUSTOS_POLICY_UNKNOWN_FIELD', 400, `No field ${resource.slice(0, 80)} in the catalog; name fields as dataset.field.`, { field: resource.slice(0, 80) });
      made = {
        uid: { type: 'Field', id: resource },
        entities: [
          { uid: { type: 'Field', id: resource }, attrs: { dataset: f.dataset, name: f.name, piiType: f.piiType ?? '', category: f.category, level: Number(f.level.slice(1)), sensitive: f.sensitive }, parents: [{ type: 'Dataset', id: f.dataset }] },
          { uid: { type: 'Dataset', id: f.dataset }, attrs: { name: f.dataset }, parents: [] },
        ],
      };
    } else {
      throw new CustosError('CUSTOS_POLICY_BAD_REQUEST', 400, `Unknown action ${String(action).slice(0, 32)}.`);
    }
    if (resources.size < 10_000) resources.set(key, made);
    return made;
  }

  return {
    compiled,
    count: () => count,
    decide(inputs, action, resource, relation, basis) {
      if (!(BASES as readonly string[]).includes(basis)) throw new CustosError('CUSTOS_POLICY_BAD_REQUEST', 400, `Unknown basis ${String(basis).slice(0, 32)}; use ${BASES.join(', ')}.`);
      const r = resourceOf(action, resource);
      let uid = actionUids.get(action);
      if (uid === undefined) actionUids.set(action, (uid = { type: 'Action', id: action }));
      const rel: Record<string, boolean> = {};
      for (const name of RELATIONS) rel[name] = relation[name] === true;
      count++;
      const answer = c.statefulIsAuthorized({
        principal,
        action: uid,
        resource: r.uid,
        context: { ...inputs.context, basis, relation: rel },
        preparsedPolicySetId: setId,
        entities: [{ uid: principal, attrs: inputs.person, parents: [] }, ...r.entities],
      });
      if (answer.type === 'failure') return { effect: 'deny', policies: [], reasons: ['the policy engine failed; denied'], errors: ['engine'] };
      const { decision, diagnostics } = answer.response;
      const errors = diagnostics.errors.map((e) => e.policyId);
      const policies = [...diagnostics.reason].sort();
      if (decision === 'allow' && errors.length > 0) return { effect: 'deny', policies: [], reasons: ['a policy failed to evaluate; denied'], errors };
      const reasons = policies.length === 0 ? ['no policy allows it (deny by default)'] : policies.map((id) => compiled.byId.get(id)?.why ?? id);
      return { effect: decision, policies, reasons, errors };
    },
  };
}
