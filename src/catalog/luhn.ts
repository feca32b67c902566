/** Luhn (ISO/IEC 7812) check digit over a string of digits. */

/**
 * The digit to append to `payload` so that the whole passes Luhn.
 * @example luhnCheckDigit('620000000000000') === '5'
 */
export function luhnCheckDigit(payload: string): string {
  if (!/^\d+$/.test(payload)) throw new RangeError('luhnCheckDigit needs digits');
  let sum = 0;
  // The check digit will sit at the right, so the payload's rightmost digit is doubled.
  for (let i = payload.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
    let v = payload.charCodeAt(i) - 48;
    if (dbl) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  return String((10 - (sum % 10)) % 10);
}

/** True when the digits pass the Luhn check. */
export function isLuhnValid(digits: string): boolean {
  if (digits.length < 2 || !/^\d+$/.test(digits)) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === digits[digits.length - 1];
}
