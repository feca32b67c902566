/** GB 11643-1999 resident ID numbers: 6-digit area + YYYYMMDD + 3-digit sequence + ISO 7064 MOD 11-2 check. */
import { digitsValue } from './digits.js';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/** The index in CHECK of the check character for the 17 digits at `start` of `text`. */
function checkIndexAt(text: string, start: number): number {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (text.charCodeAt(start + i) - 48) * WEIGHTS[i]!;
  return sum % 11;
}

/**
 * The check character for the first 17 digits of an 18-digit ID number.
 * @example idCardCheckDigit('11010519491231002') === 'X'
 */
export function idCardCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idCardCheckDigit needs exactly 17 digits');
  return CHECK[checkIndexAt(first17, 0)]!;
}

/** Days per month (index 1–12; February apart). */
const MONTH_DAYS = new Uint8Array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);

/** True when y-m-d is a real calendar date. */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  if (m !== 2) return d <= MONTH_DAYS[m]!;
  return d <= ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28);
}

/**
 * Full validation of an 18-digit ID number: layout, a real birth date between 1800 and `today`, and the
 * check character (upper- or lower-case x accepted).
 */
export function isValidIdCard18(s: string, today: Date = new Date()): boolean {
  if (s.length !== 18 || !/^\d{17}[\dXx]$/.test(s)) return false;
  return isValidIdCard18At(s, 0, dayNumber(today));
}

/** A date's UTC calendar day as one comparable number, yyyymmdd (NaN for an invalid date). */
export function dayNumber(d: Date): number {
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

/**
 * {@link isValidIdCard18} for the 18 characters at `start` of `text`, which the caller knows are 17 digits and
 * a digit or X/x (the scanner reads IDs in place, without cutting them out of the text); `today` is dayNumber(today).
 */
export function isValidIdCard18At(text: string, start: number, today: number): boolean {
  if (text.charCodeAt(start) === 48) return false;
  const y = digitsValue(text, start + 6, 4);
  const m = digitsValue(text, start + 10, 2);
  const d = digitsValue(text, start + 12, 2);
  if (y < 1800 || !isRealDate(y, m, d)) return false;
  // A birth day after today's (UTC) is no birth date; compared as yyyymmdd.
  if (y * 10000 + m * 100 + d > today) return false;
  const last = text.charCodeAt(start + 17);
  return CHECK.charCodeAt(checkIndexAt(text, start)) === (last === 120 ? 88 : last); // x → X
}
