import { SEVERITIES, type Alert, type Severity } from './detect-types.js';

/** The part of truth.json the scorecard needs. */
export interface TruthLike {
  readonly insiders: readonly { readonly actor: string; readonly scenario: string; readonly intensity: string; readonly began: string }[];
  /** Local dates each actor worked. */
  readonly worked: Readonly<Record<string, readonly string[]>>;
}

export interface InsiderScore {
  readonly actor: string;
  readonly scenario: string;
  readonly intensity: string;
  readonly detected: boolean;
  /** Event-time hours from the first abusive event to the first alert on the actor at or after it. */
  readonly hoursToDetect: number | null;
  readonly firstAlert: string | null;
}

export interface Scorecard {
  readonly insiders: readonly InsiderScore[];
  readonly detected: number;
  readonly medianHoursToDetect: number | null;
  readonly falseAlarmPersonDays: number;
  readonly innocentPersonDays: number;
  /** False-alarm person-days per 1,000 innocent person-days. */
  readonly falseAlarmRate: number;
  readonly minSeverity: Severity;
}

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const localDate = (ms: number, offsetHours: number): string => new Date(ms + offsetHours * 3_600_000).toISOString().slice(0, 10);

/**
 * Scores alerts against the truth: per insider, detected and time to detect; for everyone else (and
 * insiders before their abuse began), person-days with an alert per 1,000 person-days worked.
 * @example const card = scoreAlerts(truth, alerts, { minSeverity: 'low' });
 */
export function scoreAlerts(truth: TruthLike, alerts: readonly Alert[], options: { minSeverity?: Severity; utcOffsetHours?: number } = {}): Scorecard {
  const minSeverity = options.minSeverity ?? 'low';
  const offset = options.utcOffsetHours ?? 8;
  const floor = SEVERITIES.indexOf(minSeverity);
  const counted = alerts.filter((a) => SEVERITIES.indexOf(a.severity) >= floor);
  const began = new Map<string, number>();
  for (const i of truth.insiders) began.set(i.actor, Math.min(began.get(i.actor) ?? Infinity, Date.parse(i.began)));
  const first = new Map<string, Alert>();
  const falseDays = new Set<string>();
  for (const a of counted) {
    const t = Date.parse(a.time);
    const b = began.get(a.actor);
    if (b !== undefined && t >= b) {
      const f = first.get(a.actor);
      if (f === undefined || Date.parse(f.time) > t) first.set(a.actor, a);
    } else falseDays.add(`${a.actor}/${localDate(t, offset)}`);
  }
  let innocent = 0;
  for (const [actor, days] of Object.entries(truth.worked)) {
    const b = began.get(actor);
    const cut = b === undefined ? undefined : localDate(b, offset);
    for (const d of days) if (cut === undefined || d < cut) innocent++;
  }
  const insiders = truth.insiders.map((i): InsiderScore => {
    const f = first.get(i.actor);
    return {
      actor: i.actor, scenario: i.scenario, intensity: i.intensity, detected: f !== undefined,
      hoursToDetect: f === undefined ? null : Math.round(((Date.parse(f.time) - Date.parse(i.began)) / 3_600_000) * 100) / 100,
      firstAlert: f?.id ?? null,
    };
  });
  const ttd = insiders.flatMap((i) => (i.hoursToDetect === null ? [] : [i.hoursToDetect]));
  return {
    insiders,
    detected: ttd.length,
    medianHoursToDetect: median(ttd),
    falseAlarmPersonDays: falseDays.size,
    innocentPersonDays: innocent,
    falseAlarmRate: innocent === 0 ? 0 : Math.round((falseDays.size / innocent) * 1000 * 1000) / 1000,
    minSeverity,
  };
}

/** The scorecard as a plain-text table. */
export function formatScorecard(card: Scorecard): string {
  const lines = ['scenario  intensity  actor   detected  hours-to-detect'];
  for (const i of card.insiders) {
    lines.push(`${i.scenario.padEnd(9)} ${i.intensity.padEnd(10)} ${i.actor.padEnd(7)} ${(i.detected ? 'yes' : 'no').padEnd(9)} ${i.hoursToDetect === null ? '-' : i.hoursToDetect.toFixed(2)}`);
  }
  lines.push(
    `detected ${card.detected}/${card.insiders.length}; median hours to detect ${card.medianHoursToDetect === null ? '-' : card.medianHoursToDetect.toFixed(2)}`,
    `false alarms: ${card.falseAlarmPersonDays} person-days of ${card.innocentPersonDays} innocent person-days = ${card.falseAlarmRate} per 1,000 (alerts of severity ${card.minSeverity} and above)`,
  );
  return `${lines.join('\n')}\n`;
}
