/** The check character the catalog does not compute: GB 11714 organization codes (inside a USCC). */

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

/**
 * GB 11714-1997 check character for an 8-digit organization code body: 11 − (Σ cᵢ·wᵢ mod 11), 10 → X, 11 → 0.
 * @example orgCodeCheck('19220382') === '1' // from USCC 914403001922038216
 */
export function orgCodeCheck(body: string): string {
  if (!/^\d{8}$/.test(body)) throw new RangeError('orgCodeCheck needs exactly 8 digits');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(body[i]) * ORG_WEIGHTS[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}
