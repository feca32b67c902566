/** GB 11643-1999 resident ID numbers: 6-digit area + YYYYMMDD + 3-digit sequence + ISO 7064 MOD 11-2 check. */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/**
 * The check character for the first 17 digits of an 18-digit ID number.
 * @example idCardCheckDigit('11010519491231002') === 'X'
 */
export function idCardCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('idCardCheckDigit needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK[sum % 11]!;
}

/** True when y-m-d is a real calendar date. */
export function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

/**
 * Full validation of an 18-digit ID number: layout, a real birth date between 1800 and `today`, and the
 * check character (upper- or lower-case x accepted).
 */
export function isValidIdCard18(s: string, today: Date = new Date()): boolean {
  if (s.length !== 18 || !/^[1-9]\d{16}[\dXx]$/.test(s)) return false;
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  if (y < 1800 || !isRealDate(y, m, d)) return false;
  if (Date.UTC(y, m - 1, d) > today.getTime()) return false;
  return idCardCheckDigit(s.slice(0, 17)) === s[17]!.toUpperCase();
}
