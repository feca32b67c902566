import type { DetectorConfig } from './detect-config.js';
import type { Finding } from './detect-types.js';
import { LEGAL_CATEGORIES, SERIOUS_RECORDS } from './legal-weight.js';
import { CATEGORY_SLOTS, Ewma, PURPOSE_SLOTS, type PersonState } from './person-state.js';

const LEVEL_POINTS = [4, 4, 6, 6] as const;

function level(value: number, threshold: number): number {
  if (value <= threshold) return 0;
  // threshold · 2^l, doubled step by step (exact: doubling a double never rounds).
  let l = 1;
  for (let t = threshold * 2; l < LEVEL_POINTS.length && value > t; t *= 2) l++;
  return l;
}

/** Points for rising from level `from` to level `to`. */
function pointsBetween(from: number, to: number): number {
  let p = 0;
  for (let l = from; l < to; l++) p += LEVEL_POINTS[l]!;
  return p;
}

/** Records in a day that are never a volume finding. */
const MIN_VOLUME = 150;

/** Records today against the person's (or peer group's) usual day. */
export function checkVolume(s: PersonState, config: DetectorConfig, event: string): Finding | undefined {
  if (s.dayRecords <= MIN_VOLUME) return undefined; // below every threshold (the common case)
  const b = s.baseline(config).records;
  if (b.n < 3) return undefined;
  const threshold = Math.max(b.mean + 5 * b.sd, 3 * b.mean, MIN_VOLUME);
  const l = level(s.dayRecords, threshold);
  if (l <= s.volumeLevel) return undefined;
  const points = pointsBetween(s.volumeLevel, l);
  s.volumeLevel = l;
  return {
    detector: 'volume', points, events: [event],
    reason: `${s.id} reached ${Math.round(s.dayRecords)} records today against a usual ${Math.round(b.mean)} (threshold ${Math.round(threshold)})`,
  };
}

/**
 * Unexplained records of a purpose slot per team-mate active on the person's current day, leaving out the
 * person and the team's busiest member of that purpose (so that one insider does not make another look normal).
 */
export function teamAverage(s: PersonState, config: DetectorConfig, slot: number): number {
  const current = s.team.day === s.day;
  let others = (current ? s.team.active : s.team.prevActive) - 1;
  if (others <= 0) return 0;
  const p = (current ? s.team.purposes : s.team.prevPurposes).get(s.purposeName(slot));
  if (p === undefined) return 0;
  let total = p.total - Math.min(s.purposeDay[slot]!, config.teamMemberCap);
  if (p.topId !== s.id && others >= 3) {
    total -= p.top;
    others--;
  }
  return Math.max(0, total) / others;
}

const ZERO = new Ewma();

/**
 * The usual unexplained records of a purpose above the team's day: one's own once learned, else the peer
 * group's for that purpose, else (a purpose new to both, after warm-up) none at all. Undefined while nothing
 * is known yet (the first days of a stream).
 */
export function purposeBaseline(s: PersonState, config: DetectorConfig, slot: number): Ewma | undefined {
  const own = s.purposeBase[slot]!;
  if (own.n >= config.warmupDays) return own;
  const peer = s.peer.purposes.get(s.purposeName(slot));
  if (peer !== undefined && peer.n >= 3) return peer;
  return s.activeDays >= config.warmupDays ? ZERO : undefined;
}

/** Today's usual allowance of unexplained records of a purpose: one's baseline above what the team does today. */
export function unexplainedAllowance(s: PersonState, config: DetectorConfig, slot: number): number {
  const b = purposeBaseline(s, config, slot) ?? ZERO;
  return teamAverage(s, config, slot) + Math.max(b.mean + 2 * b.sd, 3);
}

/**
 * Records seen with no assignment or ticket today under one purpose, against one's usual for that purpose
 * and the team's day for it. Per purpose, so that a campaign day (the whole team calling leads nobody is
 * assigned) neither hides a few dozen extra "sales" lookups nor widens the baseline they are judged by.
 */
export function checkUnexplained(s: PersonState, config: DetectorConfig, slot: number, event: string): Finding | undefined {
  const b = purposeBaseline(s, config, slot);
  if (b === undefined) return undefined;
  const teamAvg = teamAverage(s, config, slot);
  // Lookups arrive one by one, so a quiet purpose (one or two a day) still varies like a count: the
  // threshold is at least a Poisson bound on the usual rate, whatever the learned spread.
  const usual = teamAvg + b.mean;
  const threshold = Math.max(1.5 * teamAvg + Math.max(b.mean + 5 * b.sd, 3 * b.mean), usual + 4 * Math.sqrt(usual) + 3, config.unexplainedFloor);
  const n = s.purposeDay[slot]!;
  const was = s.purposeLevel[slot]!;
  const l = level(n, threshold);
  if (l <= was) return undefined;
  const points = pointsBetween(was, l);
  s.purposeLevel[slot] = l;
  if (l > s.unexplainedLevel) s.unexplainedLevel = l;
  return {
    detector: 'unexplained', points, events: [event],
    reason: `${s.id} looked at ${Math.round(n)} people today for purpose ${s.purposeName(slot)} with no assignment or ticket, against a usual ${b.mean.toFixed(1)} above the team's day and a team average of ${teamAvg.toFixed(1)}`,
  };
}

