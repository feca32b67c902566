/** Luhn (ISO/IEC 7812) check digit over a string of digits. */

/** The Luhn sum of the digits in `start`..`end` of `text`, doubling every second digit from the right one when `doubleLast`. */
export function luhnSum(text: string, start: number, end: number, doubleLast: boolean): number {
  let sum = 0;
  for (let i = end - 1, dbl = doubleLast; i >= start; i--, dbl = !dbl) {
    let v = text.charCodeAt(i) - 48;
    if (dbl) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return sum;
}

/**
 * The digit to append to `payload` so that the whole passes Luhn.
 * @example luhnCheckDigit('620000000000000') === '5'
 */
export function luhnCheckDigit(payload: string): string {
  if (!/^\d+$/.test(payload)) throw new RangeError('luhnCheckDigit needs digits');
  // The check digit will sit at the right, so the payload's rightmost digit is doubled.
  return String((10 - (luhnSum(payload, 0, payload.length, true) % 10)) % 10);
}

/** True when the digits pass the Luhn check. */
export function isLuhnValid(digits: string): boolean {
  if (digits.length < 2 || !/^\d+$/.test(digits)) return false;
  return isLuhnValidAt(digits, 0, digits.length);
}

/** {@link isLuhnValid} for `start`..`end` of `text`, which the caller knows are 2 or more digits. */
export function isLuhnValidAt(text: string, start: number, end: number): boolean {
  return luhnSum(text, start, end, false) % 10 === 0;
}
