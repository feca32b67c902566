/**
 * The per-record check against a warm grant: plain code, no engine call. The relations of a record to the person
 * (assigned, on an open ticket, on the ticket stated, colleague, VIP, canary) make a bit mask; the grant's table
 * holds what that combination allows.
 */
import { CustosError } from '../core/errors.js';
import type { RelationName } from './cedar-schema.js';
import { RELATION_BIT, type Grant, type RecordRuling } from './grant.js';
import type { CompiledPolicy } from './policy-source.js';
import type { Effect, Ruling } from './policy-types.js';

/** What the server knows about the person's relations to customers (ids only), built once per request. */
export interface RelationIndex {
  readonly assigned?: ReadonlySet<string>;
  /** Customers named by any open ticket assigned to the person. */
  readonly openTicketSubjects?: ReadonlySet<string>;
  /** Customers named by the ticket stated with this request (open, assigned to the person), or a counter session. */
  readonly thisTicketSubjects?: ReadonlySet<string>;
  /** Customers who are also members of staff. */
  readonly colleagues?: ReadonlySet<string>;
  readonly vip?: ReadonlySet<string>;
  readonly canaries?: ReadonlySet<string>;
}

/** The relation bit mask of one customer. */
export function relationMask(index: RelationIndex, customer: string): number {
  let m = 0;
  if (index.assigned?.has(customer) === true) m |= RELATION_BIT.assigned;
  if (index.thisTicketSubjects?.has(customer) === true) m |= RELATION_BIT.onThisTicket | RELATION_BIT.onOpenTicket;
  else if (index.openTicketSubjects?.has(customer) === true) m |= RELATION_BIT.onOpenTicket;
  if (index.colleagues?.has(customer) === true) m |= RELATION_BIT.colleague;
  if (index.vip?.has(customer) === true) m |= RELATION_BIT.vip;
  if (index.canaries?.has(customer) === true) m |= RELATION_BIT.canary;
  return m;
}

/** The mask of named relations (`['assigned', 'vip']`). */
export function maskOf(relations: readonly RelationName[] | Readonly<Partial<Record<RelationName, boolean>>>): number {
  let m = 0;
  const names: readonly string[] = Array.isArray(relations) ? (relations as readonly string[]) : Object.entries(relations).filter(([, v]) => v === true).map(([k]) => k);
  for (const r of names) m |= RELATION_BIT[r as RelationName] ?? 0;
  if ((m & RELATION_BIT.onThisTicket) !== 0) m |= RELATION_BIT.onOpenTicket;
  return m;
}

const NONE: RecordRuling = { view: { effect: 'deny', policies: [] }, reveal: {}, revealable: new Set() };

/** What the grant allows for a record with these relations (a table lookup). */
export function recordRuling(grant: Grant, mask: number): RecordRuling {
  return grant.table[mask & grant.relationBits] ?? NONE;
}

/** What revealing one field of a record takes; a field the grant does not know is denied. */
export function fieldRuling(grant: Grant, mask: number, field: string): Ruling {
  return recordRuling(grant, mask).reveal[field] ?? { effect: 'deny', policies: [] };
}

/** The fields of a record grouped by what revealing them takes. */
export interface FieldCheck {
  readonly visible: boolean;
  readonly allow: readonly string[];
  readonly approval: readonly string[];
  readonly breakGlass: readonly string[];
  readonly deny: readonly string[];
}

/**
 * Checks a record's requested fields against a warm grant.
 *
 * @example
 * const grant = engine.grantFor(person, ctx);
 * const check = checkRecord(grant, relationMask(index, 'c1029'), ['mobile', 'id_number']);
 * if (check.deny.length > 0) throw refusal(engine.compiled, grant, mask, check.deny[0]!);
 */
export function checkRecord(grant: Grant, mask: number, fields: readonly string[]): FieldCheck {
  const r = recordRuling(grant, mask);
  const by: Record<Effect, string[]> = { allow: [], approval: [], break_glass: [], deny: [] };
  for (const f of fields) by[r.reveal[f]?.effect ?? 'deny'].push(f);
  return { visible: r.view.effect === 'allow', allow: by.allow, approval: by.approval, breakGlass: by.break_glass, deny: by.deny };
}

const FIELD_WORDS: Readonly<Record<string, string>> = { id_number: 'ID numbers', bank_card: 'bank card numbers', balance: 'balances', mobile: 'mobile numbers' };
const words = (f: string): string => FIELD_WORDS[f] ?? f.replace(/_/g, ' ');
const capital = (t: string): string => `${t.charAt(0).toUpperCase()}${t.slice(1)}`;

