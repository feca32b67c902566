import type { AccessEvent } from '../../ledger/index.js';
import type { Org } from '../../detect/index.js';

/** The insider scenarios of INCIDENTS.md (S1–S6) plus a leaver taking data (L). */
export const SCENARIOS = ['S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'L'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** How hard an insider pushes, from blatant to a few extra records a day for weeks. */
export const INTENSITIES = ['blatant', 'moderate', 'subtle', 'slow'] as const;
export type Intensity = (typeof INTENSITIES)[number];

/** Knobs that make a world easier or harder. Defaults are the documented benchmark world. */
export interface WorldKnobs {
  /** Multiplies every role's daily volume of normal work (default 1). */
  readonly volume: number;
  /** Share of service calls looked up before their ticket exists (default 0.2). */
  readonly lateTickets: number;
  /** Share of service calls and counter visits with no ticket at all (default 0.08). */
  readonly noTicket: number;
  /** Chance per tele-sales team and weekday of a campaign with leads outside assignments (default 0.25). */
  readonly campaigns: number;
  /** Chance per engineer and day of night incident work over VPN (default 0.05). */
  readonly incidents: number;
  /** Chance per person and working day of overtime (default 0.1). */
  readonly overtime: number;
  /** Insiders per scenario and intensity (default 1; 0 gives an innocent world). */
  readonly insidersPerCell: number;
  /** Which scenarios to plant (default all). */
  readonly scenarios: readonly Scenario[];
  /** Which intensities to plant (default all). */
  readonly intensities: readonly Intensity[];
}

export interface WorldOptions extends Partial<WorldKnobs> {
  readonly days: number;
  readonly staff: number;
  readonly customers: number;
  readonly seed: string;
  /** First day of the world, a local (UTC+8) date `YYYY-MM-DD` (default 2026-01-05, a Monday). */
  readonly start?: string;
}

/** One insider in the ground truth. */
export interface TruthInsider {
  /** The account the abuse runs under (for S5, the borrowed account). */
  readonly actor: string;
  readonly scenario: Scenario;
  readonly intensity: Intensity;
  /** Event time of the first abusive event (ISO). */
  readonly began: string;
  /** Ids of the abusive events. */
  readonly events: readonly string[];
}

/** truth.json: who abused, how and when, and the person-days each actor worked (for false-alarm rates). */
export interface Truth {
  readonly world: { readonly seed: string; readonly days: number; readonly staff: number; readonly customers: number; readonly start: string; readonly knobs: WorldKnobs };
  readonly insiders: readonly TruthInsider[];
  /** Local dates (UTC+8) on which each actor produced events. */
  readonly worked: Readonly<Record<string, readonly string[]>>;
}

/** Receives the events of a world in time order. */
export interface EventWriter {
  write(event: AccessEvent): void;
}

export interface WorldResult {
  readonly org: Org;
  readonly truth: Truth;
  readonly events: number;
}
