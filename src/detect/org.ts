import { z } from 'zod';

/** A member of staff as org.json describes them (DESIGN.md contract). */
export const orgActorSchema = z.object({
  id: z.string().min(1).max(128),
  department: z.string().min(1).max(64),
  role: z.string().min(1).max(64),
  employment: z.enum(['employee', 'outsourced']),
  manager: z.string().max(128).nullable(),
  hired: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  leaving: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullable(),
  assigned: z.array(z.string().min(1).max(128)),
});

export const orgTicketSchema = z.object({
  id: z.string().min(1).max(128),
  assignee: z.string().min(1).max(128),
  subjects: z.array(z.string().min(1).max(128)),
  opened: z.iso.datetime(),
  closed: z.iso.datetime().nullable(),
});

/** The organisation file (org.json) read by offline detection. */
export const orgSchema = z.object({
  actors: z.array(orgActorSchema),
  tickets: z.array(orgTicketSchema),
  canaries: z.array(z.string().min(1).max(128)),
});

export type OrgActor = Readonly<z.infer<typeof orgActorSchema>>;
export type OrgTicket = Readonly<z.infer<typeof orgTicketSchema>>;
export type Org = Readonly<z.infer<typeof orgSchema>>;

/**
 * What the detector asks of the organisation. Offline it comes from org.json ({@link indexOrg}); the server
 * may implement it over its live directory, assignments and tickets.
 */
export interface OrgLookup {
  actor(id: string): OrgActor | undefined;
  /** Is the subject assigned to the actor? */
  isAssigned(actor: string, subject: string): boolean;
  /** Is the subject a canary (honeytoken) person? */
  isCanary(subject: string): boolean;
  /**
   * Does a ticket of this actor cover this subject at time `atMs`: opened at or before `atMs` and not closed
   * more than `closedGraceMs` before it? Only tickets opened by `atMs` count, so the answer is causal.
   */
  ticketCovers(actor: string, subject: string, atMs: number, closedGraceMs: number): boolean;
  /** Does the actor hold this ticket, opened at or before `atMs` and not closed long before it? */
  holdsTicket(actor: string, ticket: string, atMs: number, closedGraceMs: number): boolean;
  /** Milliseconds since epoch of the actor's leaving date (local midnight is not assumed: UTC date), or NaN. */
  leavingMs(actor: string): number;
}

interface TicketSpan {
  readonly opened: number;
  readonly closed: number;
}

/**
 * Indexes an org.json for the detector: assignments as a set per actor, tickets by actor and subject.
 * @example const org = indexOrg(orgSchema.parse(JSON.parse(text)));
 */
export function indexOrg(org: Org): OrgLookup {
  const actors = new Map<string, OrgActor>();
  const assigned = new Map<string, Set<string>>();
  for (const a of org.actors) {
    actors.set(a.id, a);
    assigned.set(a.id, new Set(a.assigned));
  }
  const spans = new Map<string, TicketSpan[]>();
  for (const t of org.tickets) {
    const span = { opened: Date.parse(t.opened), closed: t.closed === null ? Infinity : Date.parse(t.closed) };
    for (const s of t.subjects) {
      const key = `${t.assignee}\u0000${s}`;
      const list = spans.get(key);
      if (list === undefined) spans.set(key, [span]);
      else list.push(span);
    }
  }
  const byId = new Map<string, { assignee: string; opened: number; closed: number }>();
  for (const t of org.tickets) byId.set(t.id, { assignee: t.assignee, opened: Date.parse(t.opened), closed: t.closed === null ? Infinity : Date.parse(t.closed) });
  const canaries = new Set(org.canaries);
  const leaving = new Map<string, number>();
  for (const a of org.actors) leaving.set(a.id, a.leaving === null ? NaN : Date.parse(`${a.leaving}T00:00:00Z`));
  return {
    actor: (id) => actors.get(id),
    isAssigned: (actor, subject) => assigned.get(actor)?.has(subject) ?? false,
    isCanary: (subject) => canaries.has(subject),
    ticketCovers: (actor, subject, atMs, closedGraceMs) => {
      const list = spans.get(`${actor}\u0000${subject}`);
      if (list === undefined) return false;
      for (const s of list) if (s.opened <= atMs && s.closed + closedGraceMs >= atMs) return true;
      return false;
    },
    holdsTicket: (actor, ticket, atMs, closedGraceMs) => {
      const t = byId.get(ticket);
      return t !== undefined && t.assignee === actor && t.opened <= atMs && t.closed + closedGraceMs >= atMs;
    },
    leavingMs: (actor) => leaving.get(actor) ?? NaN,
  };
}
