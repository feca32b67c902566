import { CustosError } from '../core/errors.js';

/** What revealing one field of a record takes, for one person and purpose. */
export type RevealEffect = 'ticket' | 'approval' | 'deny';

export interface FieldRuling {
  readonly field: string;
  readonly effect: RevealEffect;
  /** Which rule decided, and in words the requester understands. */
  readonly rule: string;
  readonly why: string;
}

/** Who is asking, as the rules see them. */
export interface Requester {
  readonly role: string;
  readonly employment: string;
}

/**
 * The decision for a (person, purpose): which purposes the role may state, and what each field takes to be
 * revealed. Computed once per (role, employment, purpose) and kept; each record is then checked against it in
 * plain code (the ticket names the customer, a grant covers the field).
 */
export interface RevealGrant {
  readonly purposeAllowed: boolean;
  readonly purposes: readonly string[];
  readonly fields: ReadonlyMap<string, FieldRuling>;
  readonly breakGlass: boolean;
}

export interface RevealPolicy {
  decide(who: Requester, purpose: string): RevealGrant;
}

/** The purposes each role of the demo company may state for a reveal. */
const PURPOSES: Readonly<Record<string, readonly string[]>> = {
  service_agent: ['customer_request', 'complaint', 'kyc_review'],
  telesales: ['campaign_call'],
  teller: ['counter_service'],
  risk_analyst: ['risk_review', 'fraud_investigation'],
  engineer: ['incident'],
};

const FIELD_NAMES: Readonly<Record<string, string>> = { id_number: 'ID numbers', bank_card: 'bank card numbers', balance: 'balances' };
const nameOf = (f: string): string => FIELD_NAMES[f] ?? f.replace(/_/g, ' ');

/**
 * The demo company's default reveal policy (docs/access.md): service staff reveal with a ticket naming the
 * customer; outsourced staff never see ID numbers or bank cards unmasked; employees need approval for them (risk
 * analysts may reveal them under their ticket); tellers see balances inside a ticket (a customer session),
 * others only with approval; engineers see production data only through an approved grant; security staff
 * see the ledger, not customer data. Forbid rules win; anything not allowed is denied.
 */
export function demoRevealPolicy(options: { breakGlassRoles?: readonly string[] } = {}): RevealPolicy {
  const breakGlassRoles = new Set(options.breakGlassRoles ?? ['risk_analyst']);
  const cache = new Map<string, RevealGrant>();

  function rule(who: Requester, field: string): FieldRuling {
    const f = (effect: RevealEffect, ruleId: string, why: string): FieldRuling => ({ field, effect, rule: ruleId, why });
    if (who.role === 'security_analyst') return f('deny', 'forbid-security-customer-data', 'security staff see the ledger, not customer data');
    if (who.employment === 'outsourced' && (field === 'id_number' || field === 'bank_card')) {
      return f('deny', 'forbid-outsourced-identifiers', `outsourced staff never see ${nameOf(field)} unmasked`);
    }
    if (who.role === 'engineer') return f('approval', 'engineer-grant-only', 'engineers see production data only through an approved grant');
    if (field === 'balance') {
      return who.role === 'teller'
        ? f('ticket', 'teller-balance-in-session', 'tellers see balances inside a customer session or ticket')
        : f('approval', 'balance-needs-approval', `${who.role.replace(/_/g, ' ')} staff need approval to see balances`);
    }
    if (field === 'id_number' || field === 'bank_card') {
      return who.role === 'risk_analyst'
        ? f('ticket', 'risk-identifiers-with-ticket', 'risk analysts reveal identifiers under their investigation ticket')
        : f('approval', 'identifiers-need-approval', `${nameOf(field)} need approval for ${who.role.replace(/_/g, ' ')} staff`);
    }
    if (PURPOSES[who.role] === undefined) return f('deny', 'default-deny', `the role ${who.role} has no reveal purpose`);
    return f('ticket', 'reveal-with-ticket', 'a field is revealed for a stated purpose under an open ticket naming the customer');
  }

  return {
    decide(who, purpose) {
      const key = `${who.role}\u0000${who.employment}\u0000${purpose}`;
      const hit = cache.get(key);
      if (hit !== undefined) return hit;
      const purposes = PURPOSES[who.role] ?? [];
      const fields = new Map<string, FieldRuling>();
      for (const field of ['name', 'mobile', 'id_number', 'bank_card', 'address', 'email', 'balance', 'employer']) fields.set(field, rule(who, field));
      const grant: RevealGrant = { purposeAllowed: purposes.includes(purpose), purposes, fields, breakGlass: breakGlassRoles.has(who.role) };
      if (cache.size < 10_000) cache.set(key, grant);
      return grant;
    },
  };
}

/** The ruling for a field the grant does not list (a column added later): denied until the policy names it. */
export function rulingOf(grant: RevealGrant, field: string): FieldRuling {
  return grant.fields.get(field) ?? { field, effect: 'deny', rule: 'default-deny', why: `no rule allows revealing ${nameOf(field)}` };
}

/** The refusal for a field that is denied or needs an approval the person does not hold. */
export function refusalFor(r: FieldRuling, subject: string): CustosError {
  if (r.effect === 'deny') return new CustosError('CUSTOS_FIELD_FORBIDDEN', 403, `${r.why[0]!.toUpperCase()}${r.why.slice(1)} (rule ${r.rule}).`, { field: r.field, rule: r.rule });
  return new CustosError(
    'CUSTOS_APPROVAL_REQUIRED',
    403,
    `${r.why[0]!.toUpperCase()}${r.why.slice(1)}: request it with POST /api/v1/access-requests {"subjects":["${subject}"],"fields":["${r.field}"],…} (rule ${r.rule}).`,
    { field: r.field, rule: r.rule },
  );
}
