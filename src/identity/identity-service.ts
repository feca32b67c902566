import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../core/clock.js';
import { prepare, type StoreSchema } from '../store/index.js';
import { createLoginLimiter, type LoginLimiter } from './login-limiter.js';
import { DUMMY_HASH, verifyPassword } from './password.js';
import { hashSecret, newSecret } from './secret-token.js';
import type { LoginResult, Principal, Relation, StaffMember } from './identity-types.js';

export interface IdentityOptions {
  readonly db: Kysely<StoreSchema>;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly sessionTtlMs?: number;
  readonly limiter?: LoginLimiter;
}

export interface Identity {
  login(user: string, password: string, ctx: { ip: string; device?: string }): Promise<LoginResult>;
  /** The principal behind a session secret, or undefined if unknown, expired or suspended. */
  resolveSession(secret: string): Promise<Principal | undefined>;
  /** The principal behind an API token secret, or undefined if unknown, revoked or suspended. */
  resolveToken(secret: string): Promise<Principal | undefined>;
  logout(secret: string): Promise<void>;
  createApiToken(staffId: string, label: string): Promise<{ id: string; token: string }>;
  /**
   * The account of an outside system that sends access events (role `integration`, no customer data, no
   * password: it signs in with API tokens only). Created on first use.
   */
  ensureIntegration(id: string): Promise<StaffMember>;
  findStaff(id: string): Promise<StaffMember | undefined>;
  /** How a person relates to one customer. */
  relation(staffId: string, customerId: string): Promise<Relation>;
  /** Of `customerIds`, the ones this person may see (assigned or on an open ticket). */
  visibleAmong(staffId: string, customerIds: readonly string[]): Promise<Set<string>>;
  /** Customer ids assigned to this person, in id order, after `cursor`. */
  assigned(staffId: string, after: string | undefined, limit: number): Promise<string[]>;
  /** Of `customerIds`, those assigned to this person and those on their open tickets (the policy tells them apart). */
  relationsAmong(staffId: string, customerIds: readonly string[]): Promise<{ assigned: Set<string>; onOpenTicket: Set<string> }>;
  /** A ticket with the customers it names, or undefined. */
  ticket(id: string): Promise<Ticket | undefined>;
  /** Creates or replaces a ticket sent by an outside ticket system (its customers are replaced too). */
  upsertTicket(ticket: Ticket): Promise<void>;
}

/** A ticket (built-in, or from an outside ticket system). */
export interface Ticket {
  readonly id: string;
  readonly assignee: string;
  readonly status: 'open' | 'closed';
  readonly openedAt: string;
  readonly closedAt: string | null;
  readonly system: string;
  readonly subjects: readonly string[];
}

const DEFAULT_SESSION_TTL = 8 * 3600_000;

function toPrincipal(s: StaffMember, via: Principal['via'], sessionId: string, csrf?: string, device?: string | null): Principal {
  return {
    staffId: s.id,
    name: s.name,
    department: s.department,
    role: s.role,
    employment: s.employment,
    via,
    sessionId,
    ...(csrf !== undefined ? { csrf } : {}),
    ...(device ? { device } : {}),
  };
}

/**
 * The identity service: logins (scrypt, rate-limited), sessions and API tokens (stored hashed), and the
 * relations between staff and customers (assignments, tickets).
 *
 * @example const identity = createIdentity({ db, clock, ids });
 */
