/** Digits read in place from a text (character codes, no substring): the helpers every in-place validator shares. */

/** True for the character code of an ASCII digit. */
export const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** True when `start`..`end` of `text` are all digits. */
export function allDigitsAt(text: string, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (!isDigit(text.charCodeAt(k))) return false;
  return true;
}

/** The number written by the `n` digits at `start` of `text` (the caller knows they are digits). */
export function digitsValue(text: string, start: number, n: number): number {
  let v = 0;
  for (let i = start; i < start + n; i++) v = v * 10 + text.charCodeAt(i) - 48;
  return v;
}
