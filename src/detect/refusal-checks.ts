import type { AccessEvent } from '../ledger/index.js';
import type { Finding } from './detect-types.js';
import type { PersonState } from './person-state.js';

/**
 * Refused lookups: a person who asks for record after record by id and is refused (not assigned, no ticket)
 * is probing the directory, the way a scrape starts when access control works (S1). Innocent work rarely
 * does this: staff find customers by search, and a search that withholds matches is recorded as one refused
 * search, not counted here. Counted per local day, distinct customers, bounded.
 */
export interface RefusalLimits {
  /** Distinct customers refused by id in a day that make a finding, and the level that makes a bigger one. */
  readonly perDay: number;
  readonly perDayHigh: number;
}

export const DEFAULT_REFUSAL_LIMITS: RefusalLimits = { perDay: 25, perDayHigh: 100 };

interface RefusalDay {
  day: number;
  readonly subjects: Set<string>;
  level: number;
}

const MAX_REMEMBERED = 512;
const state = new WeakMap<PersonState, RefusalDay>();

/** Judges one refused event of a person on local day `day`; returns a finding when a level is crossed. */
export function checkRefusals(s: PersonState, e: AccessEvent, day: number, limits: RefusalLimits = DEFAULT_REFUSAL_LIMITS): Finding | undefined {
  if (e.outcome !== 'denied' || e.action !== 'view' || e.reason !== 'CUSTOS_NOT_ASSIGNED') return undefined;
  let r = state.get(s);
  if (r === undefined) state.set(s, (r = { day, subjects: new Set(), level: 0 }));
  if (r.day !== day) {
    r.day = day;
    r.subjects.clear();
    r.level = 0;
  }
  for (const subject of e.subjects) if (r.subjects.size < MAX_REMEMBERED) r.subjects.add(subject);
  const n = r.subjects.size;
  const level = n >= limits.perDayHigh ? 2 : n >= limits.perDay ? 1 : 0;
  if (level <= r.level) return undefined;
  const points = level === 2 && r.level === 0 ? 14 : level === 2 ? 6 : 8;
  r.level = level;
  return {
    detector: 'enumeration',
    points,
    events: [e.id],
    reason: `${s.id} asked for ${n} customers by id today who are neither assigned to them nor on their tickets, and was refused each time (probing the directory)`,
  };
}
