/** GB 32100-2015 Unified Social Credit Codes (CN-PII.md §4.2). */

export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Per ASCII code: the character's value in the charset, or -1. */
const CHARSET_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < USCC_CHARSET.length; i++) CHARSET_INDEX[USCC_CHARSET.charCodeAt(i)] = i;
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

/**
 * The check character for the first 17 characters of a USCC.
 * @example usccCheckChar('91350100M000100Y4') === '3'
 */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('usccCheckChar needs exactly 17 characters');
  for (let i = 0; i < 17; i++) if (valueOf(first17.charCodeAt(i)) < 0) throw new RangeError('usccCheckChar: character outside the GB 32100 charset');
  return USCC_CHARSET[checkValueAt(first17, 0)]!;
}

/** The charset value of the code unit `c` (-1 outside the charset). */
const valueOf = (c: number): number => (c < 128 ? CHARSET_INDEX[c]! : -1);

/** The charset value of the check character for the 17 charset characters at `start` of `text`. */
function checkValueAt(text: string, start: number): number {
  let sum = 0;
  for (let k = 0; k < 17; k++) sum += valueOf(text.charCodeAt(start + k)) * WEIGHTS[k]!;
  return (31 - (sum % 31)) % 31;
}

/** The layout of a USCC (charset, 6-digit division code); says nothing of the check character. */
export function hasUsccLayout(s: string): boolean {
  return s.length === 18 && hasUsccLayoutAt(s, 0);
}

/**
 * {@link hasUsccLayout} for the 18 characters at `start` of `text` (the caller knows there are 18): two charset
 * characters (registration authority and kind), six digits (division code), ten charset characters.
 */
export function hasUsccLayoutAt(text: string, start: number): boolean {
  for (let k = 0; k < 18; k++) {
    const v = valueOf(text.charCodeAt(start + k));
    if (v < 0 || (k >= 2 && k < 8 && v > 9)) return false;
  }
  return true;
}

/** True when the layout holds and the check character is right. */
export function isValidUscc(s: string): boolean {
  return s.length === 18 && isValidUsccAt(s, 0);
}

/** {@link isValidUscc} for the 18 characters at `start` of `text` (the caller knows there are 18), read in place. */
export function isValidUsccAt(text: string, start: number): boolean {
  return hasUsccLayoutAt(text, start) && valueOf(text.charCodeAt(start + 17)) === checkValueAt(text, start);
}
