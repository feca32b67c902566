import type { AccessEvent } from '../ledger/index.js';
import { idNumber, regularity } from './cadence.js';
import { placeOf, type DetectorConfig } from './detect-config.js';
import type { Finding } from './detect-types.js';
import type { PersonState } from './person-state.js';

const MIN = 60_000;
const HOUR = 3_600_000;

/** Once-a-day findings, as bits of PersonState.fired. */
export const ONCE = {
  enumeration: 1, enumerationBig: 2, cadence: 4, offHours: 8, concurrent: 16, travel: 32, newDevice: 64,
} as const;

function once(s: PersonState, bit: number): boolean {
  if ((s.fired & bit) !== 0) return false;
  s.fired |= bit;
  return true;
}

/** Sequential ids: a run of subjects whose numbers step by 1–2, as when paging a directory or a table. */
export function checkEnumeration(s: PersonState, e: AccessEvent): Finding | undefined {
  for (const subject of e.subjects) {
    const n = idNumber(subject);
    const d = n - s.seqLast;
    s.seqRun = d !== 0 && Math.abs(d) <= 2 ? s.seqRun + 1 : 0;
    s.seqLast = n;
  }
  if (s.seqRun >= 1000 && once(s, ONCE.enumerationBig)) {
    return { detector: 'enumeration', points: 8, events: [e.id], reason: `${s.id} went through ${s.seqRun} consecutive customer ids in order, ending at ${e.subjects.at(-1) ?? ''}` };
  }
  if (s.seqRun >= 100 && once(s, ONCE.enumeration)) {
    return { detector: 'enumeration', points: 6, events: [e.id], reason: `${s.id} went through ${s.seqRun} consecutive customer ids in order, ending at ${e.subjects.at(-1) ?? ''}` };
  }
  return undefined;
}

/**
 * Machine cadence on lookups that have no ticket or assignment at the time they are made: near-constant
 * gaps with no think time are a tool, not a person (S6).
 */
export function checkCadence(s: PersonState, e: AccessEvent, t: number): Finding | undefined {
  const gap = t - s.lastCandidateMs;
  s.lastCandidateMs = t;
  if (!(gap <= 10 * MIN)) {
    s.gapCount = 0;
    return undefined;
  }
  s.gaps[s.gapCount % s.gaps.length] = gap;
  s.gapCount++;
  // Judged on every fourth lookup once the gap window is full: a tool keeps its cadence, so this delays a
  // finding by at most three of its lookups and saves most of the sorting.
  if (s.gapCount < s.gaps.length || s.gapCount % 4 !== 0) return undefined;
  const r = regularity(s.gaps, 0.1);
  if (r.share < 0.8 || r.median > 2 * MIN || !once(s, ONCE.cadence)) return undefined;
  return {
    detector: 'machine-cadence', points: 10, events: [e.id],
    reason: `${s.id} made ${s.gaps.length + 1} lookups without a ticket at a near-constant interval of ${(r.median / 1000).toFixed(1)} s (${Math.round(r.share * 100)}% within 10%), the cadence of a tool`,
  };
}

/** Activity at an hour the person almost never works (after warm-up). */
export function checkOffHours(s: PersonState, e: AccessEvent, hour: number, config: DetectorConfig): Finding | undefined {
  if (s.activeDays < config.warmupDays || s.hoursTotal === 0) return undefined;
  const near = s.hours[hour]! + s.hours[(hour + 23) % 24]! + s.hours[(hour + 1) % 24]!;
  if (near / s.hoursTotal >= 0.01 || !once(s, ONCE.offHours)) return undefined;
  return { detector: 'off-hours', points: 2, events: [e.id], reason: `${s.id} looked at records at ${String(hour).padStart(2, '0')}:00 local time, an hour they almost never work` };
}

/** The first access to a system (dataset) the person has never used, after warm-up. */
export function checkFirstDataset(s: PersonState, e: AccessEvent, config: DetectorConfig): Finding | undefined {
  if (s.systems.has(e.system)) return undefined;
  if (s.systems.size < 32) s.systems.add(e.system);
  if (s.activeDays < config.warmupDays) return undefined;
  return { detector: 'first-dataset', points: 3, events: [e.id], reason: `${s.id} used system ${e.system} for the first time` };
}

/**
 * Account sharing: two sessions on different devices in use at once from different places (or one of them
 * a device never seen), impossible travel between places, and a new device from a new place.
 */
export function checkSharing(s: PersonState, e: AccessEvent, t: number, config: DetectorConfig, out: Finding[]): void {
  const place = placeOf(e.ip, config);
  s.lastIpPlace = place;
  s.lastSession = undefined;
  const device = e.device;
  const session = e.session;
  const warm = s.activeDays >= config.warmupDays;
  const newDevice = device !== undefined && !s.devices.has(device);
  if (device !== undefined && session !== undefined) {
    let mine: (typeof s.sessions)[number] | undefined;
    for (const other of s.sessions) {
      if (other.session === session) {
        mine = other;
        continue;
      }
      if (other.device !== device && t - other.lastMs <= 20 * MIN && ((place !== undefined && other.place !== undefined && place !== other.place) || (warm && newDevice))) {
        if (once(s, ONCE.concurrent)) {
          out.push({
            detector: 'account-sharing', points: 8, events: [e.id],
            reason: `${s.id} was in use on device ${device} (${place ?? 'unknown place'}) while session ${other.session} on device ${other.device} (${other.place ?? 'unknown place'}) was active`,
          });
        }
      }
    }
    if (mine === undefined) {
      mine = { session, device, place, lastMs: t };
      s.sessions.push(mine);
      if (s.sessions.length > 6) s.sessions.shift();
    } else mine.lastMs = t;
    s.lastSession = mine;
  }
  if (place !== undefined) {
    if (s.lastPlace !== undefined && s.lastPlace !== place && t - s.lastPlaceMs < config.travelHours * HOUR && once(s, ONCE.travel)) {
      out.push({
        detector: 'account-sharing', points: 6, events: [e.id],
        reason: `${s.id} appeared in ${place} ${Math.round((t - s.lastPlaceMs) / MIN)} min after ${s.lastPlace}, faster than anyone can travel`,
      });
    }
    const usual = (s.places.get(place) ?? 0) > 0;
    if (warm && newDevice && !usual && once(s, ONCE.newDevice)) {
      out.push({ detector: 'account-sharing', points: 4, events: [e.id], reason: `${s.id} logged in from a new device ${device ?? ''} in ${place}, a place they have not worked from` });
    }
    s.lastPlace = place;
    s.lastPlaceMs = t;
  }
}

/** Learns devices and places once a day's events are judged. */
export function learnPlaceAndDevice(s: PersonState, e: AccessEvent, config: DetectorConfig): void {
  if (e.device !== undefined && !s.devices.has(e.device) && s.devices.size < 16) s.devices.add(e.device);
  const place = placeOf(e.ip, config);
  if (place !== undefined && (s.places.has(place) || s.places.size < 16)) s.places.set(place, (s.places.get(place) ?? 0) + 1);
}
