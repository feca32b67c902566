/**
 * The grant: everything the policies say about one (person, purpose, ticket, context), decided once with Cedar
 * and kept. For every combination of the relations the policies read (assigned, on an open ticket, …), it holds
 * whether a record may be seen (masked) and what revealing each field takes; the per-record check is then a
 * table lookup in plain code (record-check.ts).
 */
import { BASES, RELATIONS, type Basis, type PolicyAction, type RelationName } from './cedar-schema.js';
import type { CedarEngine, CedarInputs } from './cedar-engine.js';
import type { Decision, FieldAttributes, QuotaLimits, Relations, Ruling } from './policy-types.js';

/** What one relation combination of a record allows. */
export interface RecordRuling {
  /** May the record be listed and viewed (masked). */
  readonly view: Ruling;
  /** What revealing each field (by column name) takes. */
  readonly reveal: Readonly<Record<string, Ruling>>;
  /** Fields revealed as things stand (effect allow), for the fast path. */
  readonly revealable: ReadonlySet<string>;
}

export interface Grant {
  /** The cache key (projected attributes and purpose): equal keys, equal grants. */
  readonly key: string;
  /** The policy version (hash) this grant was decided under. */
  readonly policyHash: string;
  readonly dataset: string;
  readonly purpose: string;
  readonly purposeAllowed: boolean;
  /** Purposes this person may state. */
  readonly purposes: readonly string[];
  readonly purposeRuling: Ruling;
  /** May this person reveal by break-glass (with a reason). */
  readonly breakGlass: Ruling;
  /** May this person read the ledger (security work). */
  readonly ledger: Ruling;
  /** May this person read the access policy, and change or restore it. */
  readonly policy: { readonly read: Ruling; readonly administer: Ruling };
  /** What exporting each field takes. */
  readonly export: Readonly<Record<string, Ruling>>;
  /** Limits from the @quota of the quota policies that apply (the lowest of each), or null: the service defaults. */
  readonly quotas: QuotaLimits | null;
  readonly quotaPolicies: readonly string[];
  /** The relations the table varies by, and their bits (bit i = RELATIONS[i]). */
  readonly relations: readonly RelationName[];
  readonly relationBits: number;
  /** By `relationMask & relationBits`. */
  readonly table: readonly (RecordRuling | undefined)[];
  readonly fields: readonly string[];
  /** Cedar decisions it took to compute. */
  readonly decisions: number;
}

export const RELATION_BIT: Readonly<Record<RelationName, number>> = Object.fromEntries(RELATIONS.map((r, i) => [r, 1 << i])) as Record<RelationName, number>;

export function relationsFromMask(mask: number): Relations {
  const out: Partial<Record<RelationName, boolean>> = {};
  for (const r of RELATIONS) if ((mask & RELATION_BIT[r]) !== 0) out[r] = true;
  return out;
}

const DENIED: Ruling = Object.freeze({ effect: 'deny', policies: [] });

/**
 * Computes a grant. `fields` are the dataset's fields the record API may show.
 */
