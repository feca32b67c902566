import type { Kysely } from 'kysely';
import { createMasker, type Masker } from '../masking/index.js';
import type { Clock, IdSource } from '../core/clock.js';
import { CustosError, isCustosError } from '../core/errors.js';
import type { Quota } from '../quota/index.js';
import { ticketProblem, type AccessService, type ActiveGrant } from '../access/index.js';
import { refusal, fieldRuling, recordRuling, type Grant, type PersonAttributes, type PolicyDecider, type Ruling } from '../policy/index.js';
import { checkView, guarded, maskOfRelation, policyContext, seesNoCustomers, viewGrant, type MaskReason } from './policy-check.js';
import type { Identity, Principal } from '../identity/index.js';
import type { AccessEvent, EventAction, EventOutcome } from '../ledger/index.js';
import { prepare, type SourceSchema } from '../store/index.js';
import { maskRow, scalarText, type FieldPlan } from './field-plan.js';

/** Where a request came from (goes on the ledger with the event). */
export interface RequestContext {
  readonly ip: string;
  readonly system: string;
}

/** What the gateway needs from the ledger: a durable append (rejects when the event is not durable). */
export interface LedgerAppender {
  append(event: AccessEvent): Promise<{ index: number }>;
}

export interface SubjectView {
  readonly id: string;
  readonly fields: Readonly<Record<string, string | number>>;
  readonly masked: readonly string[];
  /** Per masked field: the code a reveal of it would be refused with (or need) and the deciding policy's @why. */
  readonly maskReasons: Readonly<Record<string, MaskReason>>;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly next: string | null;
}

/** The ledger entry that recorded what a response shows (the page view a watermark and text marks name). */
export interface Recorded {
  readonly ledgerIndex: number;
}

export type SearchKey = 'mobile' | 'name' | 'id_number';

export interface GatewayOptions {
  readonly source: Kysely<SourceSchema>;
  readonly identity: Identity;
  readonly ledger: LedgerAppender;
  readonly plan: FieldPlan;
  readonly clock: Clock;
  readonly ids: IdSource;
  /**
   * The access policy: the engine of the version in force (read on every request, so a new version applies at
   * once) and the person's attributes as policies see them.
   */
  readonly policy: { decider(): PolicyDecider; person(who: Principal): Promise<PersonAttributes> };
  /** Approved requests and break-glass grants (and creating break-glass grants). */
  readonly access: Pick<AccessService, 'activeGrants' | 'breakGlass'>;
  /** Display masks (default: the built-in rules; configured with CUSTOS_MASKS). */
  readonly masker?: Masker;
  /** Per-person quotas; every record shown is counted before it is returned. */
  readonly quota?: Quota;
  /** Records kept outside the data source (canary people), served exactly like its rows. */
  readonly extraRecords?: ExtraRecords;
}

/** Customer records the gateway serves besides the data source's (canaries, kept in Custos's store). */
export interface ExtraRecords {
  /** Rows (by the plan's columns) of those of these ids that are extra records. */
  rows(ids: readonly string[]): Promise<Map<string, Record<string, unknown>>>;
  /** Ids of extra records whose search key equals the value. */
  search(key: SearchKey, value: string): Promise<string[]>;
}

/** A reveal: which fields, for which purpose, under which ticket, or as a break-glass emergency. */
export interface RevealRequest {
  readonly fields: readonly string[];
  readonly purpose: string;
  readonly ticket?: string;
  /** Break-glass: the emergency's reason (mandatory), for the roles the policy allows. */
  readonly breakGlassReason?: string;
}

export interface RevealedView {
  readonly id: string;
  /** The revealed fields, unmasked. */
  readonly fields: Readonly<Record<string, string | number>>;
  readonly purpose: string;
  /** The ticket, approved request or break-glass grant the reveal rests on, per field. */
  readonly basis: Readonly<Record<string, string>>;
  readonly breakGlass: boolean;
}

