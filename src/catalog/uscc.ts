/** GB 32100-2015 Unified Social Credit Codes (CN-PII.md §4.2). */

export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Per ASCII code: the character's value in the charset, or -1. */
const CHARSET_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < USCC_CHARSET.length; i++) CHARSET_INDEX[USCC_CHARSET.charCodeAt(i)] = i;
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;
const LAYOUT = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;

/**
 * The check character for the first 17 characters of a USCC.
 * @example usccCheckChar('91350100M000100Y4') === '3'
 */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('usccCheckChar needs exactly 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const c = first17.charCodeAt(i);
    const v = c < 128 ? CHARSET_INDEX[c]! : -1;
    if (v < 0) throw new RangeError('usccCheckChar: character outside the GB 32100 charset');
    sum += v * WEIGHTS[i]!;
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!;
}

/** The layout of a USCC (charset, 6-digit division code); says nothing of the check character. */
export function hasUsccLayout(s: string): boolean {
  return s.length === 18 && LAYOUT.test(s);
}

/** True when the layout holds and the check character is right. */
export function isValidUscc(s: string): boolean {
  return hasUsccLayout(s) && usccCheckChar(s.slice(0, 17)) === s[17];
}
