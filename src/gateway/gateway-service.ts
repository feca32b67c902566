import type { Kysely } from 'kysely';
import { createMasker, type Masker } from '../masking/index.js';
import type { Clock, IdSource } from '../core/clock.js';
import { CustosError, isCustosError } from '../core/errors.js';
import type { Quota } from '../quota/index.js';
import { refusalFor, rulingOf, ticketProblem, type AccessService, type RevealPolicy } from '../access/index.js';
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
  /** Roles that never see customer data (security sees the ledger instead). */
  readonly noCustomerDataRoles?: readonly string[];
  /** Display masks (default: the built-in rules; configured with CUSTOS_MASKS). */
  readonly masker?: Masker;
  /** Per-person quotas; every record shown is counted before it is returned. */
  readonly quota?: Quota;
  /** Reveals: the policy deciding what each field takes, and the grants (approvals, break-glass). */
  readonly reveal?: { readonly policy: RevealPolicy; readonly access: Pick<AccessService, 'grantedFields' | 'breakGlass'> };
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
 * Rule until the policy capability lands: a person sees customers assigned to them and customers on their
 * open tickets; security roles see none.
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { source, identity, ledger, plan, clock, ids } = options;
  const masker = options.masker ?? createMasker();
  const noData = new Set(options.noCustomerDataRoles ?? ['security_analyst']);
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

  function refuseRole(who: Principal): CustosError | undefined {
    if (!noData.has(who.role)) return undefined;
    return new CustosError(
      'CUSTOS_ROLE_NO_CUSTOMER_DATA',
      403,
      `The role ${who.role} sees the ledger, not customer data. Customer records are shown to the staff they are assigned to or who hold an open ticket for them.`,
    );
  }

  async function rows(ids_: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
    if (ids_.length === 0) return new Map();
    const found = await source
      .selectFrom(plan.table as 'customers')
      .select(columns as 'id'[])
      .where(plan.key as 'id', 'in', [...ids_])
      .execute();
    return new Map(found.map((r) => [String((r as Record<string, unknown>)[plan.key]), r as Record<string, unknown>]));
  }

  const oneRow = prepare(source, (id: string) =>
    source
      .selectFrom(plan.table as 'customers')
      .select(columns as 'id'[])
      .where(plan.key as 'id', '=', id),
  );

  function present(id: string, row: Record<string, unknown>): SubjectView {
    const { fields, masked } = maskRow(plan, row, masker);
    return { id, fields, masked };
  }

  /**
   * Counts the records against the person's quotas before they are shown. Past a limit (or when the counters
   * cannot be reached) the attempt is recorded as denied with the reason, and nothing is shown.
   */
  async function admit(who: Principal, ctx: RequestContext, action: EventAction, views: readonly SubjectView[]): Promise<void> {
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

  return {
    async view(who, id, ctx) {
      const roleError = refuseRole(who);
      if (roleError) {
        await record(who, ctx, 'view', 'denied', [id], { reason: roleError.code });
        throw roleError;
      }
      const [row] = (await oneRow(id)) as Record<string, unknown>[];
      if (row === undefined) {
        await record(who, ctx, 'view', 'denied', [], { reason: 'CUSTOS_SUBJECT_NOT_FOUND' });
        throw new CustosError('CUSTOS_SUBJECT_NOT_FOUND', 404, `No customer has the id ${id}.`);
      }
      const rel = await identity.relation(who.staffId, id);
      if (!rel.assigned && rel.openTickets.length === 0) {
        await record(who, ctx, 'view', 'denied', [id], { reason: 'CUSTOS_NOT_ASSIGNED' });
        throw new CustosError(
          'CUSTOS_NOT_ASSIGNED',
          403,
          `Customer ${id} is not assigned to you and is on none of your open tickets. Open a ticket for this customer or ask your manager to assign them to you.`,
        );
      }
      const view = present(id, row);
      await admit(who, ctx, 'view', [view]);
      const ledgerIndex = await record(who, ctx, 'view', outcomeOf([view]), [id], {
        fields: shownFields,
        ...(rel.assigned ? {} : { ticket: rel.openTickets[0]! }),
      });
      return { ...view, ledgerIndex };
    },

    async search(who, key, value, page, ctx) {
      const roleError = refuseRole(who);
      if (roleError) {
        await record(who, ctx, 'search', 'denied', [], { reason: roleError.code });
        throw roleError;
      }
      let q = source.selectFrom(plan.table as 'customers').select(plan.key as 'id').where(key, '=', value);
      if (page.after !== undefined) q = q.where(plan.key as 'id', '>', page.after);
      const matches = (await q.orderBy(plan.key as 'id').limit(SEARCH_SCAN).execute()).map((r) => String(r.id));
      const visible = await identity.visibleAmong(who.staffId, matches);
      const shownIds: string[] = [];
      let lastScanned: string | undefined;
      for (const id of matches) {
        lastScanned = id;
        if (visible.has(id)) shownIds.push(id);
        if (shownIds.length === page.limit) break;
      }
      const scanned = lastScanned === undefined ? [] : matches.slice(0, matches.indexOf(lastScanned) + 1);
      const hidden = scanned.filter((id) => !visible.has(id));
      const more = scanned.length < matches.length || matches.length === SEARCH_SCAN;
      // Matches the person may not see are withheld (their existence is not revealed) but recorded.
      if (hidden.length > 0) await record(who, ctx, 'search', 'denied', hidden, { reason: 'CUSTOS_NOT_ASSIGNED' });
      const found = await rows(shownIds);
      const items = shownIds.flatMap((id) => {
        const row = found.get(id);
        return row ? [present(id, row)] : [];
      });
      await admit(who, ctx, 'search', items);
      const ledgerIndex = await record(who, ctx, 'search', items.length === 0 ? 'allowed' : outcomeOf(items), items.map((v) => v.id), {
        fields: items.length === 0 ? [] : shownFields,
        count: items.length,
      });
      return { items, next: more && lastScanned !== undefined ? lastScanned : null, ledgerIndex };
    },

    async reveal(who, id, req, ctx) {
      const deny = async (e: CustosError, fields: readonly string[] = req.fields): Promise<never> => {
        await record(who, ctx, 'reveal', 'denied', [id], { fields, reason: e.code, purpose: req.purpose, ...(req.ticket !== undefined ? { ticket: req.ticket } : {}) });
        throw e;
      };
      if (options.reveal === undefined) return deny(new CustosError('CUSTOS_REVEAL_UNAVAILABLE', 503, 'Reveals are not configured on this server.'));
      const roleError = refuseRole(who);
      if (roleError) return deny(roleError);
      const [row] = (await oneRow(id)) as Record<string, unknown>[];
      if (row === undefined) return deny(new CustosError('CUSTOS_SUBJECT_NOT_FOUND', 404, `No customer has the id ${id}.`), []);
      const unknown = req.fields.filter((f) => !shownFields.includes(f));
      if (unknown.length > 0) return deny(new CustosError('CUSTOS_BAD_REQUEST', 400, `Unknown fields: ${unknown.join(', ')}; the fields are ${shownFields.join(', ')}.`), []);
      const grant = options.reveal.policy.decide(who, req.purpose);
      if (!grant.purposeAllowed) {
        return deny(new CustosError('CUSTOS_PURPOSE_NOT_ALLOWED', 403, `The purpose ${req.purpose} is not one your role states for a reveal; yours are: ${grant.purposes.join(', ') || 'none'}.`, { purposes: grant.purposes }));
      }
      const basis: Record<string, string> = {};
      let breakGlassId: string | undefined;
      if (req.breakGlassReason !== undefined) {
        if (!grant.breakGlass) return deny(new CustosError('CUSTOS_BREAK_GLASS_FORBIDDEN', 403, `Break-glass reveals are not allowed to the role ${who.role}.`));
        const forbidden = req.fields.map((f) => rulingOf(grant, f)).find((r) => r.effect === 'deny');
        if (forbidden !== undefined) return deny(refusalFor(forbidden, id));
        const bg = await options.reveal.access.breakGlass({ requester: who.staffId, subjects: [id], fields: req.fields, purpose: req.purpose, reason: req.breakGlassReason, ...(req.ticket !== undefined ? { ticket: req.ticket } : {}) });
        breakGlassId = bg.id;
        for (const f of req.fields) basis[f] = bg.id;
      } else {
        const held = await options.reveal.access.grantedFields(who.staffId, id);
        let ticketChecked: CustosError | undefined | null = null;
        for (const f of req.fields) {
          const r = rulingOf(grant, f);
          if (r.effect === 'deny') return deny(refusalFor(r, id));
          const granted = held.get(f);
          if (granted !== undefined) {
            basis[f] = granted;
            continue;
          }
          if (r.effect === 'approval') return deny(refusalFor(r, id));
          if (req.ticket === undefined) {
            return deny(new CustosError('CUSTOS_TICKET_REQUIRED', 403, `Revealing ${f} needs an open ticket of yours naming customer ${id}: attach it as "ticket" (rule ${r.rule}).`, { field: f, rule: r.rule }));
          }
          if (ticketChecked === null) ticketChecked = await ticketProblem(identity, who.staffId, req.ticket, id);
          if (ticketChecked !== undefined) return deny(ticketChecked);
          basis[f] = req.ticket;
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

    async assigned(who, page, ctx) {
      const roleError = refuseRole(who);
      if (roleError) {
        await record(who, ctx, 'list', 'denied', [], { reason: roleError.code });
        throw roleError;
      }
      const idsPage = await identity.assigned(who.staffId, page.after, page.limit + 1);
      const more = idsPage.length > page.limit;
      const pageIds = idsPage.slice(0, page.limit);
      const found = await rows(pageIds);
      const items = pageIds.flatMap((id) => {
        const row = found.get(id);
        return row ? [present(id, row)] : [];
      });
      await admit(who, ctx, 'list', items);
      const ledgerIndex = await record(who, ctx, 'list', items.length === 0 ? 'allowed' : outcomeOf(items), items.map((v) => v.id), {
        fields: items.length === 0 ? [] : shownFields,
        count: items.length,
      });
      return { items, next: more ? pageIds[pageIds.length - 1]! : null, ledgerIndex };
    },
  };
}
