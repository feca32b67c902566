/**
 * The legal categories of the 2017 SPC/SPP interpretation (CN-PII.md §1) and the weighted record score of
 * its Art. 5 item (6): `n50/50 + n500/500 + n5000/5000`, denominators halved for data obtained through
 * one's job (always the case for staff).
 */
export const LEGAL_CATEGORIES = ['property', 'whereabouts', 'credit', 'communication', 'safety', 'transaction', 'other'] as const;
export type LegalCategory = (typeof LEGAL_CATEGORIES)[number];

/** Records that make a case "serious" per category (Art. 5 ¶1 items 3–5), before halving. */
export const SERIOUS_RECORDS: Readonly<Record<LegalCategory, number>> = {
  property: 50, whereabouts: 50, credit: 50, communication: 50, safety: 500, transaction: 500, other: 5000,
};

/** A bit mask of categories, one bit per LEGAL_CATEGORIES index. */
export type CategoryMask = number;

/** The categories a set of fields touches, as a mask. @example categoryMask(['balance'], map) === 1 */
export function categoryMask(fields: readonly string[], map: Readonly<Record<string, LegalCategory>>): CategoryMask {
  let mask = 0;
  for (const f of fields) {
    const c = map[f];
    if (c !== undefined) mask |= 1 << LEGAL_CATEGORIES.indexOf(c);
  }
  return mask;
}

/** The most serious category in a mask (lowest threshold), or undefined for none. */
export function gravestCategory(mask: CategoryMask): LegalCategory | undefined {
  let best: LegalCategory | undefined;
  for (let i = 0; i < LEGAL_CATEGORIES.length; i++) {
    if ((mask & (1 << i)) === 0) continue;
    const c = LEGAL_CATEGORIES[i]!;
    if (best === undefined || SERIOUS_RECORDS[c] < SERIOUS_RECORDS[best]) best = c;
  }
  return best;
}

/**
 * The item-(6) score of record counts per category: 1.0 reaches "serious". Each record counts once, in its
 * gravest category. `insider` halves the thresholds.
 * @example legalScore({ property: 25 }, true) === 1
 */
export function legalScore(counts: Partial<Record<LegalCategory, number>>, insider: boolean): number {
  let s = 0;
  for (const c of LEGAL_CATEGORIES) {
    const n = counts[c] ?? 0;
    if (n > 0) s += n / (SERIOUS_RECORDS[c] * (insider ? 0.5 : 1));
  }
  return s;
}
