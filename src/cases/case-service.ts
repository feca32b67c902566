import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../core/clock.js';
import { CustosError } from '../core/errors.js';
import type { Identity } from '../identity/index.js';
import type { AccessEvent, Ledger } from '../ledger/index.js';
import type { CaseTable, StoreSchema } from '../store/index.js';
import type { LegalCategory } from '../catalog/index.js';
import type { IncidentGrade, OperatorKind } from './law.js';
import { assessCase, type Assessment, type FieldClassOf } from './assessment.js';
import { birthDateOfIdNumber, isMinorOn } from './incident.js';

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

/** What the investigator entered for severity and the reporting clock; anything absent is counted or defaulted. */
export interface SeverityEntry {
  /** Records affected per legal category (e.g. a leaked file's rows), replacing the counts from the ledger. */
  readonly records?: Partial<Record<LegalCategory, number>>;
  /** People affected, when more than the people concerned are known to be. */
  readonly people?: number;
  readonly illegalGainYuan?: number;
  /** Whether the records were obtained through the person's job (default: yes, staff are insiders). */
  readonly insider?: boolean;
  readonly operator?: OperatorKind;
  readonly grade?: IncidentGrade;
  /** When the incident was discovered (the reporting clock starts there; default: when the case opened). */
  readonly discoveredAt?: string;
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
  readonly severityEntry: SeverityEntry;
  /** When the case first moved to notified (the report was made). */
  readonly reportedAt: string | null;
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

/** Per person, per person concerned, the fields they saw unmasked (revealed, exported or shown in full). */
export type Exposure = ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>>;

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
    severityEntry: r.severity_input === null ? {} : (JSON.parse(r.severity_input) as SeverityEntry),
    reportedAt: r.reported_at,
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
  setSeverityEntry(id: string, entry: SeverityEntry): Promise<Case>;
  addNote(id: string, author: string, kind: string, body: string): Promise<CaseNote>;
  notes(id: string): Promise<CaseNote[]>;
  /** Every access to the people concerned in the case's window, from the ledger, and the people ranked. */
  forensics(c: Case): Promise<Forensics>;
  /** The forensics and who saw which fields of whom unmasked (for severity and the sensitive-information flags). */
  examine(c: Case): Promise<{ forensics: Forensics; exposure: Exposure }>;
  /** The forensics and the assessment: severity, incident grade and reporting clock, sensitive information and minors. */
  assess(c: Case): Promise<{ forensics: Forensics; assessment: Assessment }>;
}

/** What the assessment needs beyond the ledger: the catalog's classes, the people's ID numbers, the operator kind. */
export interface CaseServiceOptions {
  readonly classOf: FieldClassOf;
  /** ID numbers of the given people (for the minors flag); people without one are left out. */
  readonly idNumbers: (subjects: readonly string[]) => Promise<ReadonlyMap<string, string>>;
  readonly operator: OperatorKind;
}

const NO_OPTIONS: CaseServiceOptions = { classOf: () => ({ category: 'other', sensitive: false, type: null }), idNumbers: () => Promise.resolve(new Map()), operator: 'other' };

export function createCaseService(db: Kysely<StoreSchema>, ledger: Pick<Ledger, 'events'>, identity: Pick<Identity, 'relation'>, clock: Clock, ids: IdSource, options: CaseServiceOptions = NO_OPTIONS): CaseService {
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
        severity_input: null,
        reported_at: null,
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
      const now = clock.now().toISOString();
      return update(id, { status: to, ...(to === 'closed' ? { closed_at: now } : {}), ...(to === 'notified' && c.reportedAt === null ? { reported_at: now } : {}) });
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
    async setSeverityEntry(id, entry) {
      open(await must(id));
      return update(id, { severity_input: JSON.stringify(entry) });
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
      return (await examine(c)).forensics;
    },
    examine,
    async assess(c) {
      const { forensics, exposure } = await examine(c);
      const minors = new Set<string>();
      const opened = new Date(c.openedAt);
      for (const [subject, idNumber] of await options.idNumbers(c.subjects)) {
        const birth = birthDateOfIdNumber(idNumber);
        if (birth !== undefined && isMinorOn(birth, opened)) minors.add(subject);
      }
      return { forensics, assessment: assessCase({ case: c, exposure, classOf: options.classOf, minors, operator: options.operator, now: clock.now() }) };
    },
  };

  async function examine(c: Case): Promise<{ forensics: Forensics; exposure: Exposure }> {
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
    const exposure = new Map<string, Map<string, Set<string>>>();
    for (const a of accesses) {
      if (a.outcome === 'denied') continue;
      let s = byActor.get(a.actor);
      if (s === undefined) byActor.set(a.actor, (s = { saw: new Set(), unmasked: new Set(), events: 0 }));
      s.events++;
      for (const subject of a.subjects) {
        if (!concerned.has(subject)) continue;
        s.saw.add(subject);
        if (a.action === 'reveal' || a.action === 'export' || a.outcome === 'allowed') {
          s.unmasked.add(subject);
          let seenBy = exposure.get(a.actor);
          if (seenBy === undefined) exposure.set(a.actor, (seenBy = new Map<string, Set<string>>()));
          let fields = seenBy.get(subject);
          if (fields === undefined) seenBy.set(subject, (fields = new Set<string>()));
          for (const f of a.fields) fields.add(f);
        }
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
    tracedFirst(c, suspects);
    return { forensics: { accesses: accesses.slice(0, 1000), suspects: suspects.slice(0, 50), truncated }, exposure };
  }
}

/** What tracing a leaked file found, as kept on a case opened from it. */
export interface TraceIntake {
  readonly exports: readonly { readonly exportId: string; readonly recipient: string; readonly rows: number; readonly confidence: number }[];
}

/** Confidence above which a leaked file is an export's beyond reasonable doubt (docs/marks.md). */
const TRACE_CONFIDENT = 0.99;

/**
 * A case opened from a traced file puts the recipients of the exports the file was traced to first (the
 * fingerprint names them beyond reasonable doubt), in the order of the trace, with the reason.
 */
function tracedFirst(c: Case, suspects: Suspect[]): void {
  const trace = (c.intake as { trace?: TraceIntake }).trace;
  if (trace === undefined) return;
  const named = trace.exports.filter((x) => x.confidence >= TRACE_CONFIDENT);
  for (const x of [...named].reverse()) {
    const i = suspects.findIndex((s) => s.actor === x.recipient);
    const reason = `the leaked file carries the fingerprint of export ${x.exportId} made for them (${x.rows} rows, confidence ${x.confidence.toFixed(4)})`;
    const s: Suspect = i >= 0 ? { ...suspects[i]!, reasons: [reason, ...suspects[i]!.reasons] } : { actor: x.recipient, score: 0, saw: 0, unmasked: 0, unexplained: 0, reasons: [reason] };
    if (i >= 0) suspects.splice(i, 1);
    suspects.unshift(s);
  }
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
