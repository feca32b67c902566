import type { Kysely } from 'kysely';
import { indexOrg, type Org, type OrgActor, type OrgLookup } from '../../detect/index.js';
import type { StoreSchema } from '../../store/index.js';

/** The live organisation as the detector sees it, re-read from the store when it is older than `maxAgeMs`. */
export interface OrgMirror {
  readonly lookup: OrgLookup;
  /** Re-reads staff, assignments and tickets if the copy is older than `maxAgeMs` (or always with `force`). */
  refresh(force?: boolean): Promise<void>;
  /** Milliseconds since the last refresh. */
  age(): number;
}

const DAY = /^\d{4}-\d{2}-\d{2}/;

function dateOnly(v: string | null): string | null {
  if (v === null) return null;
  const m = DAY.exec(v);
  return m === null ? null : m[0];
}

/**
 * Reads the organisation (staff, assignments, tickets with their customers) into the same in-memory index the
 * offline detector builds from org.json, so live and offline detection answer the same questions the same way.
 * The whole copy is swapped at once; a failed refresh keeps the previous copy (and is retried next time).
 *
 * Memory: one set entry per assignment and one span per ticket subject; for very large organisations this
 * should become an incremental mirror (noted in docs/detection.md).
 */
export function createOrgMirror(db: Kysely<StoreSchema>, options: { maxAgeMs: number; canaries?: () => Promise<readonly string[]> }): OrgMirror {
  let current: OrgLookup = indexOrg({ actors: [], tickets: [], canaries: [] });
  let loadedAt = -Infinity;
  let pending: Promise<void> | undefined;

  async function load(): Promise<void> {
    const [staff, assignments, tickets, subjects, canaries, grants] = await Promise.all([
      db.selectFrom('staff').select(['id', 'department', 'role', 'employment', 'manager', 'hired', 'leaving']).execute(),
      db.selectFrom('assignments').select(['staff_id', 'customer_id']).execute(),
      db.selectFrom('tickets').select(['id', 'assignee', 'opened_at', 'closed_at']).execute(),
      db.selectFrom('ticket_subjects').select(['ticket_id', 'customer_id']).execute(),
      options.canaries?.() ?? Promise.resolve([] as readonly string[]),
      // Approved requests and break-glass reveals explain what they cover, like a ticket, while they last.
      db.selectFrom('access_requests').select(['id', 'requester', 'subjects', 'decided_at', 'expires_at']).where('status', 'in', ['approved', 'break_glass']).execute(),
    ]);
    const assigned = new Map<string, string[]>();
    for (const a of assignments) {
      const list = assigned.get(a.staff_id);
      if (list === undefined) assigned.set(a.staff_id, [a.customer_id]);
      else list.push(a.customer_id);
    }
    const bySubjects = new Map<string, string[]>();
    for (const s of subjects) {
      const list = bySubjects.get(s.ticket_id);
      if (list === undefined) bySubjects.set(s.ticket_id, [s.customer_id]);
      else list.push(s.customer_id);
    }
    const actors: OrgActor[] = staff.map((s) => ({
      id: s.id,
      department: s.department,
      role: s.role,
      employment: s.employment === 'outsourced' ? 'outsourced' : 'employee',
      manager: s.manager,
      hired: dateOnly(s.hired) ?? '1970-01-01',
      leaving: dateOnly(s.leaving),
      assigned: assigned.get(s.id) ?? [],
    }));
    const org: Org = {
      actors,
      tickets: [
        ...tickets.map((t) => ({ id: t.id, assignee: t.assignee, subjects: bySubjects.get(t.id) ?? [], opened: t.opened_at, closed: t.closed_at })),
        ...grants.map((g) => ({ id: g.id, assignee: g.requester, subjects: JSON.parse(g.subjects) as string[], opened: g.decided_at ?? g.expires_at ?? '', closed: g.expires_at })),
      ],
      canaries: [...canaries],
    };
    current = indexOrg(org);
    loadedAt = Date.now();
  }

  const lookup: OrgLookup = {
    actor: (id) => current.actor(id),
    isAssigned: (actor, subject) => current.isAssigned(actor, subject),
    isCanary: (subject) => current.isCanary(subject),
    ticketCovers: (actor, subject, atMs, grace) => current.ticketCovers(actor, subject, atMs, grace),
    holdsTicket: (actor, ticket, atMs, grace) => current.holdsTicket(actor, ticket, atMs, grace),
    leavingMs: (actor) => current.leavingMs(actor),
  };

  return {
    lookup,
    age: () => Date.now() - loadedAt,
    async refresh(force = false) {
      if (!force && Date.now() - loadedAt < options.maxAgeMs) return;
      pending ??= load().finally(() => {
        pending = undefined;
      });
      await pending;
    },
  };
}
