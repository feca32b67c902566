/** Travel documents and ID layouts (CN-PII.md §4.1, §4.5). */
import { allDigitsAt, digitsValue } from './digits.js';
import { isRealDate } from './id-card.js';

/** The province prefixes of GB/T 2260 area codes (IDs keep abolished districts, so only these are checked). */
const PROVINCE_LIST = ['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83'];
/** Per two-digit number 0–99: 1 for a province prefix. */
const PROVINCES = new Uint8Array(100);
for (const p of PROVINCE_LIST) PROVINCES[Number(p)] = 1;

/** True when the two characters at `at` of `text` are digits making a province (or HK/Macau/Taiwan) prefix. */
export function hasProvincePrefixAt(text: string, at: number): boolean {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 && PROVINCES[a * 10 + b] === 1;
}

/** PRC passport numbers: E + 8 digits, E + letter + 7 digits, G + 8 digits, DE/SE/PE + 7 digits. */
export function isValidPassport(s: string): boolean {
  return isValidPassportAt(s, 0, s.length);
}

/** {@link isValidPassport} for `start`..`end` of `text`, read in place. */
export function isValidPassportAt(text: string, start: number, end: number): boolean {
  if (end - start !== 9 || !allDigitsAt(text, start + 2, end)) return false;
  const c0 = text.charCodeAt(start);
  const c1 = text.charCodeAt(start + 1);
  const digit1 = c1 >= 48 && c1 <= 57;
  // E + a capital letter other than I and O (E + digit is E + 8 digits).
  if (c0 === 69) return digit1 || (c1 >= 65 && c1 <= 90 && c1 !== 73 && c1 !== 79);
  if (c0 === 71) return digit1; // G
  return (c0 === 68 || c0 === 83 || c0 === 80) && c1 === 69; // DE, SE, PE
}

/** Mainland Travel Permit for Hong Kong and Macau residents: H or M + 8 digits, optionally + 2-digit renewal count. */
export function isValidHkMacauPermit(s: string): boolean {
  return isValidHkMacauPermitAt(s, 0, s.length);
}

/** {@link isValidHkMacauPermit} for `start`..`end` of `text`, read in place. */
export function isValidHkMacauPermitAt(text: string, start: number, end: number): boolean {
  const c0 = text.charCodeAt(start);
  return (end - start === 9 || end - start === 11) && (c0 === 72 || c0 === 77) && allDigitsAt(text, start + 1, end);
}

/**
 * True when an ID number's area code can be one: a province prefix, Taiwan (71), the residence permits of Hong
 * Kong, Macau and Taiwan residents (exactly 810000, 820000, 830000), or a 2023 foreigner permanent-residence ID
 * (9, then the issuing province's code).
 */
export function hasIdAreaPrefix(s: string): boolean {
  return hasIdAreaPrefixAt(s, 0);
}

/** {@link hasIdAreaPrefix} for the ID number at `start` of `text`. */
export function hasIdAreaPrefixAt(text: string, start: number): boolean {
  const a = text.charCodeAt(start);
  const b = text.charCodeAt(start + 1);
  if (a === 56 && b >= 49 && b <= 51) return text.startsWith('0000', start + 2); // 81, 82, 83
  return a === 57 ? hasProvincePrefixAt(text, start + 1) : hasProvincePrefixAt(text, start);
}

/** The old 15-digit ID (GB 11643-1989): province prefix and a real 19YY-MM-DD birth date; it has no check digit. */
export function isValidIdCard15(s: string): boolean {
  return /^\d{15}$/.test(s) && isValidIdCard15At(s, 0);
}

/** {@link isValidIdCard15} for the 15 characters at `start` of `text`, which the caller knows are digits. */
export function isValidIdCard15At(text: string, start: number): boolean {
  if (!hasIdAreaPrefixAt(text, start)) return false;
  return isRealDate(1900 + digitsValue(text, start + 6, 2), digitsValue(text, start + 8, 2), digitsValue(text, start + 10, 2));
}

/** An 18-character string laid out like an ID (province prefix, real birth date 1800–2099), whatever its check digit. */
export function looksLikeIdCard18(s: string): boolean {
  return /^\d{17}[\dXx]$/.test(s) && looksLikeIdCard18At(s, 0);
}

/** {@link looksLikeIdCard18} for the 18 characters at `start` of `text`, which the caller knows are 17 digits and a digit or X/x. */
export function looksLikeIdCard18At(text: string, start: number): boolean {
  if (!hasIdAreaPrefixAt(text, start)) return false;
  const y = digitsValue(text, start + 6, 4);
  return y >= 1800 && y <= 2099 && isRealDate(y, digitsValue(text, start + 10, 2), digitsValue(text, start + 12, 2));
}
