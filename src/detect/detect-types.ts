/** Alert severity, lowest first. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The detectors, each with its own explanation. */
export const DETECTORS = [
  'canary', 'volume', 'unexplained', 'low-and-slow', 'enumeration', 'machine-cadence', 'off-hours', 'first-dataset', 'account-sharing',
  // Raised by the server itself, not from patterns: an emergency reveal that security must see at once.
  'break-glass',
] as const;
export type DetectorName = (typeof DETECTORS)[number];

/** An alert in the DESIGN.md format: `time` is the event time of the last event it rests on. */
export interface Alert {
  readonly id: string;
  readonly time: string;
  readonly actor: string;
  readonly detector: DetectorName;
  readonly severity: Severity;
  /** The person's risk when the alert was raised. */
  readonly score: number;
  /** One sentence for an analyst, ids only, no personal values. */
  readonly summary: string;
  /** Ids of the evidence events. */
  readonly events: readonly string[];
}

/** What the server does about an alert (each becomes a ledger event when carried out). */
export const RESPONSE_KINDS = ['step_up', 'throttle', 'suspend', 'notify'] as const;
export type ResponseKind = (typeof RESPONSE_KINDS)[number];

export interface Response {
  readonly kind: ResponseKind;
  readonly actor: string;
  /** The alert that asked for it. */
  readonly alert: string;
  readonly severity: Severity;
}

/** What one push returns: new alerts and the live responses they call for. */
export interface Detection {
  readonly alerts: readonly Alert[];
  readonly responses: readonly Response[];
}

/** One detector's finding on one event: risk points, a reason sentence and evidence. */
export interface Finding {
  readonly detector: DetectorName;
  readonly points: number;
  readonly reason: string;
  readonly events: readonly string[];
  /** Jump straight to this severity (canaries). */
  readonly severity?: Severity;
}
