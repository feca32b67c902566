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
  readonly unexplained = new Ewma();
}

/** Today's running totals of a team (same manager), for "is the whole team doing this today?". */
export class TeamDay {
  day = -1;
  active = 0;
  unexplained = 0;
  /** The day before, for members who close their day after the team has moved on. */
  prevActive = 0;
  prevUnexplained = 0;
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
  fired = 0; // bit set of once-a-day findings
  // history
  readonly records = new Ewma();
  readonly unexplained = new Ewma();
  activeDays = 0;
  readonly hours = new Float64Array(24);
  hoursTotal = 0;
  readonly systems = new Set<string>();
  readonly devices = new Set<string>();
  readonly places = new Map<string, number>();
  // low and slow: one slot per day of the window, excess records overall and per legal category
  readonly slowExcess: Float64Array;
  readonly slowCats: Float64Array;
  slowLevel = 0;
  legalLevel = 0;
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

  /** Baseline of daily records and unexplained records: one's own after warm-up, else the peer group's. */
  baseline(config: DetectorConfig): { records: Ewma; unexplained: Ewma } {
    return this.activeDays >= config.warmupDays ? this : this.peer;
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
