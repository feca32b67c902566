/**
 * Where a leak stands against the criminal-law thresholds of 法释〔2017〕10号 Art. 5 (figures in law.ts).
 * Integer arithmetic only: a figure equal to a threshold reaches it, and a proportional mix that adds up to
 * exactly one threshold is never lost to rounding.
 */
import { LEGAL_CATEGORIES, type LegalCategory } from '../catalog/index.js';
import { CRIMINAL, type LegalSource } from './law.js';

export const SEVERITY_LEVELS = ['below', 'serious', 'particularly_serious'] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];

export interface SeverityInput {
  /** Records affected per legal category (a record = one person's information of that category). */
  readonly records: Partial<Record<LegalCategory, number>>;
  /** Obtained while performing duties or providing services (staff, outsourced agents): thresholds halved. */
  readonly insider: boolean;
  /** Illegal gains in fen (1/100 yuan), when a figure is known. */
  readonly illegalGainFen?: number;
}

export interface Severity {
  readonly level: SeverityLevel;
  /** Level by records alone, and by gains alone (null when no figure is known). */
  readonly byRecords: SeverityLevel;
  readonly byGain: SeverityLevel | null;
  readonly insider: boolean;
  readonly records: Readonly<Record<LegalCategory, number>>;
  /** The "serious" threshold per category as applied (halved for insiders). */
  readonly thresholds: Readonly<Record<LegalCategory, number>>;
  /** The gain thresholds as applied, in yuan. */
  readonly gainThresholdsYuan: { readonly serious: number; readonly particularlySerious: number };
  /** Σ records / threshold over the categories: 1 is "serious", 10 "particularly serious" (rounded to 4 places). */
  readonly proportion: number;
  /** Categories that reach the "serious" threshold on their own. */
  readonly categoriesAtThreshold: readonly LegalCategory[];
  readonly reasons: readonly string[];
  readonly basis: readonly LegalSource[];
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The least common multiple of the thresholds: every category's weight is then a whole number. */
const SCALE = LEGAL_CATEGORIES.reduce((l, c) => (l * CRIMINAL.seriousRecords[c]) / gcd(l, CRIMINAL.seriousRecords[c]), 1);

function count(n: number | undefined, what: string): number {
  const v = n ?? 0;
  if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${what} must be a whole number of records, not negative`);
  return v;
}

/**
 * Where a set of affected records (and a gain, if known) stands: "serious" when one category reaches its
 * threshold, when the categories reach it added in proportion, or when the gain reaches ¥5,000; "particularly
 * serious" at ten times either; every threshold halved for records obtained through one's job.
 *
 * @example assessSeverity({ records: { property: 25 }, insider: true }).level // 'serious'
 */
export function assessSeverity(input: SeverityInput): Severity {
  const { numerator: fn, denominator: fd } = CRIMINAL.insiderFactor;
  const num = input.insider ? fn : 1;
  const den = input.insider ? fd : 1;
  const multiple = CRIMINAL.particularlySeriousMultiple;
  const records = {} as Record<LegalCategory, number>;
  const thresholds = {} as Record<LegalCategory, number>;
  let units = 0;
  const alone: LegalCategory[] = [];
  for (const c of LEGAL_CATEGORIES) {
    const n = count(input.records[c], `records of ${c}`);
    const t = CRIMINAL.seriousRecords[c];
    records[c] = n;
    thresholds[c] = (t * num) / den;
    units += n * (SCALE / t);
    // n ≥ t·num/den, without fractions.
    if (n > 0 && n * den >= t * num) alone.push(c);
  }
  // Σ n_c / (t_c·num/den) ≥ k  ⇔  units·den ≥ k·SCALE·num.
  const byRecords: SeverityLevel = units * den >= multiple * SCALE * num ? 'particularly_serious' : units * den >= SCALE * num ? 'serious' : 'below';
  const seriousFen = CRIMINAL.seriousGainYuan * 100;
  let byGain: SeverityLevel | null = null;
  if (input.illegalGainFen !== undefined) {
    const g = count(input.illegalGainFen, 'the illegal gain');
    byGain = g * den >= multiple * seriousFen * num ? 'particularly_serious' : g * den >= seriousFen * num ? 'serious' : 'below';
  }
  const level = byGain === null ? byRecords : worseLevel(byRecords, byGain);
  const gainThresholdsYuan = { serious: (CRIMINAL.seriousGainYuan * num) / den, particularlySerious: (multiple * CRIMINAL.seriousGainYuan * num) / den };
  const proportion = Math.round(((units * den) / (SCALE * num)) * 10_000) / 10_000;

  const reasons: string[] = [];
  const half = input.insider ? ' (halved: obtained through their job, Art. 5 ¶1 (8))' : '';
  for (const c of alone) reasons.push(`${records[c]} records of ${c} reach the threshold of ${thresholds[c]}${half}`);
  if (alone.length === 0 && byRecords !== 'below') reasons.push(`the categories added in proportion reach ${proportion} times the threshold (Art. 5 ¶1 (6))${half}`);
  if (byRecords === 'particularly_serious') reasons.push(`records at ${proportion} times the threshold: ten times or more is particularly serious (Art. 5 ¶2)`);
  if (byGain !== null && byGain !== 'below') reasons.push(`illegal gains of ¥${(input.illegalGainFen ?? 0) / 100} reach ¥${byGain === 'serious' ? gainThresholdsYuan.serious : gainThresholdsYuan.particularlySerious}${half}`);
  if (level === 'below') reasons.push(`below the thresholds: ${proportion} of the serious threshold by records${byGain === null ? ', no gain figure entered' : ''}`);

  const basis: LegalSource[] = [CRIMINAL.offenceSource, CRIMINAL.seriousRecordsSource, CRIMINAL.proportionSource, CRIMINAL.particularlySeriousSource];
  if (input.insider) basis.push(CRIMINAL.insiderSource);
  if (byGain !== null) basis.push(CRIMINAL.seriousGainSource);
  return { level, byRecords, byGain, insider: input.insider, records, thresholds, gainThresholdsYuan, proportion, categoriesAtThreshold: alone, reasons, basis };
}

/** The worse of two levels. */
export function worseLevel(a: SeverityLevel, b: SeverityLevel): SeverityLevel {
  return SEVERITY_LEVELS.indexOf(a) >= SEVERITY_LEVELS.indexOf(b) ? a : b;
}
