import type { Clock } from '../core/clock.js';
import type { AccessEvent } from '../ledger/index.js';
import { DEFAULT_CONFIG, type DetectorConfig } from './detect-config.js';
import { SEVERITIES, type Alert, type Detection, type Finding, type Response, type Severity } from './detect-types.js';
import { eventTimeMs } from './event-time.js';
import { LEGAL_CATEGORIES, SERIOUS_RECORDS } from './legal-weight.js';
import { indexOrg, type Org, type OrgLookup } from './org.js';
import { checkCadence, checkEnumeration, checkFirstDataset, checkOffHours, checkSharing, learnPlaceAndDevice } from './pattern-checks.js';
import { PeerState, PersonState, PURPOSE_SLOTS, TeamDay, type Ewma } from './person-state.js';
import { PendingQueue, type PendingLookup } from './pending-queue.js';
import { checkRefusals } from './refusal-checks.js';
import {
  checkSlow, checkUnexplained, checkVolume, clearSlowDays, closeSlowDay, purposeBaseline, refreshSlowPast, relaxSlowLevels, teamAverage,
} from './volume-checks.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const DATA_ACTIONS = new Set(['search', 'list', 'view', 'reveal', 'export', 'query']);
const LOOKUPS = new Set(['search', 'view', 'reveal']);

/** The longest frozen fields list a person's categories cache keeps (the demo has 7 fields). */
const SHARED_LIST_MAX = 16;
/** What a push returns when nothing was raised (shared, frozen). */
const NOTHING: Detection = Object.freeze({ alerts: Object.freeze<Alert[]>([]), responses: Object.freeze<Response[]>([]) });

export interface DetectorOptions {
  /** The organisation: an org.json or a live lookup. */
  readonly org: Org | OrgLookup;
  readonly config?: Partial<DetectorConfig>;
  /** Used by `flush()` without an argument in live use; offline, flush defaults to the last event time. */
  readonly clock?: Clock;
}

/** The streaming detector. */
export interface Detector {
  /** Judges one event (events must come in time order); returns new alerts and the responses they call for. */
  push(event: AccessEvent): Detection;
  /**
   * `push` for a caller that has already read the event's time: `timeMs` must be `event.time` in milliseconds
   * (a replay gets it from the event reader, which spares reading the time twice), or NaN to have it read here.
   */
  pushAt(event: AccessEvent, timeMs: number): Detection;
  /**
   * Lets the detector's clock run to `until` (default: the clock if one was given, else the last event's
   * time), deciding the lookups whose ticket grace has passed. Never looks past `until`.
   */
  flush(until?: Date): Detection;
  /** Number of people with state (memory is bounded per person). */
  readonly people: number;
}

function isLookup(x: Org | OrgLookup): x is OrgLookup {
  return typeof (x as OrgLookup).isAssigned === 'function';
}

/**
 * Creates a streaming, causal detector: an alert at time t rests only on events at or before t.
 *
 * @example
 * const d = createDetector({ org });
 * for (const e of events) for (const a of d.push(e).alerts) write(a);
 * d.flush();
 */
