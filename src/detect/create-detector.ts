import type { Clock } from '../core/clock.js';
import type { AccessEvent } from '../ledger/index.js';
import { DEFAULT_CONFIG, type DetectorConfig } from './detect-config.js';
import { SEVERITIES, type Alert, type Detection, type Finding, type Response, type Severity } from './detect-types.js';
import { categoryMask, LEGAL_CATEGORIES, SERIOUS_RECORDS } from './legal-weight.js';
import { indexOrg, type Org, type OrgLookup } from './org.js';
import { checkCadence, checkEnumeration, checkFirstDataset, checkOffHours, checkSharing, learnPlaceAndDevice } from './pattern-checks.js';
import { PeerState, PersonState, TeamDay, type Ewma } from './person-state.js';
import { checkRefusals } from './refusal-checks.js';
import { checkSlow, checkUnexplained, checkVolume, clearSlowDays, closeSlowDay, relaxSlowLevels, teamAverage } from './volume-checks.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const DATA_ACTIONS = new Set(['search', 'list', 'view', 'reveal', 'export', 'query']);
const LOOKUPS = new Set(['search', 'view', 'reveal']);

/** A lookup waiting for its ticket grace to pass before it counts as unexplained. */
interface Pending {
  readonly due: number;
  readonly at: number;
  readonly person: PersonState;
  readonly subject: string;
  readonly cats: number;
  readonly event: string;
}

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
  const offset = config.utcOffsetHours * HOUR;
  const graceMs = config.ticketGraceMinutes * 60_000;
  const closedGraceMs = config.closedGraceHours * HOUR;
  const decay = Math.LN2 / (config.riskHalfLifeHours * HOUR);
  const people = new Map<string, PersonState>();
  const peers = new Map<string, PeerState>();
  const teams = new Map<string, TeamDay>();
  const queue: Pending[] = [];
  let head = 0;
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
      // Learn what is above the team's day, so that team-wide days (a campaign) do not widen the baseline.
      const x = Math.max(0, s.dayUnexplained - teamAverage(s, config));
      s.unexplained.update(clip(x, s.baseline(config).unexplained), 0.1);
      s.peer.unexplained.update(x, 0.02);
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
    s.dayCats.fill(0);
    s.daySubjects.clear();
    s.volumeLevel = 0;
    s.unexplainedLevel = 0;
    s.fired = 0;
    s.gapCount = 0;
    relaxSlowLevels(s, config);
    if (s.team.day !== day) {
      s.team.prevActive = s.team.day === day - 1 ? s.team.active : 0;
      s.team.prevUnexplained = s.team.day === day - 1 ? s.team.unexplained : 0;
      s.team.day = day;
      s.team.active = 0;
      s.team.unexplained = 0;
    }
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
  function judge(s: PersonState, findings: readonly Finding[], t: number, legal: number, out: { alerts: Alert[]; responses: Response[] }): void {
    if (findings.length === 0) return;
    const w = weight(s, t);
    if (!Number.isNaN(s.riskMs)) s.risk *= Math.exp(-decay * (t - s.riskMs));
    s.riskMs = t;
    if (s.risk < config.severityAt.low / 2) {
      s.episodeLevel = -1;
      s.evidence.length = 0;
    }
    let top = findings[0]!;
    let forced = -1;
    for (const f of findings) {
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
    out.alerts.push({
      id, time: new Date(t).toISOString(), actor: s.id, detector: top.detector, severity, score: Math.round(s.risk * 10) / 10,
      summary: `${top.reason}.${leaving}`, events: [...s.evidence],
    });
    for (const kind of config.responses[severity]) out.responses.push({ kind, actor: s.id, alert: id, severity });
  }

  /** Decides pending lookups whose grace has passed by `until`. */
  function settle(until: number, out: { alerts: Alert[]; responses: Response[] }): void {
    while (head < queue.length && queue[head]!.due <= until) {
      const p = queue[head++]!;
      const s = p.person;
      if (org.ticketCovers(s.id, p.subject, p.at + graceMs, closedGraceMs)) continue;
      if (s.daySubjects.has(`!${p.subject}`)) continue;
      if (s.daySubjects.size < config.maxDaySubjects) s.daySubjects.add(`!${p.subject}`);
      addUnexplained(s, 1, p.cats);
      const findings: Finding[] = [];
      const ev = [p.event];
      const u = checkUnexplained(s, config, ev);
      if (u !== undefined) findings.push(u);
      const slow = checkSlow(s, config, ev);
      if (slow.finding !== undefined) findings.push(slow.finding);
      judge(s, findings, Math.max(p.due, nowMs), slow.legal, out);
    }
    if (head > 4096 && head * 2 > queue.length) {
      queue.splice(0, head);
      head = 0;
    }
  }

  function addUnexplained(s: PersonState, n: number, cats: number): void {
    // A member counts towards the team's day only up to a cap, so one insider's thousands of records do not
    // make everyone else on the team look normal.
    const before = Math.min(s.dayUnexplained, config.teamMemberCap);
    s.dayUnexplained += n;
    s.team.unexplained += Math.min(s.dayUnexplained, config.teamMemberCap) - before;
    // Each record counts once, in its gravest category.
    let best = -1;
    for (let c = 0; c < LEGAL_CATEGORIES.length; c++) if ((cats & (1 << c)) !== 0 && (best < 0 || SERIOUS_ORDER[c]! < SERIOUS_ORDER[best]!)) best = c;
    if (best >= 0) s.dayCats[best]! += n;
  }

  function push(e: AccessEvent): Detection {
    const t = Date.parse(e.time);
    const out = { alerts: [] as Alert[], responses: [] as Response[] };
    if (t > nowMs) nowMs = t;
    settle(nowMs, out);
    const s = person(e.actor);
    const local = t + offset;
    rollDay(s, Math.floor(local / DAY));
    const hour = Math.floor((local % DAY) / HOUR);
    const findings: Finding[] = [];
    const add = (f: Finding | undefined): void => {
      if (f !== undefined) findings.push(f);
    };
    for (const f of checkSharing(s, e, t, config)) findings.push(f);
    add(checkRefusals(s, e, s.day));
    let legal = 0;
    if (DATA_ACTIONS.has(e.action) && e.outcome !== 'denied') {
      add(checkFirstDataset(s, e, config));
      add(checkOffHours(s, e, hour, config));
      const cats = categoryMask(e.fields, config.legalCategory);
      let canary: string | undefined;
      let unassignedNoTicket = e.subjects.length > 0 && e.ticket === undefined;
      const ticketed = e.ticket !== undefined && org.holdsTicket(e.actor, e.ticket, t + graceMs, closedGraceMs);
      // A query or export under a ticket the person holds (an incident, a change, an approved report) is
      // explained as a whole; a view needs a ticket about that very customer.
      const bulkExplained = ticketed && (e.action === 'query' || e.action === 'export');
      if (bulkExplained) unassignedNoTicket = false;
      for (const subject of e.subjects) {
        if (org.isCanary(subject)) canary ??= subject;
        if (bulkExplained) continue;
        if (org.isAssigned(e.actor, subject)) {
          unassignedNoTicket = false;
          continue;
        }
        if (org.ticketCovers(e.actor, subject, t, closedGraceMs)) continue;
        queue.push({ due: t + graceMs, at: t, person: s, subject, cats, event: e.id });
      }
      if (canary !== undefined) {
        findings.push({
          detector: 'canary', points: config.severityAt.critical, severity: 'critical', events: [e.id],
          reason: `${e.actor} touched canary record ${canary} (${e.action} on ${e.system}), a honeytoken that no real work reaches`,
        });
      }
      const rows = Math.max(0, (e.count ?? e.subjects.length) - e.subjects.length);
      s.dayRecords += e.subjects.length + (ticketed ? 0.02 * rows : rows);
      if (rows > 0 && !ticketed) addUnexplained(s, rows, cats);
      add(checkVolume(s, config, [e.id]));
      add(checkEnumeration(s, e));
      if (LOOKUPS.has(e.action) && unassignedNoTicket) add(checkCadence(s, e, t));
      if (rows > 0 && !ticketed) {
        add(checkUnexplained(s, config, [e.id]));
        const slow = checkSlow(s, config, [e.id]);
        add(slow.finding);
        legal = slow.legal;
      }
      s.hours[hour]! += 1;
      s.hoursTotal += 1;
    }
    learnPlaceAndDevice(s, e, config);
    judge(s, findings, t, legal, out);
    return out;
  }

  return {
    push,
    flush(until?: Date) {
      const out = { alerts: [] as Alert[], responses: [] as Response[] };
      const limit = until !== undefined ? until.getTime() : options.clock !== undefined ? options.clock.now().getTime() : nowMs;
      if (limit > nowMs) nowMs = limit;
      settle(limit, out);
      return out;
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
