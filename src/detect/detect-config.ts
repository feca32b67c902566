import type { LegalCategory } from './legal-weight.js';
import type { ResponseKind, Severity } from './detect-types.js';

/** Detector configuration. Legal figures live here, not in code (CN-PII.md). */
export interface DetectorConfig {
  /** Local time offset for working hours (China: +8). */
  readonly utcOffsetHours: number;
  /** Field → legal category (CN-PII.md §1; see README.md for why each). */
  readonly legalCategory: Readonly<Record<string, LegalCategory>>;
  /** IP prefix → place, for account sharing and impossible travel. Unknown prefixes (VPN) have no place. */
  readonly ipPlaces: readonly { readonly prefix: string; readonly place: string }[];
  /** Fastest plausible move between two different places, in hours. */
  readonly travelHours: number;
  /** A view is explained if a ticket covering it is opened up to this long after it (calls before tickets). */
  readonly ticketGraceMinutes: number;
  /** A ticket still explains views this long after it closed. */
  readonly closedGraceHours: number;
  /** Half-life of a person's risk. */
  readonly riskHalfLifeHours: number;
  /** Risk at which each severity is raised. */
  readonly severityAt: Readonly<Record<Severity, number>>;
  /** Responses per severity, carried out by the server. */
  readonly responses: Readonly<Record<Severity, readonly ResponseKind[]>>;
  /** Days before a leaving date during which every finding weighs `leavingWeight` times more. */
  readonly leavingWindowDays: number;
  readonly leavingWeight: number;
  /** Active days before a person's own baseline replaces their peer group's. */
  readonly warmupDays: number;
  /** Days of the low-and-slow window. */
  readonly slowWindowDays: number;
  /** Unexplained records above one's usual level, summed over the window, that count as accumulation. */
  readonly slowExcessRecords: number;
  /** Fraction of the legal "serious" score at which low-and-slow starts to weigh. */
  readonly legalScoreAt: number;
  /** Unexplained records of one member that count towards the team's day at most (one insider cannot mask another). */
  readonly teamMemberCap: number;
  /** Unexplained records of one purpose in a day that are never a finding alone (the least threshold). */
  readonly unexplainedFloor: number;
  /** Points of a reveal with no assignment or ticket (a reveal needs one), and how many count per day. */
  readonly revealPoints: number;
  readonly revealsPerDay: number;
  /** Cap of distinct subjects remembered per person per day (memory bound). */
  readonly maxDaySubjects: number;
  /**
   * Roles whose work is investigation (they see no customer data): a canary named in their case or trace steps
   * (a case opened from a canary hit, a leaked file holding a canary row) is not a canary touch.
   */
  readonly investigatorRoles: readonly string[];
}

/** The tuned defaults (docs/detection.md). */
export const DEFAULT_CONFIG: DetectorConfig = {
  investigatorRoles: ['security_analyst'],
  utcOffsetHours: 8,
  legalCategory: {
    bank_card: 'property',
    balance: 'property',
    address: 'safety',
    name: 'other',
    mobile: 'other',
    id_number: 'other',
    email: 'other',
    employer: 'other',
  },
  ipPlaces: [
    { prefix: '10.1.', place: 'shanghai' },
    { prefix: '10.2.', place: 'beijing' },
    { prefix: '10.3.', place: 'shenzhen' },
    { prefix: '10.4.', place: 'chengdu' },
    { prefix: '58.60.', place: 'guangzhou' },
  ],
  travelHours: 2,
  ticketGraceMinutes: 15,
  closedGraceHours: 24,
  riskHalfLifeHours: 24,
  severityAt: { low: 5, medium: 8, high: 12, critical: 20 },
  responses: { low: [], medium: ['notify'], high: ['step_up', 'throttle', 'notify'], critical: ['suspend', 'notify'] },
  leavingWindowDays: 30,
  leavingWeight: 2,
  warmupDays: 5,
  slowWindowDays: 14,
  slowExcessRecords: 60,
  legalScoreAt: 0.2,
  teamMemberCap: 50,
  unexplainedFloor: 8,
  revealPoints: 2,
  revealsPerDay: 3,
  maxDaySubjects: 4096,
};

/** The default configuration with some keys replaced. */
export function withConfig(over: Partial<DetectorConfig> = {}): DetectorConfig {
  return { ...DEFAULT_CONFIG, ...over };
}

/** The place of an IP address by prefix, or undefined. @example placeOf('10.1.2.3', DEFAULT_CONFIG) === 'shanghai' */
export function placeOf(ip: string | undefined, config: DetectorConfig): string | undefined {
  if (ip === undefined) return undefined;
  for (const p of config.ipPlaces) if (ip.startsWith(p.prefix)) return p.place;
  return undefined;
}