export function computeGrant(engine: CedarEngine, inputs: CedarInputs, key: string, purpose: string, dataset: string, fields: readonly FieldAttributes[]): Grant {
  const start = engine.count();
  const compiled = engine.compiled;
  const breakGlassInputs: CedarInputs = { ...inputs, context: { ...inputs.context, reason: true } };

  /** The weakest basis at which the engine allows, or deny with every forbid that stood in the way. */
  const rule = (action: PolicyAction, resource: string, relation: Relations, bases: readonly Basis[] = BASES): Ruling => {
    // A deny names the forbids that stand in the way as things are (basis none), else the first that did.
    let forbids: readonly string[] = [];
    for (const basis of bases) {
      const d: Decision = engine.decide(basis === 'break_glass' ? breakGlassInputs : inputs, action, resource, relation, basis);
      if (d.effect === 'allow') return basis === 'none' || forbids.length === 0 ? { effect: basis === 'none' ? 'allow' : basis, policies: d.policies } : { effect: basis, policies: d.policies, forbids };
      if (forbids.length === 0) forbids = d.policies;
    }
    return { effect: 'deny', policies: forbids };
  };

  // Without the right to break the glass, no break-glass basis can allow anything: skip those decisions.
  const breakGlass = rule('break_glass', dataset, {}, ['break_glass']);
  const bases: readonly Basis[] = breakGlass.effect === 'deny' ? ['none', 'approval'] : BASES;

  const purposes = compiled.purposes.filter((p) => rule('purpose', `purpose:${p}`, {}, ['none']).effect === 'allow');
  const purposeRuling = compiled.purposes.includes(purpose) ? rule('purpose', `purpose:${purpose}`, {}, ['none']) : DENIED;
  const purposeAllowed = purposeRuling.effect === 'allow';

  const relations = compiled.relations;
  let relationBits = 0;
  for (const r of relations) relationBits |= RELATION_BIT[r];
  const names = fields.map((f) => f.name);
  const table: (RecordRuling | undefined)[] = new Array<RecordRuling | undefined>(relationBits + 1).fill(undefined);
  const denyAll: RecordRuling = { view: DENIED, reveal: Object.fromEntries(names.map((n) => [n, DENIED])), revealable: new Set() };
  for (let mask = 0; mask <= relationBits; mask++) {
    if ((mask & ~relationBits) !== 0) continue;
    // On this ticket implies on an open ticket: the other combination never occurs.
    if ((mask & RELATION_BIT.onThisTicket) !== 0 && (relationBits & RELATION_BIT.onOpenTicket) !== 0 && (mask & RELATION_BIT.onOpenTicket) === 0) continue;
    if (!purposeAllowed) {
      table[mask] = denyAll;
      continue;
    }
    const relation = relationsFromMask(mask);
    const reveal: Record<string, Ruling> = {};
    const revealable = new Set<string>();
    for (const f of fields) {
      const r = rule('reveal', `${f.dataset}.${f.name}`, relation, bases);
      reveal[f.name] = r;
      if (r.effect === 'allow') revealable.add(f.name);
    }
    table[mask] = { view: rule('view', dataset, relation, bases), reveal, revealable };
  }

  const exp: Record<string, Ruling> = {};
  for (const f of fields) exp[f.name] = purposeAllowed ? rule('export', `${f.dataset}.${f.name}`, {}, bases) : DENIED;

  const quota = engine.decide(inputs, 'quota', dataset, {}, 'none');
  let quotas: QuotaLimits | null = null;
  const quotaPolicies: string[] = [];
  if (quota.effect === 'allow') {
    let perDay = Infinity;
    let perHour = Infinity;
    const perCategory: Record<string, number> = {};
    for (const id of quota.policies) {
      const q = compiled.byId.get(id)?.quota;
      if (q === null || q === undefined) continue;
      quotaPolicies.push(id);
      if (q.customersPerDay !== undefined) perDay = Math.min(perDay, q.customersPerDay);
      if (q.customersPerHour !== undefined) perHour = Math.min(perHour, q.customersPerHour);
      for (const [cat, n] of Object.entries(q.perCategoryPerDay ?? {})) perCategory[cat] = Math.min(perCategory[cat] ?? Infinity, n);
    }
    if (quotaPolicies.length > 0) quotas = { customersPerDay: Number.isFinite(perDay) ? perDay : 1_000_000, customersPerHour: Number.isFinite(perHour) ? perHour : 1_000_000, perCategoryPerDay: perCategory };
  }

  return {
    key,
    policyHash: compiled.hash,
    dataset,
    purpose,
    purposeAllowed,
    purposes,
    purposeRuling,
    breakGlass,
    ledger: rule('read', 'ledger', {}, ['none']),
    policy: { read: rule('read', 'policy', {}, ['none']), administer: rule('administer', 'policy', {}, ['none']) },
    export: exp,
    quotas,
    quotaPolicies,
    relations,
    relationBits,
    table,
    fields: names,
    decisions: engine.count() - start,
  };
}
