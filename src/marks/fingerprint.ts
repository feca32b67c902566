import { createHmac } from 'node:crypto';
import { typeOfValue } from '../catalog/index.js';

/**
 * Export fingerprints: every value of an exported file that can be written in several equivalent ways (a
 * phone with or without separators, an ID number grouped or not, …) is written in the way a keyed hash of
 * (export id, customer id, kind) chooses. The same customer in two exports is written differently; the file
 * as a whole spells out its export id, spread over every row and column, so any 20 rows with any one of these
 * columns name it, in any order, after CSV ↔ XLSX, re-encoding or merging with other rows. Reading is by
 * likelihood: a row that disagrees (retyped, reformatted) lowers the score instead of breaking the code.
 */

/** The kinds of value that carry fingerprint bits, and how many equivalent writings each has. */
export const FINGERPRINT_KINDS = { cn_mobile: 4, cn_id_card: 2, bank_card: 2, email: 2, cn_address: 2 } as const;
export type FingerprintKind = keyof typeof FINGERPRINT_KINDS;

/** Where the written address may carry its space: after the first 区, 县, 旗 or 市 past the province name. */
function splitAddress(a: string): [string, string] | undefined {
  let at = -1;
  for (const suffix of ['区', '县', '旗', '市']) {
    const i = a.indexOf(suffix, 2);
    if (i > 0 && i < a.length - 1 && (at < 0 || i < at)) at = i;
  }
  return at < 0 ? undefined : [a.slice(0, at + 1), a.slice(at + 1)];
}

/** The canonical form of a value of a kind (what every writing of it reduces to). */
export function canonicalOf(kind: FingerprintKind, value: string): string {
  const v = value.trim();
  switch (kind) {
    case 'cn_mobile':
      return v.replace(/[\s()-]/g, '').replace(/^\+?86(?=1\d{10}$)/, '');
    case 'cn_id_card':
      return v.replace(/\s/g, '').toUpperCase();
    case 'bank_card':
      return v.replace(/[\s-]/g, '');
    case 'email':
      return v.toLowerCase();
    case 'cn_address':
      return v.replace(/\s+/g, '');
  }
}

/** Writes a canonical value in the given style. */
export function writeStyle(kind: FingerprintKind, canonical: string, style: number): string {
  switch (kind) {
    case 'cn_mobile': {
      const [a, b, c] = [canonical.slice(0, 3), canonical.slice(3, 7), canonical.slice(7)];
      // Not "+86 …": a leading + is a formula to spreadsheets (and CSV exports guard such cells with a ').
      return [canonical, `${a} ${b} ${c}`, `${a}-${b}-${c}`, `(+86) ${canonical}`][style]!;
    }
    case 'cn_id_card':
      return style === 0 ? canonical : `${canonical.slice(0, 6)} ${canonical.slice(6, 14)} ${canonical.slice(14)}`;
    case 'bank_card':
      return style === 0 ? canonical : canonical.replace(/(\d{4})(?=\d)/g, '$1 ');
    case 'email': {
      if (style === 0) return canonical;
      const at = canonical.lastIndexOf('@');
      return at < 0 ? canonical : canonical.slice(0, at + 1) + canonical.slice(at + 1).toUpperCase();
    }
    case 'cn_address': {
      if (style === 0) return canonical;
      const parts = splitAddress(canonical);
      return parts === undefined ? canonical : `${parts[0]} ${parts[1]}`;
    }
  }
}

/** Which style a written value is in, or undefined when it matches none (retyped, reformatted). */
export function styleOf(kind: FingerprintKind, value: string): number | undefined {
  const canonical = canonicalOf(kind, value);
  const v = value.trim();
  for (let s = 0; s < FINGERPRINT_KINDS[kind]; s++) if (writeStyle(kind, canonical, s) === v) return s;
  return undefined;
}

/** The kind of a written value, recognising every writing the fingerprint uses. */
export function kindOfValue(value: string): FingerprintKind | undefined {
  const v = value.trim();
  if (v.length === 0 || v.length > 256) return undefined;
  if (/^[\d\s()+-]{11,24}$/.test(v) && typeOfValue(canonicalOf('cn_mobile', v)) === 'cn_mobile') return 'cn_mobile';
  const compact = v.replace(/\s/g, '');
  const t = typeOfValue(/^[\d\sXx]{18,20}$/.test(v) ? compact : v) ?? (compact !== v ? typeOfValue(compact) : undefined);
  return t !== undefined && t in FINGERPRINT_KINDS ? (t as FingerprintKind) : undefined;
}

export interface Fingerprinter {
  /** The style a value of this customer is written in, in this export. */
  styleFor(exportId: string, subject: string, kind: FingerprintKind): number;
  /** The value written the way this export writes it (values of other kinds pass unchanged). */
  write(exportId: string, subject: string, kind: FingerprintKind, value: string): string;
}

