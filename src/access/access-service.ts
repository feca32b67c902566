import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../core/clock.js';
import { CustosError } from '../core/errors.js';
import type { AccessRequestTable, StoreSchema } from '../store/index.js';

export const REQUEST_KINDS = ['reveal', 'export'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];
export const REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'break_glass'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** A request to reveal fields of some customers, or to export records; once approved, a time-boxed grant. */
export interface AccessRequest {
  readonly id: string;
  readonly kind: RequestKind;
  readonly requester: string;
  readonly subjects: readonly string[];
  readonly fields: readonly string[];
  readonly purpose: string;
  readonly ticket: string | null;
  /** Why the requester needs it (free text, kept in the store; only its hash goes on the ledger). */
  readonly reason: string;
  readonly format: ExportFormat | null;
  readonly breakGlass: boolean;
  readonly status: RequestStatus;
  readonly approver: string | null;
  readonly decisionReason: string | null;
  readonly createdAt: string;
  readonly decidedAt: string | null;
  /** End of the grant (approved requests and break-glass). */
  readonly expiresAt: string | null;
  readonly usedAt: string | null;
  /** Break-glass reveals are reviewed afterwards by a security analyst. */
  readonly reviewedBy: string | null;
  readonly reviewedAt: string | null;
}

export interface NewRequest {
  readonly kind: RequestKind;
  readonly requester: string;
  readonly subjects: readonly string[];
  readonly fields: readonly string[];
  readonly purpose: string;
  readonly ticket?: string;
  readonly reason: string;
  readonly format?: ExportFormat;
}

/** Who may decide requests: the requester's management chain, and these roles. */
export interface ApprovalRules {
  readonly approverRoles: readonly string[];
  /** Longest grant an approver may give. */
  readonly maxGrantHours: number;
  /** How long a break-glass reveal lasts. */
  readonly breakGlassMinutes: number;
}

export const DEFAULT_APPROVAL: ApprovalRules = { approverRoles: [], maxGrantHours: 168, breakGlassMinutes: 30 };

export interface AccessService {
  create(input: NewRequest): Promise<AccessRequest>;
  get(id: string): Promise<AccessRequest | undefined>;
  /** The requester's own requests, newest first (of one kind when given). */
  mine(requester: string, limit: number, kind?: AccessRequest['kind']): Promise<AccessRequest[]>;
  /** Pending requests this person may decide, oldest first. */
  toDecide(approver: string, limit: number): Promise<AccessRequest[]>;
  /** Why this person may not decide this request, or undefined when they may. */
  whyNotApprover(approver: string, request: AccessRequest): Promise<CustosError | undefined>;
  /** Approves (a grant for `hours`) or rejects, with the approver's reason. Enforces who may decide. */
  decide(id: string, approver: string, decision: 'approve' | 'reject', reason: string, hours: number): Promise<AccessRequest>;
  /** Fields of this customer the person holds an approved, unexpired reveal grant (or break-glass) for, with its id. */
  grantedFields(requester: string, subject: string): Promise<Map<string, string>>;
  /** The person's unexpired reveal grants (approved requests and break-glass), newest first, at most 500. */
  activeGrants(requester: string): Promise<ActiveGrant[]>;
  /** An emergency reveal: granted at once for a short time, flagged for review afterwards. */
  breakGlass(input: Omit<NewRequest, 'kind' | 'format'>): Promise<AccessRequest>;
  /** A security analyst's review of a break-glass reveal. */
  review(id: string, reviewer: string, reason: string): Promise<AccessRequest>;
  /** Break-glass reveals not yet reviewed. */
  unreviewed(limit: number): Promise<AccessRequest[]>;
  markUsed(id: string): Promise<void>;
  /** Ends every grant a person holds now (a case's containment); returns how many. */
  revokeGrants(requester: string): Promise<number>;
  /** Ends an approved export's grant now (a leaked export's access rotated): no further download; true if it was live. */
  revokeExport(id: string): Promise<boolean>;
  /** Approved exports, newest first (the candidates when a leaked file is traced). */
  approvedExports(limit: number): Promise<AccessRequest[]>;
}

/** An unexpired reveal grant: the customers and fields it covers. */
export interface ActiveGrant {
  readonly id: string;
  readonly subjects: ReadonlySet<string>;
  readonly fields: readonly string[];
  readonly breakGlass: boolean;
}

