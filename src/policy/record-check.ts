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

function whys(compiled: CompiledPolicy, ids: readonly string[]): string {
  const texts = ids.map((id) => compiled.byId.get(id)?.why ?? id);
  return texts.length > 0 ? texts.join('; ') : 'no policy allows it';
}

/**
 * The refusal for revealing `field` of a record: what was missing and what would allow it, with a stable code and
 * the deciding policy ids. Only ids and field names, never values.
 */
export function refusal(compiled: CompiledPolicy, grant: Grant, mask: number, field: string): CustosError {
  const details = (r: Ruling): Record<string, unknown> => ({ field, policies: r.policies });
  if (!grant.purposeAllowed) {
    return new CustosError('CUSTOS_PURPOSE_NOT_ALLOWED', 403, `The purpose ${grant.purpose.slice(0, 64)} is not one your role may state; use one of: ${grant.purposes.join(', ') || 'none'}.`, { purposes: grant.purposes });
  }
  const r = fieldRuling(grant, mask, field);
  if (r.effect === 'allow') return new CustosError('CUSTOS_INTERNAL', 500, 'The field is allowed; there is nothing to refuse.');
  if ((mask & RELATION_BIT.onThisTicket) === 0) {
    const withTicket = fieldRuling(grant, mask | RELATION_BIT.onThisTicket | RELATION_BIT.onOpenTicket, field);
    if (withTicket.effect === 'allow') {
      const alt = r.effect === 'approval' ? ', or request approval with POST /api/v1/access-requests' : '';
      return new CustosError('CUSTOS_TICKET_REQUIRED', 403, `Attach an open ticket of yours that names this customer to reveal ${words(field)}${alt} (policy ${withTicket.policies.join(', ')}).`, { field, policies: withTicket.policies });
    }
  }
  if (r.effect === 'approval') return new CustosError('CUSTOS_APPROVAL_REQUIRED', 403, `Revealing ${words(field)} needs an approved access request (policy ${r.policies.join(', ')}): request it with POST /api/v1/access-requests.`, details(r));
  if (r.effect === 'break_glass') return new CustosError('CUSTOS_APPROVAL_REQUIRED', 403, `Revealing ${words(field)} needs an approved access request, or a break-glass reveal with a reason in an emergency (policy ${r.policies.join(', ')}).`, details(r));
  const why = whys(compiled, r.policies);
  return new CustosError('CUSTOS_FIELD_FORBIDDEN', 403, `${why[0]!.toUpperCase()}${why.slice(1)} (${r.policies.length > 0 ? `policy ${r.policies.join(', ')}` : 'deny by default'}).`, details(r));
}
