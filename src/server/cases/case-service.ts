import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../../core/clock.js';
import { CustosError } from '../../core/errors.js';
import type { Identity } from '../../identity/index.js';
import type { AccessEvent, Ledger } from '../../ledger/index.js';
import type { CaseTable, StoreSchema } from '../../store/index.js';

export const CASE_STATUSES = ['new', 'investigating', 'contained', 'notified', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
export const CASE_SOURCES = ['complaint', 'alerts', 'canary', 'file'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/** What closing a case needs: what happened, who (or "none found" with what was checked), how many records, what was done. */
export interface Findings {
  readonly cause: string;
  /** Staff ids found responsible; empty means none found, and then `checked` says what was examined. */
  readonly responsible: readonly string[];
  readonly checked?: string;
  readonly recordsAffected: number;
  readonly measures: string;
}

export interface Case {
  readonly id: string;
  readonly source: CaseSource;
  readonly status: CaseStatus;
  readonly openedBy: string;
  readonly assignee: string | null;
  readonly subjects: readonly string[];
  readonly window: { readonly from: string; readonly to: string };
  readonly intake: Readonly<Record<string, unknown>>;
  readonly findings: Findings | null;
  /** The reply to the complainant (complaints cannot close without one). */
  readonly reply: string | null;
  readonly openedAt: string;
  readonly updatedAt: string;
  readonly closedAt: string | null;
}

export interface CaseNote {
  readonly id: string;
  readonly author: string;
  readonly time: string;
  readonly kind: string;
  readonly body: string;
}

/** One access to a person concerned, as the forensic timeline shows it (ids only). */
export interface Access {
  readonly index: number;
  readonly time: string;
  readonly actor: string;
  readonly action: string;
  readonly subjects: readonly string[];
  readonly fields: readonly string[];
  readonly outcome: string;
  readonly purpose?: string;
  readonly ticket?: string;
  readonly event: string;
}

/** A person who could have leaked the data, and why. */
export interface Suspect {
  readonly actor: string;
  readonly score: number;
  /** Of the people concerned, how many this person saw; unmasked (revealed or exported); without assignment or ticket. */
  readonly saw: number;
  readonly unmasked: number;
  readonly unexplained: number;
  readonly reasons: readonly string[];
}

export interface Forensics {
  readonly accesses: readonly Access[];
  readonly suspects: readonly Suspect[];
  /** Accesses were cut at this many (the timeline shows the first ones). */
  readonly truncated: boolean;
}

const NEXT: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  new: ['investigating'],
  investigating: ['contained', 'closed'],
  contained: ['notified', 'closed'],
  notified: ['closed'],
  closed: [],
};

const DATA_ACTIONS = new Set(['search', 'list', 'view', 'reveal', 'export', 'query']);
const MAX_ACCESSES = 5000;

function toCase(r: CaseTable): Case {
  return {
    id: r.id,
    source: r.source as CaseSource,
    status: r.status as CaseStatus,
    openedBy: r.opened_by,
    assignee: r.assignee,
    subjects: JSON.parse(r.subjects) as string[],
    window: { from: r.window_from, to: r.window_to },
    intake: JSON.parse(r.intake) as Record<string, unknown>,
    findings: r.findings === null ? null : (JSON.parse(r.findings) as Findings),
    reply: r.reply,
    openedAt: r.opened_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
  };
}

/** Why a case may not move to `to`, or undefined. A case closes only with findings, a complaint only with a reply. */
export function transitionProblem(c: Case, to: CaseStatus): CustosError | undefined {
  if (!NEXT[c.status].includes(to)) {
    return new CustosError('CUSTOS_CASE_BAD_TRANSITION', 409, `A case that is ${c.status} moves to ${NEXT[c.status].join(' or ') || 'nothing (it is closed)'}, not to ${to}.`);
  }
  if (to === 'closed') {
    const f = c.findings;
    if (f === null) return new CustosError('CUSTOS_CASE_NO_FINDINGS', 409, 'A case closes only with findings: cause, people responsible (or none found, with what was checked), records affected, measures taken.');
    if (f.responsible.length === 0 && (f.checked === undefined || f.checked.trim().length < 10)) {
      return new CustosError('CUSTOS_CASE_NO_FINDINGS', 409, 'With nobody found responsible, the findings must say what was checked.');
    }
    if (c.source === 'complaint' && (c.reply === null || c.reply.trim().length === 0)) {
      return new CustosError('CUSTOS_CASE_NO_REPLY', 409, 'A complaint closes only with a reply to the complainant.');
    }
  }
  return undefined;
}

export interface CaseService {
  open(input: { source: CaseSource; openedBy: string; subjects: readonly string[]; window: { from: string; to: string }; intake: Record<string, unknown> }): Promise<Case>;
  get(id: string): Promise<Case | undefined>;
  list(limit: number, status?: CaseStatus): Promise<Case[]>;
  move(id: string, to: CaseStatus): Promise<Case>;
  assign(id: string, assignee: string): Promise<Case>;
  setFindings(id: string, findings: Findings): Promise<Case>;
  setReply(id: string, reply: string): Promise<Case>;
  addNote(id: string, author: string, kind: string, body: string): Promise<CaseNote>;
  notes(id: string): Promise<CaseNote[]>;
  /** Every access to the people concerned in the case's window, from the ledger, and the people ranked. */
  forensics(c: Case): Promise<Forensics>;
}

export function createCaseService(db: Kysely<StoreSchema>, ledger: Pick<Ledger, 'events'>, identity: Pick<Identity, 'relation'>, clock: Clock, ids: IdSource): CaseService {
  async function read(id: string): Promise<Case | undefined> {
    const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toCase(row);
  }
  async function must(id: string): Promise<Case> {
    const c = await read(id);
    if (c === undefined) throw new CustosError('CUSTOS_CASE_NOT_FOUND', 404, `No case has the id ${id}.`);
    return c;
  }
  async function update(id: string, set: Partial<CaseTable>): Promise<Case> {
    await db.updateTable('cases').set({ ...set, updated_at: clock.now().toISOString() }).where('id', '=', id).execute();
    return must(id);
  }
  function open(c: Case): void {
    if (c.status === 'closed') throw new CustosError('CUSTOS_CASE_CLOSED', 409, `Case ${c.id} is closed.`);
  }

  return {
    async open(input) {
      const now = clock.now().toISOString();
      const row: CaseTable = {
        id: ids.next('case'),
        source: input.source,
        status: 'new',
        opened_by: input.openedBy,
        assignee: null,
        subjects: JSON.stringify([...new Set(input.subjects)]),
        window_from: input.window.from,
        window_to: input.window.to,
        intake: JSON.stringify(input.intake),
        findings: null,
        reply: null,
        opened_at: now,
        updated_at: now,
        closed_at: null,
      };
      await db.insertInto('cases').values(row).execute();
      return toCase(row);
    },
    get: read,
    async list(limit, status) {
      let q = db.selectFrom('cases').selectAll();
      if (status !== undefined) q = q.where('status', '=', status);
      return (await q.orderBy('opened_at', 'desc').limit(limit).execute()).map(toCase);
    },
    async move(id, to) {
      const c = await must(id);
      const problem = transitionProblem(c, to);
      if (problem !== undefined) throw problem;
      return update(id, { status: to, ...(to === 'closed' ? { closed_at: clock.now().toISOString() } : {}) });
    },
    async assign(id, assignee) {
      open(await must(id));
      return update(id, { assignee });
    },
    async setFindings(id, findings) {
      open(await must(id));
      return update(id, { findings: JSON.stringify(findings) });
    },
    async setReply(id, reply) {
      open(await must(id));
      return update(id, { reply });
    },
    async addNote(id, author, kind, body) {
      await must(id);
      const note = { id: ids.next('note'), case_id: id, author, time: clock.now().toISOString(), kind, body };
      await db.insertInto('case_notes').values(note).execute();
      return { id: note.id, author, time: note.time, kind, body };
    },
    async notes(id) {
      const rows = await db.selectFrom('case_notes').selectAll().where('case_id', '=', id).orderBy('time', 'asc').execute();
      return rows.map((r) => ({ id: r.id, author: r.author, time: r.time, kind: r.kind, body: r.body }));
    },

    async forensics(c) {
      const seen = new Map<number, Access>();
      let truncated = false;
      for (const subject of c.subjects) {
        const entries = await ledger.events({ subject, from: c.window.from, to: c.window.to, limit: MAX_ACCESSES });
        if (entries.length === MAX_ACCESSES) truncated = true;
        for (const { index, event: e } of entries) {
          if (!DATA_ACTIONS.has(e.action) || (e.detail as { kind?: string } | undefined)?.kind?.startsWith('case.')) continue;
          seen.set(index, accessOf(index, e));
        }
      }
      const accesses = [...seen.values()].sort((a, b) => a.index - b.index);
      // Who saw whom (successful views only), and how rare each co-viewing is.
      const concerned = new Set(c.subjects);
      const viewers = new Map<string, Set<string>>();
      const byActor = new Map<string, { saw: Set<string>; unmasked: Set<string>; events: number }>();
      for (const a of accesses) {
        if (a.outcome === 'denied') continue;
        let s = byActor.get(a.actor);
        if (s === undefined) byActor.set(a.actor, (s = { saw: new Set(), unmasked: new Set(), events: 0 }));
        s.events++;
        for (const subject of a.subjects) {
          if (!concerned.has(subject)) continue;
          s.saw.add(subject);
          if (a.action === 'reveal' || a.action === 'export' || a.outcome === 'allowed') s.unmasked.add(subject);
          let v = viewers.get(subject);
          if (v === undefined) viewers.set(subject, (v = new Set()));
          v.add(a.actor);
        }
      }
      const people = Math.max(1, byActor.size);
      const suspects: Suspect[] = [];
      for (const [actor, s] of byActor) {
        let score = 0;
        let unexplained = 0;
        for (const subject of s.saw) {
          const rarity = Math.log(1 + people / (viewers.get(subject)?.size ?? 1));
          const rel = await identity.relation(actor, subject);
          const explained = rel.assigned || rel.openTickets.length > 0;
          if (!explained) unexplained++;
          score += rarity * (s.unmasked.has(subject) ? 2 : 1) * (explained ? 1 : 2);
        }
        const reasons = [
          `saw ${s.saw.size} of the ${concerned.size} people concerned`,
          ...(s.unmasked.size > 0 ? [`saw ${s.unmasked.size} of them unmasked (revealed or exported)`] : []),
          ...(unexplained > 0 ? [`${unexplained} of them neither assigned to them nor on an open ticket of theirs now`] : []),
        ];
        suspects.push({ actor, score: Math.round(score * 100) / 100, saw: s.saw.size, unmasked: s.unmasked.size, unexplained, reasons });
      }
      suspects.sort((a, b) => b.score - a.score || b.saw - a.saw);
      return { accesses: accesses.slice(0, 1000), suspects: suspects.slice(0, 50), truncated };
    },
  };
}

function accessOf(index: number, e: AccessEvent): Access {
  return {
    index,
    time: e.time,
    actor: e.actor,
    action: e.action,
    subjects: e.subjects,
    fields: e.fields,
    outcome: e.outcome,
    event: e.id,
    ...(e.purpose !== undefined ? { purpose: e.purpose } : {}),
    ...(e.ticket !== undefined ? { ticket: e.ticket } : {}),
  };
}