function toRequest(r: AccessRequestTable): AccessRequest {
  return {
    id: r.id,
    kind: r.kind as RequestKind,
    requester: r.requester,
    subjects: JSON.parse(r.subjects) as string[],
    fields: JSON.parse(r.fields) as string[],
    purpose: r.purpose,
    ticket: r.ticket,
    reason: r.reason,
    format: r.format as ExportFormat | null,
    breakGlass: Number(r.break_glass) === 1,
    status: r.status as RequestStatus,
    approver: r.approver,
    decisionReason: r.decision_reason,
    createdAt: r.created_at,
    decidedAt: r.decided_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
  };
}

const MAX_CHAIN = 32;

/**
 * Access requests and the grants they become. Four eyes: nobody decides their own request, nobody decides a
 * request of someone above them in the management chain (a subordinate never approves their manager), and
 * the decider is the requester's manager (at any level above) or holds one of the approver roles.
 */
export function createAccessService(db: Kysely<StoreSchema>, clock: Clock, ids: IdSource, rules: ApprovalRules = DEFAULT_APPROVAL): AccessService {
  async function managerOf(id: string): Promise<string | null> {
    const row = await db.selectFrom('staff').select('manager').where('id', '=', id).executeTakeFirst();
    return row?.manager ?? null;
  }

  /** The people above `id`, nearest first (bounded, cycle-safe). */
  async function chainAbove(id: string): Promise<string[]> {
    const out: string[] = [];
    let cur = await managerOf(id);
    while (cur !== null && out.length < MAX_CHAIN && !out.includes(cur) && cur !== id) {
      out.push(cur);
      cur = await managerOf(cur);
    }
    return out;
  }

  async function read(id: string): Promise<AccessRequest | undefined> {
    const row = await db.selectFrom('access_requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toRequest(row);
  }

  async function insert(input: NewRequest, extra: { status: RequestStatus; breakGlass: boolean; expiresAt: string | null }): Promise<AccessRequest> {
    const now = clock.now().toISOString();
    const row: AccessRequestTable = {
      id: ids.next(input.kind === 'export' ? 'exp' : 'req'),
      kind: input.kind,
      requester: input.requester,
      subjects: JSON.stringify([...new Set(input.subjects)]),
      fields: JSON.stringify([...new Set(input.fields)]),
      purpose: input.purpose,
      ticket: input.ticket ?? null,
      reason: input.reason,
      format: input.format ?? null,
      break_glass: extra.breakGlass ? 1 : 0,
      status: extra.status,
      approver: null,
      decision_reason: null,
      created_at: now,
      decided_at: extra.breakGlass ? now : null,
      expires_at: extra.expiresAt,
      used_at: null,
      reviewed_by: null,
      reviewed_at: null,
    };
    await db.insertInto('access_requests').values(row).execute();
    return toRequest(row);
  }

  const service: AccessService = {
    create: (input) => insert(input, { status: 'pending', breakGlass: false, expiresAt: null }),

    get: read,

    async mine(requester, limit, kind) {
      let q = db.selectFrom('access_requests').selectAll().where('requester', '=', requester);
      if (kind !== undefined) q = q.where('kind', '=', kind);
      const rows = await q.orderBy('created_at', 'desc').limit(limit).execute();
      return rows.map(toRequest);
    },

    async toDecide(approver, limit) {
      const rows = await db.selectFrom('access_requests').selectAll().where('status', '=', 'pending').orderBy('created_at', 'asc').limit(2000).execute();
      const out: AccessRequest[] = [];
      for (const r of rows) {
        const req = toRequest(r);
        if ((await service.whyNotApprover(approver, req)) === undefined) out.push(req);
        if (out.length === limit) break;
      }
      return out;
    },

    async whyNotApprover(approver, request) {
      if (approver === request.requester) return new CustosError('CUSTOS_SELF_APPROVAL', 403, 'Nobody approves their own request; it goes to their manager or the data-protection approvers.');
      const aboveApprover = await chainAbove(approver);
      if (aboveApprover.includes(request.requester)) {
        return new CustosError('CUSTOS_SUBORDINATE_APPROVAL', 403, 'A request is never approved by someone who reports to the requester.');
      }
      const aboveRequester = await chainAbove(request.requester);
      if (aboveRequester.includes(approver)) return undefined;
      const row = await db.selectFrom('staff').select(['role', 'status']).where('id', '=', approver).executeTakeFirst();
      if (row !== undefined && row.status === 'active' && rules.approverRoles.includes(row.role)) return undefined;
      return new CustosError('CUSTOS_NOT_APPROVER', 403, `Only the requester's managers${rules.approverRoles.length > 0 ? ` or the roles ${rules.approverRoles.join(', ')}` : ''} decide this request.`);
    },

    async decide(id, approver, decision, reason, hours) {
      const request = await read(id);
      if (request === undefined) throw new CustosError('CUSTOS_REQUEST_NOT_FOUND', 404, `No access request has the id ${id}.`);
      if (request.status !== 'pending') throw new CustosError('CUSTOS_REQUEST_DECIDED', 409, `The request ${id} is already ${request.status}.`);
      const why = await service.whyNotApprover(approver, request);
      if (why !== undefined) throw why;
      if (!(Number.isInteger(hours) && hours >= 1 && hours <= rules.maxGrantHours)) {
        throw new CustosError('CUSTOS_BAD_REQUEST', 400, `A grant lasts 1 to ${rules.maxGrantHours} hours.`);
      }
      const now = clock.now();
      const res = await db
        .updateTable('access_requests')
        .set({
          status: decision === 'approve' ? 'approved' : 'rejected',
          approver,
          decision_reason: reason,
          decided_at: now.toISOString(),
          expires_at: decision === 'approve' ? new Date(now.getTime() + hours * 3_600_000).toISOString() : null,
        })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw new CustosError('CUSTOS_REQUEST_DECIDED', 409, `The request ${id} was decided by someone else meanwhile.`);
      return (await read(id))!;
    },

    async grantedFields(requester, subject) {
      const out = new Map<string, string>();
      for (const g of await service.activeGrants(requester)) if (g.subjects.has(subject)) for (const f of g.fields) if (!out.has(f)) out.set(f, g.id);
      return out;
    },

    async activeGrants(requester) {
      const now = clock.now().toISOString();
      const rows = await db
        .selectFrom('access_requests')
        .select(['id', 'subjects', 'fields', 'break_glass'])
        .where('requester', '=', requester)
        .where('kind', '=', 'reveal')
        .where('status', 'in', ['approved', 'break_glass'])
        .where('expires_at', '>', now)
        .orderBy('created_at', 'desc')
        .limit(500)
        .execute();
      return rows.map((r) => ({ id: r.id, subjects: new Set(JSON.parse(r.subjects) as string[]), fields: JSON.parse(r.fields) as string[], breakGlass: Number(r.break_glass) === 1 }));
    },

    breakGlass: (input) =>
      insert({ ...input, kind: 'reveal' }, { status: 'break_glass', breakGlass: true, expiresAt: new Date(clock.now().getTime() + rules.breakGlassMinutes * 60_000).toISOString() }),

    async review(id, reviewer, reason) {
      const request = await read(id);
      if (request === undefined || !request.breakGlass) throw new CustosError('CUSTOS_REQUEST_NOT_FOUND', 404, `No break-glass reveal has the id ${id}.`);
      if (request.requester === reviewer) throw new CustosError('CUSTOS_SELF_APPROVAL', 403, 'Nobody reviews their own break-glass reveal.');
      if (request.reviewedBy !== null) throw new CustosError('CUSTOS_REQUEST_DECIDED', 409, `The break-glass reveal ${id} was already reviewed.`);
      await db.updateTable('access_requests').set({ reviewed_by: reviewer, reviewed_at: clock.now().toISOString(), decision_reason: reason }).where('id', '=', id).execute();
      return (await read(id))!;
    },

    async unreviewed(limit) {
      const rows = await db.selectFrom('access_requests').selectAll().where('break_glass', '=', 1).where('reviewed_by', 'is', null).orderBy('created_at', 'asc').limit(limit).execute();
      return rows.map(toRequest);
    },

    async revokeGrants(requester) {
      const now = clock.now().toISOString();
      const res = await db
        .updateTable('access_requests')
        .set({ expires_at: now })
        .where('requester', '=', requester)
        .where('status', 'in', ['approved', 'break_glass'])
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    },

    async revokeExport(id) {
      const now = clock.now().toISOString();
      const res = await db
        .updateTable('access_requests')
        .set({ expires_at: now })
        .where('id', '=', id)
        .where('kind', '=', 'export')
        .where('status', '=', 'approved')
        .where('expires_at', '>', now)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    async approvedExports(limit) {
      const rows = await db.selectFrom('access_requests').selectAll().where('kind', '=', 'export').where('status', '=', 'approved').orderBy('decided_at', 'desc').limit(limit).execute();
      return rows.map(toRequest);
    },

    async markUsed(id) {
      await db.updateTable('access_requests').set({ used_at: clock.now().toISOString() }).where('id', '=', id).where('used_at', 'is', null).execute();
    },
  };
  return service;
}