export interface Gateway {
  view(who: Principal, id: string, ctx: RequestContext): Promise<SubjectView & Recorded>;
  search(who: Principal, key: SearchKey, value: string, page: { limit: number; after?: string }, ctx: RequestContext): Promise<Page<SubjectView> & Recorded>;
  assigned(who: Principal, page: { limit: number; after?: string }, ctx: RequestContext): Promise<Page<SubjectView> & Recorded>;
  /** Reveals fields of one customer: all requested fields or none, each on its own basis; ledgered either way. */
  reveal(who: Principal, id: string, request: RevealRequest, ctx: RequestContext): Promise<RevealedView & Recorded>;
}

export const MAX_PAGE = 100;
const SEARCH_SCAN = 500;

/**
 * The record API's core: decide, read, mask, and record every record shown on the ledger before it is
 * returned. If the ledger append fails, the caller gets CUSTOS_LEDGER_UNAVAILABLE and no data (fail closed).
 *
 * Decisions come from the access policy (src/policy): the Cedar grant for the person and context is decided once
 * and cached; every record is checked against it in plain code by its relation to the person (assigned, on an
 * open ticket, on the ticket stated). A record the grant allows only with an approval is shown to a person who
 * holds an approved request (or break-glass grant) for it.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { source, identity, ledger, plan, clock, ids, policy, access } = options;
  const masker = options.masker ?? createMasker();
  const columns = [plan.key, ...plan.fields.map((f) => f.column).filter((c) => c !== plan.key)];
  const shownFields = plan.fields.map((f) => f.column);

  async function record(
    who: Principal,
    ctx: RequestContext,
    action: EventAction,
    outcome: EventOutcome,
    subjects: readonly string[],
    extra: { fields?: readonly string[]; ticket?: string; reason?: string; count?: number; purpose?: string; detail?: Record<string, unknown> } = {},
  ): Promise<number> {
    const event: AccessEvent = {
      id: ids.next('e'),
      time: clock.now().toISOString(),
      actor: who.staffId,
      action,
      system: ctx.system,
      subjects: [...subjects],
      fields: [...(extra.fields ?? [])],
      session: who.sessionId,
      ip: ctx.ip,
      outcome,
      ...(who.device !== undefined ? { device: who.device } : {}),
      ...(extra.ticket !== undefined ? { ticket: extra.ticket } : {}),
      ...(extra.reason !== undefined ? { reason: extra.reason } : {}),
      ...(extra.count !== undefined ? { count: extra.count } : {}),
      ...(extra.purpose !== undefined ? { purpose: extra.purpose } : {}),
      ...(extra.detail !== undefined ? { detail: extra.detail } : {}),
    };
    try {
      return (await ledger.append(event)).index;
    } catch {
      throw new CustosError(
        'CUSTOS_LEDGER_UNAVAILABLE',
        503,
        'The view could not be recorded on the ledger, so no data is shown. Try again; if it persists, the ledger store needs attention.',
      );
    }
  }

  /** The engine in force and the person's attributes; a failure to read either refuses (fail closed). */
  async function decider(who: Principal): Promise<{ engine: PolicyDecider; person: PersonAttributes }> {
    try {
      return { engine: policy.decider(), person: await policy.person(who) };
    } catch (e) {
      if (isCustosError(e) && e.status < 500) throw e;
      throw new CustosError('CUSTOS_POLICY_UNAVAILABLE', 503, 'The access policy could not decide, so nothing is shown. Try again; if it persists, an administrator should check the policy.');
    }
  }

  /** The refusal when the policy lets the person see no customer record at all (security staff, integrations). */
  async function noCustomerData(engine: PolicyDecider, who: Principal, person: PersonAttributes, grant: Grant): Promise<CustosError> {
    const d = await guarded(() => engine.decide({ person, action: 'view', resource: plan.table, context: policyContext(clock.now(), grant.purpose, null, false) }));
    const why = d.policies.length > 0 ? `${d.reasons.join('; ')} (policy ${d.policies.join(', ')})` : 'the policy gives your role no purpose for customer data (deny by default)';
    return new CustosError('CUSTOS_ROLE_NO_CUSTOMER_DATA', 403, `The role ${who.role} sees no customer data: ${why}.`, { policies: d.policies });
  }

  /** The refusal of a record view: what the policy needs (an assignment, a ticket, an approval), quoting its @why. */
  function viewRefusal(engine: PolicyDecider, grant: Grant, id: string, view: Ruling): CustosError {
    if (view.effect === 'deny' && view.policies.length > 0) {
      const why = view.policies.map((p) => engine.compiled.byId.get(p)?.why ?? p).join('; ');
      return new CustosError('CUSTOS_RECORD_FORBIDDEN', 403, `${why.charAt(0).toUpperCase()}${why.slice(1)} (policy ${view.policies.join(', ')}).`, { policies: view.policies });
    }
    // Which relation would have allowed it, in the policy's words.
    const allowing = [maskOfRelation(true, false), maskOfRelation(false, true)].map((m) => recordRuling(grant, m).view).find((r) => r.effect === 'allow');
    const why = allowing !== undefined ? allowing.policies.map((p) => engine.compiled.byId.get(p)?.why ?? p).join('; ') : 'no policy shows it to you without an approved request';
    return new CustosError(
      'CUSTOS_NOT_ASSIGNED',
      403,
      `Customer ${id} is not assigned to you and is on none of your open tickets: ${why}. Open a ticket for this customer, ask your manager to assign them to you, or request access with POST /api/v1/access-requests.`,
      { policies: allowing?.policies ?? [] },
    );
  }

  /** Whether an approval or break-glass grant the person holds makes a ruling that needs one allow this customer. */
  function heldFor(r: Ruling, grants: readonly ActiveGrant[], subject: string, field?: string): ActiveGrant | undefined {
    if (r.effect !== 'approval' && r.effect !== 'break_glass') return undefined;
    return grants.find((g) => (r.effect === 'approval' ? !g.breakGlass : g.breakGlass) && g.subjects.has(subject) && (field === undefined || g.fields.includes(field)));
  }

  async function rows(ids_: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    if (ids_.length === 0) return new Map();
    const found = await source
      .selectFrom(plan.table as 'customers')
      .select(columns as 'id'[])
      .where(plan.key as 'id', 'in', [...ids_])
      .execute();
    const out = new Map(found.map((r) => [String((r as Record<string, unknown>)[plan.key]), r as Record<string, unknown>]));
    if (options.extraRecords !== undefined && out.size < ids_.length) for (const [id, row] of await options.extraRecords.rows(ids_.filter((i) => !out.has(i)))) out.set(id, row);
    return out;
  }

  const sourceRow = prepare(source, (id: string) =>
    source
      .selectFrom(plan.table as 'customers')
      .select(columns as 'id'[])
      .where(plan.key as 'id', '=', id),
  );
  async function oneRow(id: string): Promise<unknown[]> {
    const found = await sourceRow(id);
    if (found.length > 0 || options.extraRecords === undefined) return found;
    const extra = (await options.extraRecords.rows([id])).get(id);
    return extra === undefined ? [] : [extra];
  }

  function present(engine: PolicyDecider, grant: Grant, mask: number, id: string, row: Record<string, unknown>): SubjectView {
    const { fields, masked } = maskRow(plan, row, masker);
    return { id, fields, masked, maskReasons: checkView(engine, grant, mask, masked).maskReasons };
  }

  /**
   * Counts the records against the person's quotas before they are shown. Past a limit (or when the counters
   * cannot be reached) the attempt is recorded as denied with the reason, and nothing is shown.
   */
  async function admit(who: Principal, ctx: RequestContext, action: EventAction, views: readonly Pick<SubjectView, 'id' | 'fields' | 'masked'>[]): Promise<void> {
    if (options.quota === undefined || views.length === 0) return;
    try {
      await options.quota.admit(who, views.map((v) => ({ subject: v.id, plain: Object.keys(v.fields).filter((f) => !v.masked.includes(f)) })));
    } catch (e) {
      const code = isCustosError(e) ? e.code : 'CUSTOS_QUOTA_UNAVAILABLE';
      await record(who, ctx, action, 'denied', views.map((v) => v.id), { reason: code, count: views.length });
      throw isCustosError(e) ? e : new CustosError('CUSTOS_QUOTA_UNAVAILABLE', 503, 'The quota counters do not answer, so no data is shown. Try again shortly.');
    }
  }

  function outcomeOf(views: readonly SubjectView[]): EventOutcome {
    return views.some((v) => v.masked.length > 0) ? 'masked' : 'allowed';
  }

  /** The grant for views, refusing (recorded) a person the policy shows no customer data. */
  async function viewer(who: Principal, ctx: RequestContext, action: EventAction, subjects: readonly string[]): Promise<{ engine: PolicyDecider; grant: Grant }> {
    try {
      const { engine, person } = await decider(who);
      const grant = await guarded(() => viewGrant(engine, person, clock.now()));
      if (seesNoCustomers(grant)) throw await noCustomerData(engine, who, person, grant);
      return { engine, grant };
    } catch (e) {
      await record(who, ctx, action, 'denied', subjects, { reason: isCustosError(e) ? e.code : 'CUSTOS_POLICY_UNAVAILABLE' });
      throw e;
    }
  }

  /**
   * The records among `candidates` the person may see (in order), each with its relation mask and the grant id it
   * rests on when it takes an approval.
   */
  async function visibleOf(who: Principal, grant: Grant, candidates: readonly string[]): Promise<Map<string, { mask: number; grant?: string }>> {
    const rel = await identity.relationsAmong(who.staffId, candidates);
    let held: readonly ActiveGrant[] | undefined;
    const out = new Map<string, { mask: number; grant?: string }>();
    for (const id of candidates) {
      const mask = maskOfRelation(rel.assigned.has(id), rel.onOpenTicket.has(id));
      const view = recordRuling(grant, mask).view;
      if (view.effect === 'allow') {
        out.set(id, { mask });
        continue;
      }
      if (view.effect === 'deny') continue;
      held ??= await access.activeGrants(who.staffId);
      const g = heldFor(view, held, id);
      if (g !== undefined) out.set(id, { mask, grant: g.id });
    }
    return out;
  }

  async function page(who: Principal, ctx: RequestContext, action: 'search' | 'list', engine: PolicyDecider, grant: Grant, shownIds: readonly string[], masks: ReadonlyMap<string, { mask: number }>): Promise<{ items: SubjectView[]; ledgerIndex: number }> {
    const found = await rows(shownIds);
    const items = shownIds.flatMap((id) => {
      const row = found.get(id);
      return row ? [present(engine, grant, masks.get(id)?.mask ?? 0, id, row)] : [];
    });
    await admit(who, ctx, action, items);
    const ledgerIndex = await record(who, ctx, action, items.length === 0 ? 'allowed' : outcomeOf(items), items.map((v) => v.id), {
      fields: items.length === 0 ? [] : shownFields,
      count: items.length,
    });
    return { items, ledgerIndex };
  }

  return {
    async view(who, id, ctx) {
      const { engine, grant } = await viewer(who, ctx, 'view', [id]);
      const [row] = (await oneRow(id)) as Record<string, unknown>[];
      if (row === undefined) {
        await record(who, ctx, 'view', 'denied', [], { reason: 'CUSTOS_SUBJECT_NOT_FOUND' });
        throw new CustosError('CUSTOS_SUBJECT_NOT_FOUND', 404, `No customer has the id ${id}.`);
      }
      const rel = await identity.relation(who.staffId, id);
      const mask = maskOfRelation(rel.assigned, rel.openTickets.length > 0);
      const ruling = recordRuling(grant, mask).view;
      const held = ruling.effect === 'allow' || ruling.effect === 'deny' ? undefined : heldFor(ruling, await access.activeGrants(who.staffId), id);
      if (ruling.effect !== 'allow' && held === undefined) {
        const e = viewRefusal(engine, grant, id, ruling);
        await record(who, ctx, 'view', 'denied', [id], { reason: e.code });
        throw e;
      }
      const view = present(engine, grant, mask, id, row);
      await admit(who, ctx, 'view', [view]);
      const ticket = held?.id ?? (rel.assigned ? undefined : rel.openTickets[0]);
      const ledgerIndex = await record(who, ctx, 'view', outcomeOf([view]), [id], { fields: shownFields, ...(ticket !== undefined ? { ticket } : {}) });
      return { ...view, ledgerIndex };
    },

    async search(who, key, value, pageReq, ctx) {
      const { engine, grant } = await viewer(who, ctx, 'search', []);
      let q = source.selectFrom(plan.table as 'customers').select(plan.key as 'id').where(key, '=', value);
      if (pageReq.after !== undefined) q = q.where(plan.key as 'id', '>', pageReq.after);
      let matches = (await q.orderBy(plan.key as 'id').limit(SEARCH_SCAN).execute()).map((r) => String(r.id));
      if (options.extraRecords !== undefined) {
        const extra = (await options.extraRecords.search(key, value)).filter((id) => pageReq.after === undefined || id > pageReq.after);
        if (extra.length > 0) matches = [...new Set([...matches, ...extra])].sort().slice(0, SEARCH_SCAN);
      }
      const visible = await visibleOf(who, grant, matches);
      const shownIds: string[] = [];
      let lastScanned: string | undefined;
      for (const id of matches) {
        lastScanned = id;
        if (visible.has(id)) shownIds.push(id);
        if (shownIds.length === pageReq.limit) break;
      }
      const scanned = lastScanned === undefined ? [] : matches.slice(0, matches.indexOf(lastScanned) + 1);
      const hidden = scanned.filter((id) => !visible.has(id));
      const more = scanned.length < matches.length || matches.length === SEARCH_SCAN;
      // Matches the person may not see are withheld (their existence is not revealed) but recorded.
      if (hidden.length > 0) await record(who, ctx, 'search', 'denied', hidden, { reason: 'CUSTOS_NOT_ASSIGNED' });
      const { items, ledgerIndex } = await page(who, ctx, 'search', engine, grant, shownIds, visible);
      return { items, next: more && lastScanned !== undefined ? lastScanned : null, ledgerIndex };
    },

    async reveal(who, id, req, ctx) {
      const deny = async (e: CustosError, fields: readonly string[] = req.fields): Promise<never> => {
        await record(who, ctx, 'reveal', 'denied', [id], { fields, reason: e.code, purpose: req.purpose, ...(req.ticket !== undefined ? { ticket: req.ticket } : {}) });
        throw e;
      };
      let engine: PolicyDecider;
      let person: PersonAttributes;
      let grant: Grant;
      const breakGlass = req.breakGlassReason !== undefined;
      try {
        ({ engine, person } = await decider(who));
        const probe = await guarded(() => viewGrant(engine, person, clock.now()));
        if (seesNoCustomers(probe)) return await deny(await noCustomerData(engine, who, person, probe));
        grant = await guarded(() => engine.grantFor(person, policyContext(clock.now(), req.purpose, req.ticket ?? null, breakGlass)));
      } catch (e) {
        if (isCustosError(e) && e.code === 'CUSTOS_ROLE_NO_CUSTOMER_DATA') throw e;
        return deny(isCustosError(e) ? e : new CustosError('CUSTOS_POLICY_UNAVAILABLE', 503, 'The access policy could not decide, so nothing is shown.'));
      }
      const [row] = (await oneRow(id)) as Record<string, unknown>[];
      if (row === undefined) return deny(new CustosError('CUSTOS_SUBJECT_NOT_FOUND', 404, `No customer has the id ${id}.`), []);
      const unknown = req.fields.filter((f) => !shownFields.includes(f));
      if (unknown.length > 0) return deny(new CustosError('CUSTOS_BAD_REQUEST', 400, `Unknown fields: ${unknown.join(', ')}; the fields are ${shownFields.join(', ')}.`), []);
      if (!grant.purposeAllowed) return deny(refusal(engine.compiled, grant, 0, req.fields[0]!));
      if (req.ticket !== undefined) {
        const problem = await ticketProblem(identity, who.staffId, req.ticket, id);
        if (problem !== undefined) return deny(problem);
      }
      const rel = await identity.relation(who.staffId, id);
      const mask = maskOfRelation(rel.assigned, rel.openTickets.length > 0, req.ticket !== undefined);
      const basis: Record<string, string> = {};
      let breakGlassId: string | undefined;
      if (breakGlass) {
        if (grant.breakGlass.effect === 'deny') {
          const why = grant.breakGlass.policies.length > 0 ? grant.breakGlass.policies.map((p) => engine.compiled.byId.get(p)?.why ?? p).join('; ') : 'no policy allows it to your role';
          return deny(new CustosError('CUSTOS_BREAK_GLASS_FORBIDDEN', 403, `Break-glass reveals are not allowed to you: ${why} (${grant.breakGlass.policies.length > 0 ? `policy ${grant.breakGlass.policies.join(', ')}` : 'deny by default'}).`, { policies: grant.breakGlass.policies }));
        }
        // A rare path: each field is decided directly with Cedar on the break-glass basis (fail closed).
        const context = policyContext(clock.now(), req.purpose, req.ticket ?? null, true);
        const relation = { assigned: rel.assigned, onOpenTicket: rel.openTickets.length > 0 || req.ticket !== undefined, onThisTicket: req.ticket !== undefined };
        for (const [action, resource, field] of [['view', plan.table, undefined] as const, ...req.fields.map((f) => ['reveal', `${plan.table}.${f}`, f] as const)]) {
          const d = await guarded(() => engine.decide({ person, action, resource, context, relation, basis: 'break_glass' }));
          if (d.effect === 'deny') {
            const why = d.policies.length > 0 ? `${d.reasons.join('; ')} (policy ${d.policies.join(', ')})` : 'no policy allows it, not even by break-glass (deny by default)';
            return deny(new CustosError('CUSTOS_FIELD_FORBIDDEN', 403, `${why.charAt(0).toUpperCase()}${why.slice(1)}.`, { ...(field !== undefined ? { field } : {}), policies: d.policies }));
          }
        }
        const bg = await access.breakGlass({ requester: who.staffId, subjects: [id], fields: req.fields, purpose: req.purpose, reason: req.breakGlassReason, ...(req.ticket !== undefined ? { ticket: req.ticket } : {}) });
        breakGlassId = bg.id;
        for (const f of req.fields) basis[f] = bg.id;
      } else {
        let held: readonly ActiveGrant[] | undefined;
        // A field no basis allows is refused first: no ticket or approval would help.
        const forbidden = req.fields.find((f) => fieldRuling(grant, mask, f).effect === 'deny');
        if (forbidden !== undefined) return deny(refusal(engine.compiled, grant, mask, forbidden));
        const view = recordRuling(grant, mask).view;
        if (view.effect !== 'allow') {
          held = await access.activeGrants(who.staffId);
          if (heldFor(view, held, id) === undefined) return deny(viewRefusal(engine, grant, id, view));
        }
        for (const f of req.fields) {
          const r = fieldRuling(grant, mask, f);
          if (r.effect === 'allow') {
            basis[f] = req.ticket ?? `policy:${r.policies.join(',')}`;
            continue;
          }
          if (r.effect !== 'deny') {
            held ??= await access.activeGrants(who.staffId);
            const g = heldFor(r, held, id, f);
            if (g !== undefined) {
              basis[f] = g.id;
              continue;
            }
          }
          return deny(refusal(engine.compiled, grant, mask, f));
        }
      }
      const fields: Record<string, string | number> = {};
      for (const f of req.fields) {
        const v = row[f];
        if (v !== null && v !== undefined) fields[f] = typeof v === 'number' ? v : scalarText(v);
      }
      await admit(who, ctx, 'reveal', [{ id, fields, masked: [] }]);
      const ticket = breakGlassId ?? req.ticket ?? Object.values(basis)[0];
      const ledgerIndex = await record(who, ctx, 'reveal', 'allowed', [id], {
        fields: req.fields,
        purpose: req.purpose,
        ...(ticket !== undefined ? { ticket } : {}),
        ...(breakGlassId !== undefined ? { detail: { kind: 'reveal.break_glass', grant: breakGlassId } } : {}),
      });
      return { id, fields, purpose: req.purpose, basis, breakGlass: breakGlassId !== undefined, ledgerIndex };
    },

    async assigned(who, pageReq, ctx) {
      const { engine, grant } = await viewer(who, ctx, 'list', []);
      const idsPage = await identity.assigned(who.staffId, pageReq.after, pageReq.limit + 1);
      const more = idsPage.length > pageReq.limit;
      const pageIds = idsPage.slice(0, pageReq.limit);
      // Assigned customers the policy does not show (another role's assignments) are left out, not refused.
      const visible = await visibleOf(who, grant, pageIds);
      const { items, ledgerIndex } = await page(who, ctx, 'list', engine, grant, pageIds.filter((i) => visible.has(i)), visible);
      return { items, next: more ? pageIds[pageIds.length - 1]! : null, ledgerIndex };
    },
  };
}