export function createFingerprinter(key: Buffer): Fingerprinter {
  if (key.length < 32) throw new RangeError('the fingerprint key must have at least 32 bytes');
  const styleFor = (exportId: string, subject: string, kind: FingerprintKind): number =>
    createHmac('sha256', key).update(`custos-export-fp:${exportId}\u0000${subject}\u0000${kind}`).digest().readUInt32BE(0) % FINGERPRINT_KINDS[kind];
  return {
    styleFor,
    write: (exportId, subject, kind, value) => writeStyle(kind, canonicalOf(kind, value), styleFor(exportId, subject, kind)),
  };
}

/** One export that could be the source: its id, recipient and the customers it held. */
export interface ExportCandidate {
  readonly exportId: string;
  readonly recipient: string;
  readonly subjects: ReadonlySet<string>;
}

/** A leaked row: the customer it was resolved to, and its fingerprinted values by kind. */
export interface LeakedRow {
  readonly subject: string;
  readonly values: readonly { readonly kind: FingerprintKind; readonly value: string }[];
}

export interface ExportMatch {
  readonly exportId: string;
  readonly recipient: string;
  /** Leaked rows whose customer is in this export. */
  readonly rows: number;
  /** Fingerprinted values compared, and how many are written the way this export writes them. */
  readonly compared: number;
  readonly agreeing: number;
  /**
   * Log-likelihood ratio (nats) of "rows of this file were copied from this export" against "the values'
   * writing is unrelated to it", each row a mixture of both.
   */
  readonly score: number;
  /**
   * How far the agreement is from chance: the probability that writing unrelated to this export agrees as
   * often (a Poisson-binomial tail), times the number of candidates (Bonferroni).
   */
  readonly pValue: number;
  /** 1 − pValue, floored at 0: above 0.99 the file is this export's beyond reasonable doubt. */
  readonly confidence: number;
}

/** A value of the source export keeps its writing with this probability (the rest: edited, reformatted). */
const KEEP = 0.95;
/** Values the significance test looks at (the tail is O(n²) in them). */
const MAX_TAIL_VALUES = 3000;

/**
 * P(at least `x` successes) for independent trials with success probabilities `p` (Poisson-binomial), by
 * dynamic programming over the number of successes. `x` beyond the trials looked at is clamped.
 */
export function tailAtLeast(p: readonly number[], x: number): number {
  const k = Math.min(x, p.length);
  if (k <= 0) return 1;
  const dist = new Float64Array(p.length + 1);
  dist[0] = 1;
  for (let i = 0; i < p.length; i++) {
    const q = p[i]!;
    for (let j = i; j >= 0; j--) {
      dist[j + 1] = dist[j + 1]! + dist[j]! * q;
      dist[j] = dist[j]! * (1 - q);
    }
  }
  let tail = 0;
  for (let j = k; j <= p.length; j++) tail += dist[j]!;
  return Math.min(1, tail);
}

/** Prior share of a leaked row (of a customer in the export) that was copied from the export. */
const FROM_EXPORT = 0.5;

/**
 * Ranks the candidate exports by how well the leaked rows' writing agrees with each one's fingerprint. Only
 * rows of customers in an export count for it; a value in no known style counts as disagreeing.
 */
export function matchExports(fp: Fingerprinter, leaked: readonly LeakedRow[], candidates: readonly ExportCandidate[]): ExportMatch[] {
  const scored = candidates.map((c) => {
    let rows = 0;
    let compared = 0;
    let agreeing = 0;
    let score = 0;
    const chances: number[] = [];
    let agreeingTested = 0;
    for (const row of leaked) {
      if (!c.subjects.has(row.subject)) continue;
      rows++;
      // Likelihood ratio of this row's writing: copied from this export, against written some other way.
      let lr = 1;
      for (const { kind, value } of row.values) {
        const k = FINGERPRINT_KINDS[kind];
        compared++;
        const tested = chances.length < MAX_TAIL_VALUES;
        if (tested) chances.push(1 / k);
        if (styleOf(kind, value) === fp.styleFor(c.exportId, row.subject, kind)) {
          agreeing++;
          if (tested) agreeingTested++;
          lr *= KEEP * k;
        } else {
          lr *= ((1 - KEEP) * k) / Math.max(1, k - 1);
        }
      }
      // Each row may come from the export or from elsewhere (a leak merged with other data, the same customer
      // from another source): a mixture, so that foreign rows cost little and copied rows count fully.
      score += Math.log(FROM_EXPORT * lr + (1 - FROM_EXPORT));
    }
    return { exportId: c.exportId, recipient: c.recipient, rows, compared, agreeing, score, chances, agreeingTested };
  });
  const n = Math.max(1, candidates.length);
  return scored
    .map(({ chances, agreeingTested, ...s }) => {
      const pValue = Math.min(1, tailAtLeast(chances, agreeingTested) * n);
      return { ...s, score: Math.round(s.score * 100) / 100, pValue, confidence: 1 - pValue };
    })
    .sort((a, b) => b.score - a.score || a.pValue - b.pValue);
}
