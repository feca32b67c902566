/**
 * The in-place validators the text scanner calls (character codes, no substring, no regular expression) against
 * reference regular expressions written from the layouts (CN-PII.md §4.1, §4.2, §4.5), on generated strings that
 * are mostly near misses of valid values: the two must agree on every one.
 */
import { describe, expect, it } from 'vitest';
import { createRandom, type Random } from '../sim/index.js';
import { isRealDate } from './id-card.js';
import { isValidHkMacauPermit, isValidHkMacauPermitAt, isValidPassport, isValidPassportAt } from './documents.js';
import { hasUsccLayout, hasUsccLayoutAt, isValidUscc, isValidUsccAt, USCC_CHARSET } from './uscc.js';

const PASSPORT = /^(?:E\d{8}|E[A-HJ-NP-Z]\d{7}|G\d{8}|[DSP]E\d{7})$/;
const PERMIT = /^[HM]\d{8}(?:\d{2})?$/;
const USCC_LAYOUT = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The reference check: GB 32100's weighted sum, by indexOf in the charset. */
function usccReference(s: string): boolean {
  if (!USCC_LAYOUT.test(s)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(s[i]!) * USCC_WEIGHTS[i]!;
  return USCC_CHARSET[(31 - (sum % 31)) % 31] === s[17];
}

const ALPHABET = '0123456789EGDSPHMIOZVXxaeABCNRTUWY_%.-:@京 ';

/**
 * What stands before and after the value in the text: Han characters, and characters a validator reading past either
 * end would take as part of the value (digits, letters, ':', '.').
 */
const AROUND: readonly (readonly [string, string])[] = [['号', '。'], ['代码:', '，'], ['1', '2'], [':', ':'], ['.', '.'], ['E', 'X'], ['9', 'A'], ['', '']];

/**
 * A string of one of `lengths`, starting with one of `heads`, filled with digits (and, one time in `letters`, a
 * character of the credit-code charset), then 0–2 characters changed at random.
 */
function nearMiss(r: Random, heads: readonly string[], lengths: readonly number[], letters: number): string {
  let s = r.pick(heads);
  const len = r.pick(lengths);
  while (s.length < len) s += r.int(1, letters) === 1 ? r.pick([...USCC_CHARSET]) : String(r.int(0, 9));
  const chars = [...s.slice(0, len)];
  for (let k = r.int(0, 2); k > 0 && chars.length > 0; k--) chars[r.int(0, chars.length - 1)] = r.pick([...ALPHABET]);
  return chars.join('');
}

/** With a valid check character put in place, most of the time (so that valid codes are tested too). */
function withCheck(r: Random, s: string): string {
  if (s.length !== 18 || r.int(0, 2) === 0 || !USCC_LAYOUT.test(`${s.slice(0, 17)}0`)) return s;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(s[i]!) * USCC_WEIGHTS[i]!;
  return s.slice(0, 17) + USCC_CHARSET[(31 - (sum % 31)) % 31]!;
}

describe('in-place validators', () => {
  it('passport and permit numbers: the character-code checks agree with the layouts as regular expressions', () => {
    const r = createRandom('validators-documents');
    let passports = 0;
    let permits = 0;
    for (let i = 0; i < 200_000; i++) {
      const s = nearMiss(r, ['E', 'EA', 'EI', 'EO', 'EZ', 'G', 'DE', 'SE', 'PE', 'H', 'M', 'X', 'GE', 'e'], [7, 8, 9, 10, 11, 12], 30);
      // Inside a longer text, at an offset, as the scanner reads it.
      const [before, after] = r.pick(AROUND);
      const text = `${before}${s}${after}`;
      const at = before.length;
      const passport = PASSPORT.test(s);
      const permit = PERMIT.test(s);
      // One expect per disagreement only: an expect per iteration costs seconds.
      if (isValidPassport(s) !== passport) expect(isValidPassport(s), s).toBe(passport);
      if (isValidPassportAt(text, at, at + s.length) !== passport) expect(isValidPassportAt(text, at, at + s.length), text).toBe(passport);
      if (isValidHkMacauPermit(s) !== permit) expect(isValidHkMacauPermit(s), s).toBe(permit);
      if (isValidHkMacauPermitAt(text, at, at + s.length) !== permit) expect(isValidHkMacauPermitAt(text, at, at + s.length), text).toBe(permit);
      if (passport) passports++;
      if (permit) permits++;
    }
    // Both answers were seen many times: the agreement is not on rejections alone.
    expect(passports).toBeGreaterThan(2_000);
    expect(permits).toBeGreaterThan(2_000);
  });

  it('credit codes: the in-place layout and check agree with the layout regular expression and the weighted sum', () => {
    const r = createRandom('validators-uscc');
    let layouts = 0;
    let valid = 0;
    for (let i = 0; i < 200_000; i++) {
      const s = withCheck(r, nearMiss(r, ['91', '11', '12', '52', '93', 'Y1', 'I1', '9O', '5'], [17, 18, 18, 18, 19], 4));
      const [before, after] = r.pick(AROUND);
      const text = `${before}${s}${after}`;
      const at = before.length;
      const layout = USCC_LAYOUT.test(s);
      const ok = usccReference(s);
      if (hasUsccLayout(s) !== layout) expect(hasUsccLayout(s), s).toBe(layout);
      if (isValidUscc(s) !== ok) expect(isValidUscc(s), s).toBe(ok);
      if (s.length === 18) {
        if (hasUsccLayoutAt(text, at) !== layout) expect(hasUsccLayoutAt(text, at), text).toBe(layout);
        if (isValidUsccAt(text, at) !== ok) expect(isValidUsccAt(text, at), text).toBe(ok);
      }
      if (layout) layouts++;
      if (ok) valid++;
    }
    expect(layouts).toBeGreaterThan(10_000);
    expect(valid).toBeGreaterThan(5_000);
  });

  it('real dates: isRealDate agrees with the proleptic Gregorian calendar of Date on every y-m-d of 1700–2400 and out-of-range parts', () => {
    let real = 0;
    for (let y = 1700; y <= 2400; y++) {
      for (let m = -1; m <= 14; m++) {
        for (let d = -1; d <= 33; d++) {
          const date = new Date(0);
          date.setUTCFullYear(y, m - 1, d);
          const expected = m >= 1 && m <= 12 && d >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
          if (isRealDate(y, m, d) !== expected) expect(isRealDate(y, m, d), `${y}-${m}-${d}`).toBe(expected);
          if (expected) real++;
        }
      }
    }
    expect(real).toBe(701 * 365 + 170); // 170 leap years in 1700–2400
  });
});
