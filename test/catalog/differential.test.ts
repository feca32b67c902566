/**
 * Differential tests against an independent oracle (`validator`): on 100,000 generated valid values and 100,000
 * corrupted ones per type, the detectors and validator agree, and where they may differ by design (validator
 * accepts mobile prefixes that MIIT never allocated) every difference is of that kind. Values are also found at
 * their exact offsets inside text.
 */
import validator from 'validator';
import { describe, expect, it } from 'vitest';
import { MOBILE_PREFIXES, scanText, typeOfValue } from '../../src/catalog/index.js';
import { createRandom, generateBirth, generateIdNumber, generateMobile, randomPlace, type Random } from '../../src/sim/index.js';

const N = 100_000;
const TODAY = new Date('2026-11-23T00:00:00Z');

function corruptDigits(rng: Random, v: string): string {
  const chars = [...v];
  switch (rng.int(0, 4)) {
    case 0: {
      // one digit changed
      const i = rng.int(0, chars.length - 1);
      const d = chars[i] === 'X' ? '0' : String((Number(chars[i]) + rng.int(1, 9)) % 10);
      chars[i] = d;
      return chars.join('');
    }
    case 1: {
      // two neighbours swapped (when they differ)
      const i = rng.int(0, chars.length - 2);
      [chars[i], chars[i + 1]] = [chars[i + 1]!, chars[i]!];
      return chars.join('');
    }
    case 2:
      return chars.slice(0, -1).join(''); // one digit short
    case 3:
      return chars.join('') + String(rng.int(0, 9)); // one digit long
    default: {
      const i = rng.int(0, chars.length - 1);
      chars.splice(i, 1);
      chars.splice(rng.int(0, chars.length), 0, String(rng.int(0, 9)));
      return chars.join('');
    }
  }
}

const oracleId = (v: string): boolean => validator.isIdentityCard(v, 'zh-CN');
const oracleMobile = (v: string): boolean => validator.isMobilePhone(v, 'zh-CN');

describe('ID numbers against validator.isIdentityCard(zh-CN)', () => {
  it(`agree on ${N.toLocaleString('en')} valid and ${N.toLocaleString('en')} corrupted values, and are found at their offsets in text`, () => {
    const rng = createRandom('differential-id');
    let valid = 0;
    let corrupted = 0;
    let corruptedStillValid = 0;
    let allowedDifferences = 0;
    for (let i = 0; i < N; i++) {
      const id = generateIdNumber(rng, randomPlace(rng), generateBirth(rng, 1930, 2012));
      const ours = typeOfValue(id, TODAY) === 'cn_id_card';
      expect(ours, 'a valid generated ID').toBe(true);
      expect(oracleId(id), 'the oracle on a valid generated ID').toBe(true);
      valid++;
      if (i % 20 === 0) {
        const text = `客户身份证号${id}，请核实。`;
        expect(scanText(text, { today: TODAY }).filter((f) => f.type === 'cn_id_card').map((f) => [f.start, f.end])).toEqual([[6, 24]]);
      }
      const bad = corruptDigits(rng, id);
      if (bad === id) continue;
      const o = oracleId(bad);
      const mine = typeOfValue(bad, TODAY) === 'cn_id_card';
      if (mine !== o) {
        // By design, a birth date before 1800 or after today is no ID here (CN-PII.md §4.1: (18|19|20)YY); validator
        // only checks that the date exists. Every other difference fails the test.
        const birth = Date.UTC(Number(bad.slice(6, 10)), Number(bad.slice(10, 12)) - 1, Number(bad.slice(12, 14)));
        // validator also lacks the Taiwan residents' residence permit prefix 830000 and the 2023 foreigner
        // permanent-residence layout (9 + the issuing province's code), and takes any 81xxxx/82xxxx area where the
        // residence permits of Hong Kong and Macau residents use exactly 810000/820000.
        const early = o && !mine && bad.length === 18 && (Number(bad.slice(6, 10)) < 1800 || birth > TODAY.getTime());
        const permit = o && !mine && /^8[12]/.test(bad) && bad.slice(2, 6) !== '0000';
        expect(early || permit || (!o && mine && (bad.startsWith('830000') || bad[0] === '9')), `ours ${String(mine)}, oracle ${String(o)}`).toBe(true);
        allowedDifferences++;
      }
      corrupted++;
      if (o) corruptedStillValid++;
    }
    expect(valid).toBe(N);
    expect(corrupted).toBeGreaterThan(N * 0.95);
    // A changed digit that keeps the check digit right is possible (a swap of equal weight mod 11), but rare.
    expect(corruptedStillValid).toBeLessThan(corrupted * 0.2);
    expect(allowedDifferences).toBeLessThan(corrupted * 0.01);
  }, 120_000);
});

describe('mobile numbers against validator.isMobilePhone(zh-CN)', () => {
  it(`agree on ${N.toLocaleString('en')} valid and ${N.toLocaleString('en')} corrupted values except where validator accepts unallocated prefixes`, () => {
    const rng = createRandom('differential-mobile');
    const allocated = new Set(MOBILE_PREFIXES);
    let differences = 0;
    for (let i = 0; i < N; i++) {
      const m = generateMobile(rng);
      expect(typeOfValue(m, TODAY)).toBe('cn_mobile');
      expect(oracleMobile(m)).toBe(true);
      if (i % 20 === 0) {
        const text = `联系电话：${m}。`;
        expect(scanText(text).filter((f) => f.type === 'cn_mobile').map((f) => [f.start, f.end])).toEqual([[5, 16]]);
      }
      const bad = corruptDigits(rng, m);
      const o = oracleMobile(bad);
      const mine = typeOfValue(bad, TODAY) === 'cn_mobile';
      if (mine !== o) {
        // The only difference allowed: validator's rule (1[3-9] + 9 digits) admits prefixes MIIT never allocated.
        expect(o && !mine && bad.length === 11 && !allocated.has(bad.slice(0, 3)), `ours ${String(mine)}, oracle ${String(o)}`).toBe(true);
        differences++;
      }
    }
    // Most corruptions are judged alike.
    expect(differences).toBeLessThan(N * 0.05);
  }, 120_000);
});