export function createIdentity(options: IdentityOptions): Identity {
  const { db, clock, ids } = options;
  const ttl = options.sessionTtlMs ?? DEFAULT_SESSION_TTL;
  // The queries on every record view, compiled once.
  const sessionByHash = prepare(db, (hash: string) =>
    db
      .selectFrom('sessions')
      .innerJoin('staff', 'staff.id', 'sessions.staff_id')
      .selectAll('staff')
      .select(['sessions.id as session_id', 'sessions.csrf', 'sessions.expires_at', 'sessions.device'])
      .where('sessions.token_hash', '=', hash),
  );
  const tokenByHash = prepare(db, (hash: string) =>
    db
      .selectFrom('api_tokens')
      .innerJoin('staff', 'staff.id', 'api_tokens.staff_id')
      .selectAll('staff')
      .select(['api_tokens.id as token_id', 'api_tokens.revoked_at'])
      .where('api_tokens.token_hash', '=', hash),
  );
  const assignment = prepare(db, (staffId: string, customerId: string) =>
    db.selectFrom('assignments').select('customer_id').where('staff_id', '=', staffId).where('customer_id', '=', customerId),
  );
  const openTicketsFor = prepare(db, (staffId: string, customerId: string) =>
    db
      .selectFrom('ticket_subjects')
      .innerJoin('tickets', 'tickets.id', 'ticket_subjects.ticket_id')
      .select('tickets.id')
      .where('ticket_subjects.customer_id', '=', customerId)
      .where('tickets.assignee', '=', staffId)
      .where('tickets.status', '=', 'open'),
  );
  const limiter = options.limiter ?? createLoginLimiter({ windowMs: 15 * 60_000, perUser: 5, perIp: 30 });

  const findStaff = (id: string): Promise<StaffMember | undefined> =>
    db.selectFrom('staff').selectAll().where('id', '=', id).executeTakeFirst();

  const service: Identity = {
    async login(user, password, ctx) {
      const now = clock.now();
      const row = await db
        .selectFrom('staff')
        .leftJoin('credentials', 'credentials.staff_id', 'staff.id')
        .selectAll('staff')
        .select('credentials.password_hash')
        .where('staff.id', '=', user)
        .executeTakeFirst();
      const wait = limiter.blockedFor(user, ctx.ip, now.getTime());
      if (wait > 0) return { ok: false, reason: 'rate_limited', retryAfterMs: wait, ...(row ? { staffId: row.id } : {}) };
      // Verify even for unknown users so that the response time does not tell who exists.
      const good = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
      if (!row || !row.password_hash || !good) {
        limiter.fail(user, ctx.ip, now.getTime());
        return row ? { ok: false, reason: 'bad_credentials', staffId: row.id } : { ok: false, reason: 'bad_credentials' };
      }
      if (row.status !== 'active') return { ok: false, reason: 'suspended', staffId: row.id };
      limiter.succeed(user);
      const token = newSecret('cus_s');
      const csrf = newSecret('csrf');
      const id = ids.next('s');
      const expiresAt = new Date(now.getTime() + ttl);
      await db
        .insertInto('sessions')
        .values({
          id,
          token_hash: hashSecret(token),
          staff_id: row.id,
          csrf,
          created_at: now.toISOString(),
          expires_at: expiresAt.toISOString(),
          ip: ctx.ip.slice(0, 64),
          device: ctx.device?.slice(0, 128) ?? null,
        })
        .execute();
      return { ok: true, token, csrf, expiresAt, principal: toPrincipal(row, 'session', id, csrf, ctx.device) };
    },

    async resolveSession(secret) {
      const [row] = await sessionByHash(hashSecret(secret));
      if (!row || row.status !== 'active' || row.expires_at <= clock.now().toISOString()) return undefined;
      return toPrincipal(row, 'session', row.session_id, row.csrf, row.device);
    },

    async resolveToken(secret) {
      const [row] = await tokenByHash(hashSecret(secret));
      if (!row || row.revoked_at !== null || row.status !== 'active') return undefined;
      return toPrincipal(row, 'token', row.token_id);
    },

    async logout(secret) {
      await db.deleteFrom('sessions').where('token_hash', '=', hashSecret(secret)).execute();
    },

    async createApiToken(staffId, label) {
      const token = newSecret('cus_t');
      const id = ids.next('tok');
      await db
        .insertInto('api_tokens')
        .values({ id, staff_id: staffId, token_hash: hashSecret(token), label: label.slice(0, 100), created_at: clock.now().toISOString(), revoked_at: null })
        .execute();
      return { id, token };
    },

    findStaff,

    async ensureIntegration(id) {
      const found = await findStaff(id);
      if (found !== undefined) {
        if (found.role !== 'integration') throw new Error(`${id} is a person's account, not an integration`);
        return found;
      }
      const row = { id, name: `integration ${id}`, department: 'systems', role: 'integration', employment: 'employee', manager: null, hired: clock.now().toISOString().slice(0, 10), leaving: null, status: 'active' };
      await db.insertInto('staff').values(row).execute();
      return row;
    },

    async relation(staffId, customerId) {
      const [assigned, tickets] = await Promise.all([assignment(staffId, customerId), openTicketsFor(staffId, customerId)]);
      return { assigned: assigned.length > 0, openTickets: tickets.map((t) => t.id) };
    },

    async visibleAmong(staffId, customerIds) {
      const r = await service.relationsAmong(staffId, customerIds);
      return new Set([...r.assigned, ...r.onOpenTicket]);
    },

    async relationsAmong(staffId, customerIds) {
      if (customerIds.length === 0) return { assigned: new Set<string>(), onOpenTicket: new Set<string>() };
      const ids = [...customerIds];
      const [a, t] = await Promise.all([
        db.selectFrom('assignments').select('customer_id').where('staff_id', '=', staffId).where('customer_id', 'in', ids).execute(),
        db
          .selectFrom('ticket_subjects')
          .innerJoin('tickets', 'tickets.id', 'ticket_subjects.ticket_id')
          .select('ticket_subjects.customer_id')
          .where('ticket_subjects.customer_id', 'in', ids)
          .where('tickets.assignee', '=', staffId)
          .where('tickets.status', '=', 'open')
          .execute(),
      ]);
      return { assigned: new Set(a.map((r) => r.customer_id)), onOpenTicket: new Set(t.map((r) => r.customer_id)) };
    },

    async ticket(id) {
      const t = await db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();
      if (t === undefined) return undefined;
      const subjects = await db.selectFrom('ticket_subjects').select('customer_id').where('ticket_id', '=', id).execute();
      return { id: t.id, assignee: t.assignee, status: t.status === 'open' ? 'open' : 'closed', openedAt: t.opened_at, closedAt: t.closed_at, system: t.system, subjects: subjects.map((s) => s.customer_id) };
    },

    async upsertTicket(t) {
      await db.transaction().execute(async (tx) => {
        const row = { assignee: t.assignee, status: t.status, opened_at: t.openedAt, closed_at: t.closedAt, system: t.system };
        const existing = await tx.selectFrom('tickets').select('id').where('id', '=', t.id).executeTakeFirst();
        if (existing === undefined) await tx.insertInto('tickets').values({ id: t.id, ...row }).execute();
        else await tx.updateTable('tickets').set(row).where('id', '=', t.id).execute();
        await tx.deleteFrom('ticket_subjects').where('ticket_id', '=', t.id).execute();
        const subjects = [...new Set(t.subjects)];
        for (let i = 0; i < subjects.length; i += 500) {
          await tx.insertInto('ticket_subjects').values(subjects.slice(i, i + 500).map((customer_id) => ({ ticket_id: t.id, customer_id }))).execute();
        }
      });
    },

    async assigned(staffId, after, limit) {
      let q = db.selectFrom('assignments').select('customer_id').where('staff_id', '=', staffId);
      if (after !== undefined) q = q.where('customer_id', '>', after);
      const rows = await q.orderBy('customer_id').limit(limit).execute();
      return rows.map((r) => r.customer_id);
    },
  };
  return service;
}
