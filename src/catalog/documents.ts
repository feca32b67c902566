/** Travel documents and ID layouts (CN-PII.md §4.1, §4.5). */
import { isRealDate } from './id-card.js';

const PASSPORT = /^(?:E\d{8}|E[A-HJ-NP-Z]\d{7}|G\d{8}|[DSP]E\d{7})$/;
const PERMIT = /^[HM]\d{8}(?:\d{2})?$/;

/** The province prefixes of GB/T 2260 area codes (IDs keep abolished districts, so only these are checked). */
const PROVINCES = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83']);

/** PRC passport numbers: E + 8 digits, E + letter + 7 digits, G + 8 digits, DE/SE/PE + 7 digits. */
export function isValidPassport(s: string): boolean {
  return PASSPORT.test(s);
}

/** Mainland Travel Permit for Hong Kong and Macau residents: H or M + 8 digits, optionally + 2-digit renewal count. */
export function isValidHkMacauPermit(s: string): boolean {
  return PERMIT.test(s);
}

/**
 * True when an ID number's area code can be one: a province prefix, Taiwan (71), the residence permits of Hong
 * Kong, Macau and Taiwan residents (exactly 810000, 820000, 830000), or a 2023 foreigner permanent-residence ID
 * (9, then the issuing province's code).
 */
export function hasIdAreaPrefix(s: string): boolean {
  const p = s.slice(0, 2);
  if (p === '81' || p === '82' || p === '83') return s.slice(2, 6) === '0000';
  return s[0] === '9' ? PROVINCES.has(s.slice(1, 3)) : PROVINCES.has(p);
}

/** True when the first two digits are a province (or HK/Macau/Taiwan) prefix. */
export function hasProvincePrefix(s: string): boolean {
  return PROVINCES.has(s.slice(0, 2));
}

/** The old 15-digit ID (GB 11643-1989): province prefix and a real 19YY-MM-DD birth date; it has no check digit. */
export function isValidIdCard15(s: string): boolean {
  if (!/^\d{15}$/.test(s) || !hasIdAreaPrefix(s)) return false;
  return isRealDate(1900 + Number(s.slice(6, 8)), Number(s.slice(8, 10)), Number(s.slice(10, 12)));
}

/** An 18-character string laid out like an ID (province prefix, real birth date 1800–2099), whatever its check digit. */
export function looksLikeIdCard18(s: string): boolean {
  if (!/^\d{17}[\dXx]$/.test(s) || !hasIdAreaPrefix(s)) return false;
  const y = Number(s.slice(6, 10));
  return y >= 1800 && y <= 2099 && isRealDate(y, Number(s.slice(10, 12)), Number(s.slice(12, 14)));
}
