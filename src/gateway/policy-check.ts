/**
 * The gateway's side of the access policy (src/policy): the Cedar grant for a person and context is decided once
 * and cached by the engine; each record is then checked against it here in plain code (its relation bits index
 * the grant's table), and the reasons per masked field are memoised per (grant, relation mask). No engine call on
 * the per-record path.
 */
import { CustosError } from '../core/errors.js';
import {
  fieldReason, recordRuling, RELATION_BIT,
  type Grant, type PersonAttributes, type PolicyDecider, type RequestContext as PolicyContext, type Ruling,
} from '../policy/index.js';

/** Why a field is masked: the stable code a reveal of it would be refused with (or need) and the deciding policy's @why. */
export interface MaskReason {
  readonly code: string;
  readonly reason: string;
}

/** The company's working time zone (hours east of UTC): the policies' `hour` and the leaving-date arithmetic. */
export const COMPANY_UTC_OFFSET_HOURS = 8;
const HOUR_MS = 3_600_000;

/**
 * The context of a request as policies see it. Custos has no device inventory and no second login factor yet, so the
 * device is `unknown` and the session `password`: policies that ask for a managed device or a two-factor session
 * deny until those exist (fail closed); docs/policy.md says which default rules wait for them.
 */
export function policyContext(now: Date, purpose: string, ticket: string | null, reason: boolean): PolicyContext {
  const local = new Date(now.getTime() + COMPANY_UTC_OFFSET_HOURS * HOUR_MS);
  return { purpose, ticket, hour: local.getUTCHours(), date: local.toISOString().slice(0, 10), device: 'unknown', session: 'password', reason };
}

/** The relation bits of a record from what the server knows (assignment, open tickets, the ticket stated). */
export function maskOfRelation(assigned: boolean, onOpenTicket: boolean, onThisTicket = false): number {
  let m = 0;
  if (assigned) m |= RELATION_BIT.assigned;
  if (onOpenTicket || onThisTicket) m |= RELATION_BIT.onOpenTicket;
  if (onThisTicket) m |= RELATION_BIT.onThisTicket;
  return m;
}

/**
 * Runs a policy step; an unexpected failure (not a CustosError the policy meant) becomes a refusal: fail closed.
 */
export async function guarded<T>(step: () => T | Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof CustosError && e.status < 500) throw e;
    throw new CustosError('CUSTOS_POLICY_UNAVAILABLE', 503, 'The access policy could not decide, so nothing is shown. Try again; if it persists, an administrator should check the policy.');
  }
}

/**
 * The grant a record view is decided with. Views state no purpose, so they are decided under the first purpose the
 * policy allows the person (`undefined` when it allows none: the person sees no customer data).
 */
export function viewGrant(engine: PolicyDecider, person: PersonAttributes, now: Date): Promise<Grant> {
  return engine.defaultGrant(person, policyContext(now, engine.compiled.purposes[0] ?? 'none', null, false));
}

const noCustomers = new WeakMap<Grant, boolean>();

/** True when the grant lets the person see no customer record under any relation, not even with an approval. */
export function seesNoCustomers(grant: Grant): boolean {
  let v = noCustomers.get(grant);
  if (v === undefined) {
    v = !grant.purposeAllowed || grant.table.every((r) => r === undefined || r.view.effect === 'deny');
    noCustomers.set(grant, v);
  }
  return v;
}

const reasonsMemo = new WeakMap<Grant, Map<number, Readonly<Record<string, MaskReason>>>>();

/** The mask reasons of every field of the grant for a relation mask (memoised: computed once per grant and mask). */
export function maskReasonsFor(engine: Pick<PolicyDecider, 'compiled'>, grant: Grant, mask: number): Readonly<Record<string, MaskReason>> {
  let byMask = reasonsMemo.get(grant);
  if (byMask === undefined) reasonsMemo.set(grant, (byMask = new Map<number, Readonly<Record<string, MaskReason>>>()));
  const key = mask & grant.relationBits;
  let reasons = byMask.get(key);
  if (reasons === undefined) {
    const out: Record<string, MaskReason> = {};
    for (const f of grant.fields) {
      const r = fieldReason(engine.compiled, grant, key, f);
      out[f] = Object.freeze({ code: r.code, reason: r.reason });
    }
    reasons = Object.freeze(out);
    byMask.set(key, reasons);
  }
  return reasons;
}

/** What the view of one record gets: may it be seen (masked), on what ruling, and why each masked field is masked. */
export interface RecordView {
  readonly view: Ruling;
  readonly maskReasons: Readonly<Record<string, MaskReason>>;
}

/**
 * The per-record check of a view against a warm grant: a table lookup and a memoised reasons map.
 *
 * @example
 * const grant = await viewGrant(decider, person, clock.now());
 * const { view, maskReasons } = checkView(decider, grant, maskOfRelation(true, false), ['mobile', 'id_number']);
 */
export function checkView(engine: Pick<PolicyDecider, 'compiled'>, grant: Grant, mask: number, masked: readonly string[]): RecordView {
  const all = maskReasonsFor(engine, grant, mask);
  const maskReasons: Record<string, MaskReason> = {};
  for (const f of masked) maskReasons[f] = all[f] ?? { code: 'CUSTOS_FIELD_FORBIDDEN', reason: 'no policy allows it (deny by default)' };
  return { view: recordRuling(grant, mask).view, maskReasons };
}
