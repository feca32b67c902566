import type { DetectorConfig } from './detect-config.js';
import type { Finding } from './detect-types.js';
import { LEGAL_CATEGORIES, legalScore, SERIOUS_RECORDS, type LegalCategory } from './legal-weight.js';
import { CATEGORY_SLOTS, type PersonState } from './person-state.js';

const LEVEL_POINTS = [4, 4, 6, 6] as const;

function level(value: number, threshold: number): number {
  if (value <= threshold) return 0;
  let l = 1;
  while (l < LEVEL_POINTS.length && value > threshold * 2 ** l) l++;
  return l;
}

/** Points for rising from level `from` to level `to`. */
function pointsBetween(from: number, to: number): number {
  let p = 0;
  for (let l = from; l < to; l++) p += LEVEL_POINTS[l]!;
  return p;
}

/** Records today against the person's (or peer group's) usual day. */
export function checkVolume(s: PersonState, config: DetectorConfig, evidence: readonly string[]): Finding | undefined {
  const b = s.baseline(config).records;
  if (b.n < 3) return undefined;
  const threshold = Math.max(b.mean + 5 * b.sd, 3 * b.mean, 150);
  const l = level(s.dayRecords, threshold);
  if (l <= s.volumeLevel) return undefined;
  const points = pointsBetween(s.volumeLevel, l);
  s.volumeLevel = l;
  return {
    detector: 'volume', points, events: evidence,
    reason: `${s.id} reached ${Math.round(s.dayRecords)} records today against a usual ${Math.round(b.mean)} (threshold ${Math.round(threshold)})`,
  };
}

/** Unexplained records per team-mate active on the person's current day, not counting the person. */
export function teamAverage(s: PersonState, config: DetectorConfig): number {
  const current = s.team.day === s.day;
  const others = (current ? s.team.active : s.team.prevActive) - 1;
  const total = current ? s.team.unexplained : s.team.prevUnexplained;
  return others > 0 ? Math.max(0, total - Math.min(s.dayUnexplained, config.teamMemberCap)) / others : 0;
}

/** Today's usual allowance of unexplained records: one's baseline, or what the team does today. */
export function unexplainedAllowance(s: PersonState, config: DetectorConfig): number {
  const b = s.baseline(config).unexplained;
  const teamAvg = teamAverage(s, config);
  return teamAvg + Math.max(b.mean + 2 * b.sd, 3);
}

/** Records seen with no assignment or ticket today, against one's usual and the team's today. */
export function checkUnexplained(s: PersonState, config: DetectorConfig, evidence: readonly string[]): Finding | undefined {
  const b = s.baseline(config).unexplained;
  if (b.n < 3) return undefined;
  const teamAvg = teamAverage(s, config);
  const threshold = Math.max(1.5 * teamAvg + Math.max(b.mean + 5 * b.sd, 3 * b.mean, 10), 15);
  const l = level(s.dayUnexplained, threshold);
  if (l <= s.unexplainedLevel) return undefined;
  const points = pointsBetween(s.unexplainedLevel, l);
  s.unexplainedLevel = l;
  return {
    detector: 'unexplained', points, events: evidence,
    reason: `${s.id} looked at ${Math.round(s.dayUnexplained)} people today with no assignment or ticket, against a usual ${b.mean.toFixed(1)} above the team's day and a team average of ${teamAvg.toFixed(1)}`,
  };
}

/** Sums of the low-and-slow window, including today's running excess. */
function windowSums(s: PersonState, config: DetectorConfig): { excess: number; cats: Partial<Record<LegalCategory, number>> } {
  const slot = s.day % config.slowWindowDays;
  const todayExcess = Math.max(0, s.dayUnexplained - unexplainedAllowance(s, config));
  const share = s.dayUnexplained > 0 ? todayExcess / s.dayUnexplained : 0;
  let excess = todayExcess;
  const cats: Partial<Record<LegalCategory, number>> = {};
  for (let c = 0; c < CATEGORY_SLOTS; c++) cats[LEGAL_CATEGORIES[c]!] = s.dayCats[c]! * share;
  for (let d = 0; d < config.slowWindowDays; d++) {
    if (d === slot) continue;
    excess += s.slowExcess[d]!;
    for (let c = 0; c < CATEGORY_SLOTS; c++) cats[LEGAL_CATEGORIES[c]!]! += s.slowCats[d * CATEGORY_SLOTS + c]!;
  }
  return { excess, cats };
}

/** Closes a day into the low-and-slow window (the slot is reused `slowWindowDays` later). */
export function closeSlowDay(s: PersonState, config: DetectorConfig, day: number): void {
  const slot = day % config.slowWindowDays;
  const excess = Math.max(0, s.dayUnexplained - unexplainedAllowance(s, config));
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

/**
 * Low-and-slow accumulation: unexplained records above one's usual level summed over the window, and
 * their legal weight (item (6) score with staff thresholds halved). Returns the legal score as well.
 */
export function checkSlow(s: PersonState, config: DetectorConfig, evidence: readonly string[]): { finding?: Finding; legal: number } {
  const { excess, cats } = windowSums(s, config);
  const legal = legalScore(cats, true);
  const slowL = level(excess, config.slowExcessRecords);
  const legalL = level(legal, config.legalScoreAt);
  if (slowL <= s.slowLevel && legalL <= s.legalLevel) return { legal };
  const points = pointsBetween(s.slowLevel, Math.max(s.slowLevel, slowL)) + pointsBetween(s.legalLevel, Math.max(s.legalLevel, legalL));
  s.slowLevel = Math.max(s.slowLevel, slowL);
  s.legalLevel = Math.max(s.legalLevel, legalL);
  const top = (Object.entries(cats) as [LegalCategory, number][]).sort((a, b) => b[1] / SERIOUS_RECORDS[b[0]] - a[1] / SERIOUS_RECORDS[a[0]])[0];
  const detail = top !== undefined && top[1] >= 1 ? `, mostly ${top[0]} information (${Math.round(top[1])} records)` : '';
  return {
    legal,
    finding: {
      detector: 'low-and-slow', points, events: evidence,
      reason: `${s.id} accumulated ${Math.round(excess)} unexplained records above usual over ${config.slowWindowDays} days${detail}: ${(legal * 100).toFixed(0)}% of the legal "serious" threshold for staff`,
    },
  };
}

/** Resets the window levels when the window has emptied (a new episode of accumulation starts from zero). */
export function relaxSlowLevels(s: PersonState, config: DetectorConfig): void {
  const { excess } = windowSums(s, config);
  if (excess < config.slowExcessRecords / 2) {
    s.slowLevel = 0;
    s.legalLevel = 0;
  }
}