export function createDetector(options: DetectorOptions): Detector {
  const config: DetectorConfig = { ...DEFAULT_CONFIG, ...options.config };
  const org = isLookup(options.org) ? options.org : indexOrg(options.org);
  const explain = org.explain?.bind(org);
  const offset = config.utcOffsetHours * HOUR;
  const graceMs = config.ticketGraceMinutes * 60_000;
  const closedGraceMs = config.closedGraceHours * HOUR;
  const decay = Math.LN2 / (config.riskHalfLifeHours * HOUR);
  const investigatorRoles = new Set(config.investigatorRoles);
  const investigator = (actor: string): boolean => {
    const role = org.actor(actor)?.role;
    return role !== undefined && investigatorRoles.has(role);
  };
  const people = new Map<string, PersonState>();
  const peers = new Map<string, PeerState>();
  const teams = new Map<string, TeamDay>();
  const queue = new PendingQueue();
  const p: PendingLookup = { due: 0, at: 0, cats: 0, slot: 0, person: undefined, subject: '', event: '', revealed: undefined, late: true };
  let nowMs = -Infinity;
  let alertSeq = 0;

  function person(actor: string): PersonState {
    let s = people.get(actor);
    if (s !== undefined) return s;
    const a = org.actor(actor);
    const peerKey = a === undefined ? '?' : `${a.department}/${a.role}`;
    const teamKey = a === undefined ? `?${actor}` : `${a.department}/${a.manager ?? a.id}`;
    let peer = peers.get(peerKey);
    if (peer === undefined) peers.set(peerKey, (peer = new PeerState()));
    let team = teams.get(teamKey);
    if (team === undefined) teams.set(teamKey, (team = new TeamDay()));
    s = new PersonState(actor, peer, team, org, config);
    people.set(actor, s);
    return s;
  }

  // Category bit of each field name (categoryMask without the per-event search).
  const fieldBits = new Map<string, number>();
  for (const [field, c] of Object.entries(config.legalCategory)) fieldBits.set(field, 1 << LEGAL_CATEGORIES.indexOf(c));
  // Scratch space reused by every push (no allocation unless something is found).
  const findings: Finding[] = [];
  const settled: Finding[] = [];
  let alertsOut: Alert[] = [];
  let responsesOut: Response[] = [];

  function take(): Detection {
    if (alertsOut.length === 0 && responsesOut.length === 0) return NOTHING;
    const d = { alerts: alertsOut, responses: responsesOut };
    alertsOut = [];
    responsesOut = [];
    return d;
  }

  function closeDay(s: PersonState): void {
    if (s.day < 0 || s.dayRecords + s.dayUnexplained === 0) return;
    closeSlowDay(s, config, s.day);
    // Days that alerted are not learned from: a baseline must not absorb the abuse it should catch.
    // Learning is also clipped near the usual level, so that weeks of slightly-too-many days (slow abuse)
    // move the baseline only a little while a real change of work is still learned over a few weeks.
    if (s.volumeLevel === 0) {
      s.records.update(clip(s.dayRecords, s.baseline(config).records), 0.1);
      s.peer.records.update(s.dayRecords, 0.02);
    }
    if (s.unexplainedLevel === 0 && s.slowLevel === 0) {
      // Per purpose, learn what is above the team's day for it, so that team-wide days (a campaign) do not
      // widen the baseline of the person's own unexplained lookups.
      for (let i = 0; i <= PURPOSE_SLOTS; i++) {
        if (i >= s.purposes.length && i < PURPOSE_SLOTS) continue;
        const x = Math.max(0, s.purposeDay[i]! - teamAverage(s, config, i));
        const b = purposeBaseline(s, config, i);
        s.purposeBase[i]!.update(b === undefined ? x : clip(x, b), 0.1);
        s.peer.purpose(s.purposeName(i))?.update(x, 0.02);
      }
    }
    s.activeDays++;
  }

  function rollDay(s: PersonState, day: number): void {
    if (day <= s.day) return;
    closeDay(s);
    if (s.day >= 0) clearSlowDays(s, config, s.day, day);
    s.day = day;
    s.dayRecords = 0;
    s.dayUnexplained = 0;
    s.dayReveals = 0;
    s.dayCats.fill(0);
    s.purposeDay.fill(0);
    s.purposeLevel.fill(0);
    s.daySubjects.clear();
    s.volumeLevel = 0;
    s.unexplainedLevel = 0;
    s.fired = 0;
    s.gapCount = 0;
    refreshSlowPast(s, config, day);
    relaxSlowLevels(s, config);
    if (s.team.day !== day) s.team.roll(day);
    s.team.active++;
  }

  function weight(s: PersonState, t: number): number {
    const left = s.leavingMs - t;
    return left <= config.leavingWindowDays * DAY && left >= -DAY ? config.leavingWeight : 1;
  }

  function severityOf(risk: number): number {
    let l = -1;
    for (let i = 0; i < SEVERITIES.length; i++) if (risk >= config.severityAt[SEVERITIES[i]!]) l = i;
    return l;
  }

  /** Adds findings to the person's risk; raises an alert when the episode's severity rises. */
  function judge(s: PersonState, found: readonly Finding[], t: number, legal: number): void {
    if (found.length === 0) return;
    const w = weight(s, t);
    if (!Number.isNaN(s.riskMs)) s.risk *= Math.exp(-decay * (t - s.riskMs));
    s.riskMs = t;
    if (s.risk < config.severityAt.low / 2) {
      s.episodeLevel = -1;
      s.evidence.length = 0;
    }
    let top = found[0]!;
    let forced = -1;
    for (const f of found) {
      s.risk += f.points * w;
      s.addEvidence(f.events);
      if (f.points > top.points) top = f;
      if (f.severity !== undefined) {
        forced = Math.max(forced, SEVERITIES.indexOf(f.severity));
        top = f;
      }
    }
    let level = Math.max(severityOf(s.risk), forced);
    if (legal >= 1 && level >= 0) level = Math.max(level, 2);
    if (level <= s.episodeLevel) return;
    s.episodeLevel = level;
    const severity: Severity = SEVERITIES[level]!;
    const id = `a-${++alertSeq}`;
    const leaving = w > 1 ? ' The person is about to leave, so every finding counts double.' : '';
    alertsOut.push({
      id, time: new Date(t).toISOString(), actor: s.id, detector: top.detector, severity, score: Math.round(s.risk * 10) / 10,
      summary: `${top.reason}.${leaving}`, events: [...s.evidence],
    });
    for (const kind of config.responses[severity]) responsesOut.push({ kind, actor: s.id, alert: id, severity });
  }

  /** Decides pending lookups whose grace has passed by `until`. */
  function settle(until: number): void {
    while (queue.nextDue() <= until) {
      queue.shift(p);
      const s = p.person!;
      if (p.late && org.ticketCovers(s.id, p.subject, p.at + graceMs, closedGraceMs)) continue;
      if (settled.length !== 0) settled.length = 0;
      if (p.revealed !== undefined && s.dayReveals < config.revealsPerDay) {
        s.dayReveals++;
        settled.push({
          detector: 'unexplained', points: config.revealPoints, events: [p.event],
          reason: `${s.id} revealed ${p.revealed.join(', ')} of customer ${p.subject} with no assignment or ticket covering the customer`,
        });
      }
      let legal = 0;
      if (!s.daySubjects.has(p.subject)) {
        if (s.daySubjects.size < config.maxDaySubjects) s.daySubjects.add(p.subject);
        addUnexplained(s, 1, p.cats, p.slot);
        const u = checkUnexplained(s, config, p.slot, p.event);
        if (u !== undefined) settled.push(u);
        const slow = checkSlow(s, config, p.event);
        if (slow !== undefined) settled.push(slow);
        legal = s.legal;
      }
      judge(s, settled, Math.max(p.due, nowMs), legal);
    }
  }

  function addUnexplained(s: PersonState, n: number, cats: number, slot: number): void {
    s.dayUnexplained += n;
    // A member counts towards the team's day only up to a cap, so one insider's thousands of records do not
    // make everyone else on the team look normal.
    const before = Math.min(s.purposeDay[slot]!, config.teamMemberCap);
    s.purposeDay[slot]! += n;
    const after = Math.min(s.purposeDay[slot]!, config.teamMemberCap);
    if (after > before) s.team.addPurpose(s.purposeName(slot), s.id, after - before, after);
    // Each record counts once, in its gravest category.
    let best = -1;
    for (let c = 0; c < LEGAL_CATEGORIES.length; c++) if ((cats & (1 << c)) !== 0 && (best < 0 || SERIOUS_ORDER[c]! < SERIOUS_ORDER[best]!)) best = c;
    if (best >= 0) s.dayCats[best]! += n;
  }

  // The event reader shares one frozen list per distinct fields list its table keeps: the mask of the person's
  // last list is usually the answer (people repeat the same kind of lookup). Only a frozen list of at most
  // SHARED_LIST_MAX members is remembered: the reader's lists are then already held by its table, and a frozen
  // list from another caller keeps at most a few kilobytes alive per person.
  function categories(s: PersonState, fields: readonly string[]): number {
    if (fields === s.fieldsSeen) return s.fieldsMask;
    let mask = 0;
    for (let i = 0; i < fields.length; i++) mask |= fieldBits.get(fields[i]!) ?? 0;
    if (fields.length <= SHARED_LIST_MAX && Object.isFrozen(fields)) {
      s.fieldsSeen = fields;
      s.fieldsMask = mask;
    }
    return mask;
  }

  /** Session, device and place checks; an event in the same session, device and address as the person's last one that day changes nothing they look at. */
  function context(s: PersonState, e: AccessEvent, t: number): void {
    const last = s.lastSession;
    if (last !== undefined && e.session === last.session && e.device === s.lastDevice && e.ip === s.lastIp && s.contextDay === s.day && s.devices.has(last.device)) {
      last.lastMs = t;
      if (s.lastIpPlace !== undefined) s.lastPlaceMs = t;
      return;
    }
    checkSharing(s, e, t, config, findings);
    learnPlaceAndDevice(s, e, config);
    s.lastIp = e.ip;
    s.lastDevice = e.device;
    s.contextDay = s.day;
  }

  function push(e: AccessEvent, t: number): Detection {
    if (t > nowMs) nowMs = t;
    settle(nowMs);
    const s = person(e.actor);
    const local = t + offset;
    rollDay(s, Math.floor(local / DAY));
    const hour = Math.floor((local - s.day * DAY) / HOUR);
    if (findings.length !== 0) findings.length = 0; // setting a length is a runtime call; most pushes find nothing
    context(s, e, t);
    if (e.outcome === 'denied') {
      const r = checkRefusals(s, e, s.day);
      if (r !== undefined) findings.push(r);
    }
    let legal = 0;
    if (DATA_ACTIONS.has(e.action) && e.outcome !== 'denied') {
      let f = checkFirstDataset(s, e, config);
      if (f !== undefined) findings.push(f);
      f = checkOffHours(s, e, hour, config);
      if (f !== undefined) findings.push(f);
      const cats = e.fields.length > 0 ? categories(s, e.fields) : 0;
      const subjects = e.subjects;
      let canary: string | undefined;
      let unassignedNoTicket = subjects.length > 0 && e.ticket === undefined;
      const ticketed = e.ticket !== undefined && org.holdsTicket(e.actor, e.ticket, t + graceMs, closedGraceMs);
      // A query or export under a ticket the person holds (an incident, a change, an approved report) is
      // explained as a whole; a view needs a ticket about that very customer.
      const bulkExplained = ticketed && (e.action === 'query' || e.action === 'export');
      if (bulkExplained) unassignedNoTicket = false;
      let slot = -1;
      // A canary on a page of one's own assigned customers, or in an approved export, is not a touch: the
      // system put it there. Opening, searching, revealing or exporting it unapproved is.
      const canaryTouch = e.action !== 'list' && !bulkExplained;
      for (let i = 0; i < subjects.length; i++) {
        const subject = subjects[i]!;
        if (canaryTouch && canary === undefined && org.isCanary(subject) && !investigator(e.actor)) canary = subject;
        if (bulkExplained) continue;
        const why = explain !== undefined ? explain(e.actor, subject, t, closedGraceMs) : org.isAssigned(e.actor, subject) ? 2 : org.ticketCovers(e.actor, subject, t, closedGraceMs) ? 1 : 0;
        if (why === 2) {
          unassignedNoTicket = false;
          continue;
        }
        if (why === 1) continue;
        if (slot < 0) slot = s.purposeSlot(e.purpose);
        queue.push(t + graceMs, t, s, subject, cats, e.id, slot, e.action === 'reveal' ? e.fields : undefined, why === 0);
      }
      if (canary !== undefined) {
        findings.push({
          detector: 'canary', points: config.severityAt.critical, severity: 'critical', events: [e.id],
          reason: `${e.actor} touched canary record ${canary} (${e.action} on ${e.system}), a honeytoken that no real work reaches`,
        });
      }
      const rows = Math.max(0, (e.count ?? subjects.length) - subjects.length);
      s.dayRecords += subjects.length + (ticketed ? 0.02 * rows : rows);
      if (rows > 0 && !ticketed) addUnexplained(s, rows, cats, slot < 0 ? (slot = s.purposeSlot(e.purpose)) : slot);
      f = checkVolume(s, config, e.id);
      if (f !== undefined) findings.push(f);
      if (subjects.length > 0) {
        f = checkEnumeration(s, e);
        if (f !== undefined) findings.push(f);
      }
      if (unassignedNoTicket && LOOKUPS.has(e.action)) {
        f = checkCadence(s, e, t);
        if (f !== undefined) findings.push(f);
      }
      if (rows > 0 && !ticketed) {
        f = checkUnexplained(s, config, slot, e.id);
        if (f !== undefined) findings.push(f);
        f = checkSlow(s, config, e.id);
        if (f !== undefined) findings.push(f);
        legal = s.legal;
      }
      s.hours[hour]! += 1;
      s.hoursTotal += 1;
    }
    judge(s, findings, t, legal);
    return take();
  }

  return {
    push: (e) => push(e, eventTimeMs(e.time)),
    pushAt: (e, t) => push(e, Number.isNaN(t) ? eventTimeMs(e.time) : t),
    flush(until?: Date) {
      const limit = until !== undefined ? until.getTime() : options.clock !== undefined ? options.clock.now().getTime() : nowMs;
      if (limit > nowMs) nowMs = limit;
      settle(limit);
      return take();
    },
    get people() {
      return people.size;
    },
  };
}

/** A day's value clipped for learning: at most a little above the usual level. */
function clip(x: number, b: Ewma): number {
  return b.n < 3 ? x : Math.min(x, b.mean + 2 * b.sd + Math.max(2, 0.25 * b.mean));
}

const SERIOUS_ORDER = LEGAL_CATEGORIES.map((c) => SERIOUS_RECORDS[c]);
