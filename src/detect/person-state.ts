import type { DetectorConfig } from './detect-config.js';
import type { OrgLookup } from './org.js';

/** An exponentially weighted mean and variance (learning rate `alpha`). */
export class Ewma {
  mean = 0;
  variance = 0;
  n = 0;
  update(x: number, alpha: number): void {
    if (this.n === 0) {
      this.mean = x;
      this.variance = 0;
    } else {
      const a = Math.max(alpha, 1 / (this.n + 1));
      const d = x - this.mean;
      this.mean += a * d;
      this.variance = (1 - a) * (this.variance + a * d * d);
    }
    this.n++;
  }
  get sd(): number {
    return Math.sqrt(this.variance);
  }
}

/** Baselines of a peer group (same department and role), learned from its members' finished days. */
export class PeerState {
  readonly records = new Ewma();
  /** Unexplained records per purpose above the team's day, per member-day (bounded: {@link MAX_PEER_PURPOSES}). */
  readonly purposes = new Map<string, Ewma>();
  purpose(name: string): Ewma | undefined {
    let b = this.purposes.get(name);
    if (b === undefined && this.purposes.size < MAX_PEER_PURPOSES) this.purposes.set(name, (b = new Ewma()));
    return b;
  }
}

/** Purposes a person is followed under separately; further purposes share one more slot. */
export const PURPOSE_SLOTS = 4;
/** The name of the shared slot (and of lookups that state no purpose). */
export const OTHER_PURPOSE = '*';
const MAX_PEER_PURPOSES = 32;
const MAX_TEAM_PURPOSES = 32;

/** A team's unexplained records of one purpose today: the total (members capped) and its busiest member. */
export class TeamPurpose {
  total = 0;
  top = 0;
  topId = '';
}

/** Today's running totals of a team (same manager), for "is the whole team doing this today?". */
export class TeamDay {
  day = -1;
  active = 0;
  /** Unexplained records per purpose today (each member counted up to a cap). */
  purposes = new Map<string, TeamPurpose>();
  /** The day before, for members who close their day after the team has moved on. */
  prevActive = 0;
  prevPurposes = new Map<string, TeamPurpose>();

  /** Starts day `day`, keeping today's figures as the day before when it is the next day. */
  roll(day: number): void {
    const next = this.day === day - 1;
    this.prevActive = next ? this.active : 0;
    const old = this.prevPurposes;
    this.prevPurposes = this.purposes;
    if (!next) this.prevPurposes.clear();
    old.clear();
    this.purposes = old;
    this.day = day;
    this.active = 0;
  }

  /** Adds `n` records of a member whose (capped) count of the purpose is now `count`. */
  addPurpose(name: string, member: string, n: number, count: number): void {
    let p = this.purposes.get(name);
    if (p === undefined) {
      if (this.purposes.size >= MAX_TEAM_PURPOSES) return;
      this.purposes.set(name, (p = new TeamPurpose()));
    }
    p.total += n;
    if (count > p.top) {
      p.top = count;
      p.topId = member;
    }
  }
}

export interface SessionSeen {
  session: string;
  device: string;
  place: string | undefined;
  lastMs: number;
}

const CATS = 7;

/** Everything the detectors remember about one person; bounded in size whatever the stream length. */
export class PersonState {
  readonly id: string;
  readonly peer: PeerState;
  readonly team: TeamDay;
  readonly leavingMs: number;
  // today
  day = -1;
  dayRecords = 0;
  dayUnexplained = 0;
  readonly dayCats = new Float64Array(CATS);
  readonly daySubjects = new Set<string>();
  volumeLevel = 0;
  unexplainedLevel = 0;
  /** Unexplained reveals today (a reveal needs a ticket; one without is a finding of its own). */
  dayReveals = 0;
  // unexplained records per purpose: names of the followed purposes, today's counts, baselines and levels
  readonly purposes: string[] = [];
  readonly purposeDay = new Float64Array(PURPOSE_SLOTS + 1);
  readonly purposeBase: readonly Ewma[] = Array.from({ length: PURPOSE_SLOTS + 1 }, () => new Ewma());
  readonly purposeLevel = new Uint8Array(PURPOSE_SLOTS + 1);
  fired = 0; // bit set of once-a-day findings
  /** The last frozen (shared) fields list of the person's lookups, of at most 16 members, and the mask of its legal categories. */
  fieldsSeen: readonly string[] | undefined;
  fieldsMask = 0;
  // history
  readonly records = new Ewma();
  activeDays = 0;
  readonly hours = new Float64Array(24);
  hoursTotal = 0;
  readonly systems = new Set<string>();
  readonly devices = new Set<string>();
  readonly places = new Map<string, number>();
  // low and slow: one slot per day of the window, excess records overall and per legal category
  readonly slowExcess: Float64Array;
  readonly slowCats: Float64Array;
  /** Sums of the window's closed days other than today's slot (kept at each day roll). */
  slowPast = 0;
  readonly slowPastCats = new Float64Array(CATS);
  slowLevel = 0;
  legalLevel = 0;
  /** The legal score of the window at the last low-and-slow check. */
  legal = 0;
  // enumeration and cadence
  seqLast = NaN;
  seqRun = 0;
  readonly gaps = new Float64Array(20);
  gapCount = 0;
  lastCandidateMs = NaN;
  // sharing
  readonly sessions: SessionSeen[] = [];
  lastPlace: string | undefined;
  lastPlaceMs = NaN;
  /** The previous event's session context, for the fast path of events that change nothing of it. */
  lastSession: SessionSeen | undefined;
  lastIp: string | undefined;
  lastIpPlace: string | undefined;
  lastDevice: string | undefined;
  contextDay = -1;
  // risk and episodes
  risk = 0;
  riskMs = NaN;
  episodeLevel = -1;
  readonly evidence: string[] = [];

  constructor(id: string, peer: PeerState, team: TeamDay, org: OrgLookup, config: DetectorConfig) {
    this.id = id;
    this.peer = peer;
    this.team = team;
    this.leavingMs = org.leavingMs(id);
    this.slowExcess = new Float64Array(config.slowWindowDays);
    this.slowCats = new Float64Array(config.slowWindowDays * CATS);
  }

  /** Baseline of daily records: one's own after warm-up, else the peer group's. */
  baseline(config: DetectorConfig): { readonly records: Ewma } {
    return this.activeDays >= config.warmupDays ? this : this.peer;
  }

  /** The slot of a purpose: its own while there is room, else the shared one. */
  purposeSlot(purpose: string | undefined): number {
    const name = purpose ?? OTHER_PURPOSE;
    const i = this.purposes.indexOf(name);
    if (i >= 0) return i;
    if (this.purposes.length < PURPOSE_SLOTS && name !== OTHER_PURPOSE) {
      this.purposes.push(name);
      return this.purposes.length - 1;
    }
    return PURPOSE_SLOTS;
  }

  /** The name of a slot. */
  purposeName(slot: number): string {
    return slot < this.purposes.length ? this.purposes[slot]! : OTHER_PURPOSE;
  }

  addEvidence(ids: readonly string[]): void {
    for (const id of ids) {
      if (this.evidence.includes(id)) continue;
      this.evidence.push(id);
      if (this.evidence.length > 20) this.evidence.shift();
    }
  }
}

export const CATEGORY_SLOTS = CATS;
