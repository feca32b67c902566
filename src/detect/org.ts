import { z } from 'zod';
import { PairTable } from './pair-table.js';

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
  /**
   * Optional, one lookup for the two questions a lookup of a customer asks: 2 when the subject is assigned to
   * the actor, else 1 when `ticketCovers` would say yes, else 0, or -1 when it is certain that `ticketCovers`
   * will say no for this actor and subject at every time (a fixed org in which no ticket of the actor's is
   * about the subject), so the detector need not ask again when the lookup's ticket grace has passed. The
   * detector asks `isAssigned` and `ticketCovers` when it is absent.
   */
  explain?(actor: string, subject: string, atMs: number, closedGraceMs: number): number;
}

/**
 * What an actor has to do with one subject, as one small integer (no object per entry, nothing to follow
 * for an assigned subject): bit 0 is "assigned", the rest (`>> 1`) the start in {@link Spans} of the tickets'
 * spans about it (0: none); -1 when the actor has nothing to do with the subject.
 */
type Known = number;

/**
 * The ticket spans of every (actor, subject), in one array: at a start `k`, the number of spans `n`, then `n`
 * pairs opened, closed (ms; closed Infinity while open). Index 0 is unused, so a start of 0 means none.
 */
class Spans {
  data = new Float64Array(1 << 16);
  used = 1;
  /** Stores the spans (pairs) and returns their start. */
  add(list: readonly number[]): number {
    const need = this.used + 1 + list.length;
    if (need > this.data.length) {
      const bigger = new Float64Array(Math.max(need, 2 * this.data.length));
      bigger.set(this.data.subarray(0, this.used));
      this.data = bigger;
    }
    const k = this.used;
    this.data[k] = list.length / 2;
    this.data.set(list, k + 1);
    this.used = need;
    return k;
  }
}

function covers(spans: Float64Array, known: Known, atMs: number, closedGraceMs: number): boolean {
  if (known < 2) return false;
  const k = known >>> 1;
  const end = k + 1 + 2 * spans[k]!;
  for (let i = k + 1; i < end; i += 2) if (spans[i]! <= atMs && spans[i + 1]! + closedGraceMs >= atMs) return true;
  return false;
}

/** A hash of an id's last two characters, 0–1023. */
function tail(id: string): number {
  const n = id.length;
  return n === 0 ? 0 : ((id.charCodeAt(n - 1) * 31 + (n > 1 ? id.charCodeAt(n - 2) : 0)) & 1023);
}

/**
 * Indexes an org.json for the detector: for each (actor, subject) whether the subject is assigned to the actor
 * and the spans of the actor's tickets about it, and each (actor, ticket id), in flat tables (pair-table.ts: no
 * key string is built per lookup, one cache line per probe, which keeps replay fast).
 * @example const org = indexOrg(orgSchema.parse(JSON.parse(text)));
 */
export function indexOrg(org: Org): OrgLookup {
  const actors = new Map<string, OrgActor>();
  const leaving = new Map<string, number>();
  // Built as lists first (a subject's spans come from many tickets), then packed into `spans`.
  const lists = new Map<string, Map<string, number[] | true>>();
  const listsOf = (actor: string): Map<string, number[] | true> => {
    let mine = lists.get(actor);
    if (mine === undefined) lists.set(actor, (mine = new Map<string, number[] | true>()));
    return mine;
  };
  for (const a of org.actors) {
    actors.set(a.id, a);
    const mine = listsOf(a.id);
    for (const s of a.assigned) mine.set(s, true);
    leaving.set(a.id, a.leaving === null ? NaN : Date.parse(`${a.leaving}T00:00:00Z`));
  }
  // Actors (and ticket assignees) by number, for the flat tables of (actor, subject) and (actor, ticket).
  const owners = new Map<string, number>();
  const ownerOf = (actor: string): number => {
    let k = owners.get(actor);
    if (k === undefined) owners.set(actor, (k = owners.size));
    return k;
  };
  // Each ticket by (assignee, id) is a number: its index in `ticketTimes` (opened, closed) and `ticketSubjects`.
  const tickets = new PairTable();
  const ticketTimes = new Float64Array(2 * org.tickets.length);
  const ticketSubjects: (readonly string[])[] = [];
  for (const t of org.tickets) {
    const opened = Date.parse(t.opened);
    const closed = t.closed === null ? Infinity : Date.parse(t.closed);
    const k = ticketSubjects.length;
    ticketTimes[2 * k] = opened;
    ticketTimes[2 * k + 1] = closed;
    ticketSubjects.push(t.subjects);
    tickets.add(ownerOf(t.assignee), t.id, k);
    const mine = listsOf(t.assignee);
    for (const s of t.subjects) {
      const list = mine.get(s);
      if (list === undefined || list === true) mine.set(s, [list === true ? 1 : 0, opened, closed]);
      else list.push(opened, closed);
    }
  }
  const packed = new Spans();
  const known = new PairTable();
  for (const [actor, mine] of lists) {
    const owner = ownerOf(actor);
    for (const [s, list] of mine) known.add(owner, s, list === true ? 1 : 2 * packed.add(list.slice(1)) + list[0]!);
  }
  lists.clear();
  known.seal();
  tickets.seal();
  const spans = packed.data;
  const canaries = new Set(org.canaries);
  // A cheap first test for canaries: a bit per hash of an id's last two characters (most ids miss).
  const canaryBits = new Uint8Array(1024);
  for (const c of canaries) canaryBits[tail(c)] = 1;
  // The detector asks about one event's subjects in a row: remember the last actor's number, and the ticket it
  // last asked about (the event's own ticket), which usually answers for the event's subjects.
  let ownerName = '\u0000';
  let owner = -1;
  const entry = (actor: string, subject: string): Known => {
    if (actor !== ownerName) {
      ownerName = actor;
      owner = owners.get(actor) ?? -1;
    }
    return owner < 0 ? -1 : known.get(owner, subject);
  };
  let heldOf = '\u0000';
  let lastTicket = -1;
  return {
    actor: (id) => actors.get(id),
    isAssigned: (actor, subject) => {
      const k = entry(actor, subject);
      return k > 0 && (k & 1) === 1;
    },
    isCanary: (subject) => canaryBits[tail(subject)] === 1 && canaries.has(subject),
    ticketCovers: (actor, subject, atMs, closedGraceMs) => {
      const k = lastTicket;
      if (k >= 0 && actor === heldOf && ticketTimes[2 * k]! <= atMs && ticketTimes[2 * k + 1]! + closedGraceMs >= atMs && ticketSubjects[k]!.includes(subject)) return true;
      return covers(spans, entry(actor, subject), atMs, closedGraceMs);
    },
    explain: (actor, subject, atMs, closedGraceMs) => {
      const k = entry(actor, subject);
      // The index never changes: a subject on none of the actor's tickets is never covered.
      return k < 0 ? -1 : (k & 1) === 1 ? 2 : covers(spans, k, atMs, closedGraceMs) ? 1 : k < 2 ? -1 : 0;
    },
    holdsTicket: (actor, ticket, atMs, closedGraceMs) => {
      heldOf = actor;
      if (actor !== ownerName) {
        ownerName = actor;
        owner = owners.get(actor) ?? -1;
      }
      const k = owner < 0 ? -1 : tickets.get(owner, ticket);
      lastTicket = k;
      return k >= 0 && ticketTimes[2 * k]! <= atMs && ticketTimes[2 * k + 1]! + closedGraceMs >= atMs;
    },
    leavingMs: (actor) => leaving.get(actor) ?? NaN,
  };
}