/** Unexplained records today above the allowance of each purpose. */
function todayExcess(s: PersonState, config: DetectorConfig): number {
  let x = 0;
  for (let i = 0; i <= PURPOSE_SLOTS; i++) {
    const n = s.purposeDay[i]!;
    if (n > 0) x += Math.max(0, n - unexplainedAllowance(s, config, i));
  }
  return x;
}

const sums = new Float64Array(CATEGORY_SLOTS);

/** Sums of the low-and-slow window including today's running excess; categories into `sums`. */
function windowSums(s: PersonState, config: DetectorConfig): number {
  const today = s.dayUnexplained > 0 ? todayExcess(s, config) : 0;
  const share = s.dayUnexplained > 0 ? today / s.dayUnexplained : 0;
  for (let c = 0; c < CATEGORY_SLOTS; c++) sums[c] = s.slowPastCats[c]! + s.dayCats[c]! * share;
  return s.slowPast + today;
}

/** Closes a day into the low-and-slow window (the slot is reused `slowWindowDays` later). */
export function closeSlowDay(s: PersonState, config: DetectorConfig, day: number): void {
  const slot = day % config.slowWindowDays;
  const excess = s.dayUnexplained > 0 ? todayExcess(s, config) : 0;
  const share = s.dayUnexplained > 0 ? excess / s.dayUnexplained : 0;
  s.slowExcess[slot] = excess;
  for (let c = 0; c < CATEGORY_SLOTS; c++) s.slowCats[slot * CATEGORY_SLOTS + c] = s.dayCats[c]! * share;
}

/** Clears window slots of days with no activity between `fromDay` (exclusive) and `toDay` (inclusive). */
export function clearSlowDays(s: PersonState, config: DetectorConfig, fromDay: number, toDay: number): void {
  const n = Math.min(config.slowWindowDays, toDay - fromDay);
  for (let i = 1; i <= n; i++) {
    const slot = (fromDay + i) % config.slowWindowDays;
    s.slowExcess[slot] = 0;
    for (let c = 0; c < CATEGORY_SLOTS; c++) s.slowCats[slot * CATEGORY_SLOTS + c] = 0;
  }
}

/** Recomputes the window sums of closed days for a new current day (its own slot left out). */
export function refreshSlowPast(s: PersonState, config: DetectorConfig, day: number): void {
  const slot = day % config.slowWindowDays;
  let x = 0;
  s.slowPastCats.fill(0);
  for (let d = 0; d < config.slowWindowDays; d++) {
    if (d === slot) continue;
    x += s.slowExcess[d]!;
    for (let c = 0; c < CATEGORY_SLOTS; c++) s.slowPastCats[c]! += s.slowCats[d * CATEGORY_SLOTS + c]!;
  }
  s.slowPast = x;
}

/**
 * Low-and-slow accumulation: unexplained records above one's usual level summed over the window, and
 * their legal weight (item (6) score with staff thresholds halved), which is left in `s.legal`.
 */
export function checkSlow(s: PersonState, config: DetectorConfig, event: string): Finding | undefined {
  const excess = windowSums(s, config);
  let legal = 0;
  for (let c = 0; c < CATEGORY_SLOTS; c++) if (sums[c]! > 0) legal += sums[c]! / STAFF_SERIOUS[c]!;
  const slowL = level(excess, config.slowExcessRecords);
  const legalL = level(legal, config.legalScoreAt);
  s.legal = legal;
  if (slowL <= s.slowLevel && legalL <= s.legalLevel) return undefined;
  const points = pointsBetween(s.slowLevel, Math.max(s.slowLevel, slowL)) + pointsBetween(s.legalLevel, Math.max(s.legalLevel, legalL));
  s.slowLevel = Math.max(s.slowLevel, slowL);
  s.legalLevel = Math.max(s.legalLevel, legalL);
  let top = -1;
  for (let c = 0; c < CATEGORY_SLOTS; c++) if (top < 0 || sums[c]! / STAFF_SERIOUS[c]! > sums[top]! / STAFF_SERIOUS[top]!) top = c;
  const detail = top >= 0 && sums[top]! >= 1 ? `, mostly ${LEGAL_CATEGORIES[top]!} information (${Math.round(sums[top]!)} records)` : '';
  return {
    detector: 'low-and-slow', points, events: [event],
    reason: `${s.id} accumulated ${Math.round(excess)} unexplained records above usual over ${config.slowWindowDays} days${detail}: ${(legal * 100).toFixed(0)}% of the legal "serious" threshold for staff`,
  };
}

/** Resets the window levels when the window has emptied (a new episode of accumulation starts from zero). */
export function relaxSlowLevels(s: PersonState, config: DetectorConfig): void {
  if (windowSums(s, config) < config.slowExcessRecords / 2) {
    s.slowLevel = 0;
    s.legalLevel = 0;
  }
}

/** Records that make a case serious per category, halved for staff (CN-PII.md §1, Art. 5 item (8)). */
const STAFF_SERIOUS = LEGAL_CATEGORIES.map((c) => SERIOUS_RECORDS[c] * 0.5);