function whys(compiled: CompiledPolicy, ids: readonly string[]): string {
  const texts = [...new Set(ids.map((id) => compiled.byId.get(id)?.why ?? id))];
  return texts.length > 0 ? texts.join('; ') : 'no policy allows it (deny by default)';
}

/** What revealing a field takes, as a stable code and the deciding policies' @why (never a personal value). */
export interface FieldReason {
  /**
   * `CUSTOS_REVEAL_ALLOWED` (a reveal would show it as things stand), `CUSTOS_TICKET_REQUIRED`,
   * `CUSTOS_APPROVAL_REQUIRED`, `CUSTOS_BREAK_GLASS_ONLY`, `CUSTOS_FIELD_FORBIDDEN` or `CUSTOS_PURPOSE_NOT_ALLOWED`.
   */
  readonly code: string;
  /** The deciding policies' @why, in English. */
  readonly reason: string;
  readonly policies: readonly string[];
}

/**
 * Why a field of a record is masked for this grant: the code a reveal of it would be refused with (or need) and the
 * deciding policy's @why. A table lookup and a few strings; the gateway memoises it per (grant, relation mask).
 *
 * @example fieldReason(engine.compiled, grant, relationMask(index, 'c1029'), 'id_number').code // 'CUSTOS_APPROVAL_REQUIRED'
 */
export function fieldReason(compiled: CompiledPolicy, grant: Grant, mask: number, field: string): FieldReason {
  if (!grant.purposeAllowed) {
    return { code: 'CUSTOS_PURPOSE_NOT_ALLOWED', reason: `the purpose ${grant.purpose.slice(0, 64)} is not one your role may state`, policies: [] };
  }
  const r = fieldRuling(grant, mask, field);
  if (r.effect === 'allow') return { code: 'CUSTOS_REVEAL_ALLOWED', reason: whys(compiled, r.policies), policies: r.policies };
  if ((mask & RELATION_BIT.onThisTicket) === 0) {
    const withTicket = fieldRuling(grant, mask | RELATION_BIT.onThisTicket | RELATION_BIT.onOpenTicket, field);
    if (withTicket.effect === 'allow') return { code: 'CUSTOS_TICKET_REQUIRED', reason: whys(compiled, withTicket.policies), policies: withTicket.policies };
  }
  // An approval or break-glass is needed: the forbid that blocks the plain reveal says why, else the permit that would allow.
  const why = (r.forbids ?? []).length > 0 ? r.forbids! : r.policies;
  if (r.effect === 'approval') return { code: 'CUSTOS_APPROVAL_REQUIRED', reason: whys(compiled, why), policies: why };
  if (r.effect === 'break_glass') return { code: 'CUSTOS_BREAK_GLASS_ONLY', reason: whys(compiled, why), policies: why };
  return { code: 'CUSTOS_FIELD_FORBIDDEN', reason: whys(compiled, r.policies), policies: r.policies };
}

/**
 * The refusal for revealing `field` of a record: what was missing and what would allow it, with a stable code, the
 * deciding policies' @why and their ids. Only ids and field names, never values.
 */
export function refusal(compiled: CompiledPolicy, grant: Grant, mask: number, field: string): CustosError {
  const f = fieldReason(compiled, grant, mask, field);
  const by = f.policies.length > 0 ? `policy ${f.policies.join(', ')}` : 'deny by default';
  const details = { field, policies: f.policies };
  switch (f.code) {
    case 'CUSTOS_PURPOSE_NOT_ALLOWED':
      return new CustosError(f.code, 403, `The purpose ${grant.purpose.slice(0, 64)} is not one your role may state; use one of: ${grant.purposes.join(', ') || 'none'}.`, { purposes: grant.purposes });
    case 'CUSTOS_REVEAL_ALLOWED':
      return new CustosError('CUSTOS_INTERNAL', 500, 'The field is allowed; there is nothing to refuse.');
    case 'CUSTOS_TICKET_REQUIRED': {
      const alt = fieldRuling(grant, mask, field).effect === 'approval' ? ', or request approval with POST /api/v1/access-requests' : '';
      return new CustosError(f.code, 403, `Attach an open ticket of yours that names this customer to reveal ${words(field)}${alt}: ${f.reason} (${by}).`, details);
    }
    case 'CUSTOS_APPROVAL_REQUIRED':
      return new CustosError(f.code, 403, `${capital(words(field))} need approval: ${f.reason} (${by}). Request it with POST /api/v1/access-requests.`, details);
    case 'CUSTOS_BREAK_GLASS_ONLY':
      return new CustosError(f.code, 403, `${capital(words(field))} are revealed only by break-glass with a reason, in an emergency: ${f.reason} (${by}).`, details);
    default:
      return new CustosError('CUSTOS_FIELD_FORBIDDEN', 403, `${capital(f.reason)} (${by}).`, details);
  }
}
