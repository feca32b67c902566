import type { AccessEvent } from '../ledger/index.js';
import type { AccessSource, Breadth, SubjectViewer, TimeWindow } from './attribution.js';

/** Actions that show customer data (a login or an admin action does not). */
const DATA_ACTIONS: ReadonlySet<string> = new Set(['search', 'list', 'view', 'reveal', 'export', 'query']);

/** Lookups by investigators (tracing a file, a case, the ledger, a canary hit): they name customers but show none of their data. */
const INVESTIGATION = /^(trace|case|ledger|canary|alert)\./;

/** Whether an event showed customer data: a data action, not denied, and not an investigator's lookup. */
export function showsData(e: Pick<AccessEvent, 'action' | 'outcome' | 'detail'>): boolean {
  if (!DATA_ACTIONS.has(e.action) || e.outcome === 'denied') return false;
  const kind = (e.detail as { kind?: unknown } | undefined)?.kind;
  return typeof kind !== 'string' || !INVESTIGATION.test(kind);
}

const ACTION_BIT: Readonly<Record<string, number>> = { search: 1, list: 2, view: 4, reveal: 8, export: 16, query: 32 };

function actionsOf(bits: number): string[] {
  return Object.entries(ACTION_BIT).filter(([, b]) => (bits & b) !== 0).map(([a]) => a);
}

/** An in-memory index of who was shown which customer, built from events (a file, a simulated world). */
export interface AccessIndex {
  add(event: AccessEvent): void;
  /** The customers a person was shown by name (all time). */
  subjectsOf(actor: string): string[];
  /** Events added, and distinct (customer, person) pairs kept. */
  stats(): { events: number; pairs: number; subjects: number; actors: number };
  /** The index as an attribution source (`customers` defaults to the distinct customers seen). */
  source(options?: { customers?: number }): AccessSource;
}

function grow(a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/**
 * Builds the index event by event. Memory is one slot per distinct (customer, person) pair with its first and
 * last minute, count and first event id, not one per event: 10 million events of a 300-person world keep a few
 * million pairs.
 *
 * @example const ix = createAccessIndex(); for await (const e of readEvents(file)) ix.add(e); await rankSuspects(q, ix.source());
 */
export function createAccessIndex(): AccessIndex {
  const actorIds = new Map<string, number>();
  const actorNames: string[] = [];
  const subjectSlots = new Map<string, number[]>();
  const actorSlots: number[][] = [];
  const unnamed: number[][] = []; // per actor: [minute, rows, minute, rows, ...]
  let slotActor = new Int32Array(1 << 16);
  let slotFirst = new Int32Array(1 << 16);
  let slotLast = new Int32Array(1 << 16);
  let slotCount = new Int32Array(1 << 16);
  let slotActions = new Int32Array(1 << 16);
  const slotEvent: string[] = [];
  const slotSubject: string[] = [];
  let slots = 0;
  let events = 0;

  function actorOf(id: string): number {
    let a = actorIds.get(id);
    if (a === undefined) {
      a = actorNames.length;
      actorIds.set(id, a);
      actorNames.push(id);
      actorSlots.push([]);
      unnamed.push([]);
    }
    return a;
  }

  const minuteOf = (iso: string): number => Math.floor(Date.parse(iso) / 60_000);
  const isoOf = (minute: number): string => new Date(minute * 60_000).toISOString();
  const bounds = (w: TimeWindow): [number, number] => [w.from !== undefined ? minuteOf(w.from) : -Infinity, w.to !== undefined ? minuteOf(w.to) : Infinity];

  return {
    add(e) {
      if (!showsData(e)) return;
      events++;
      const a = actorOf(e.actor);
      const m = minuteOf(e.time);
      if (!Number.isFinite(m)) return;
      const bit = ACTION_BIT[e.action] ?? 0;
      const extra = (e.count ?? e.subjects.length) - e.subjects.length;
      if (extra > 0) unnamed[a]!.push(m, extra);
      for (const s of e.subjects) {
        let list = subjectSlots.get(s);
        if (list === undefined) subjectSlots.set(s, (list = []));
        let slot = -1;
        for (let i = list.length - 1; i >= 0; i--) {
          if (slotActor[list[i]!] === a) {
            slot = list[i]!;
            break;
          }
        }
        if (slot < 0) {
          slot = slots++;
          if (slot >= slotActor.length) {
            slotActor = grow(slotActor, slot + 1);
            slotFirst = grow(slotFirst, slot + 1);
            slotLast = grow(slotLast, slot + 1);
            slotCount = grow(slotCount, slot + 1);
            slotActions = grow(slotActions, slot + 1);
          }
          slotActor[slot] = a;
          slotFirst[slot] = m;
          slotLast[slot] = m;
          slotCount[slot] = 0;
          slotActions[slot] = 0;
          slotEvent[slot] = e.id;
          slotSubject[slot] = s;
          list.push(slot);
          actorSlots[a]!.push(slot);
        }
        if (m < slotFirst[slot]!) {
          slotFirst[slot] = m;
          slotEvent[slot] = e.id;
        }
        if (m > slotLast[slot]!) slotLast[slot] = m;
        slotCount[slot]!++;
        slotActions[slot]! |= bit;
      }
    },
    subjectsOf(actor) {
      const a = actorIds.get(actor);
      return a === undefined ? [] : actorSlots[a]!.map((slot) => slotSubject[slot]!);
    },
    stats: () => ({ events, pairs: slots, subjects: subjectSlots.size, actors: actorNames.length }),
    source(options = {}) {
      return {
        customers: () => options.customers ?? subjectSlots.size,
        viewersOf(subject, window): SubjectViewer[] {
          const [lo, hi] = bounds(window);
          const out: SubjectViewer[] = [];
          for (const slot of subjectSlots.get(subject) ?? []) {
            // A pair seen before and after the window but not inside it counts (first/last only): rare, and it errs towards more suspects.
            if (slotLast[slot]! < lo || slotFirst[slot]! > hi) continue;
            out.push({ actor: actorNames[slotActor[slot]!]!, events: slotCount[slot]!, first: isoOf(slotFirst[slot]!), last: isoOf(slotLast[slot]!), event: slotEvent[slot]!, actions: actionsOf(slotActions[slot]!) });
          }
          return out;
        },
        breadthOf(actor, window): Breadth {
          const a = actorIds.get(actor);
          if (a === undefined) return { subjects: 0, unnamedRows: 0 };
          const [lo, hi] = bounds(window);
          const list = actorSlots[a]!;
          let subjects = list.length;
          if (lo !== -Infinity || hi !== Infinity) {
            subjects = 0;
            for (const slot of list) if (slotLast[slot]! >= lo && slotFirst[slot]! <= hi) subjects++;
          }
          let rows = 0;
          const u = unnamed[a]!;
          for (let i = 0; i < u.length; i += 2) if (u[i]! >= lo && u[i]! <= hi) rows += u[i + 1]!;
          return { subjects, unnamedRows: rows };
        },
      };
    },
  };
}
