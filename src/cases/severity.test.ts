import { describe, expect, it } from 'vitest';
import type { LegalCategory } from '../catalog/index.js';
import { CRIMINAL } from './law.js';
import { assessSeverity, worseLevel } from './severity.js';

const level = (records: Partial<Record<LegalCategory, number>>, insider = false, illegalGainFen?: number) =>
  assessSeverity({ records, insider, ...(illegalGainFen !== undefined ? { illegalGainFen } : {}) }).level;

describe('severity against 法释〔2017〕10号 Art. 5', () => {
  describe.each([
    ['whereabouts', 50],
    ['communication_content', 50],
    ['credit', 50],
    ['property', 50],
    ['accommodation', 500],
    ['communication_records', 500],
    ['health', 500],
    ['transaction', 500],
    ['other', 5000],
  ] as const)('%s (serious at %i records)', (category, t) => {
    it(`is below at ${t - 1} and serious at ${t}`, () => {
      expect(level({ [category]: t - 1 })).toBe('below');
      expect(level({ [category]: t })).toBe('serious');
      expect(assessSeverity({ records: { [category]: t }, insider: false }).categoriesAtThreshold).toEqual([category]);
    });
    it(`is serious at ${10 * t - 1} and particularly serious at ${10 * t}`, () => {
      expect(level({ [category]: 10 * t - 1 })).toBe('serious');
      expect(level({ [category]: 10 * t })).toBe('particularly_serious');
    });
    it(`for an insider is below at ${t / 2 - 1}, serious at ${t / 2}, particularly serious at ${5 * t} (not at ${5 * t - 1})`, () => {
      expect(level({ [category]: t / 2 - 1 }, true)).toBe('below');
      expect(level({ [category]: t / 2 }, true)).toBe('serious');
      expect(level({ [category]: 5 * t - 1 }, true)).toBe('serious');
      expect(level({ [category]: 5 * t }, true)).toBe('particularly_serious');
    });
  });

  it('adds mixed categories in proportion (item 6): 25 of 50 + 250 of 500 is serious, one record fewer is not', () => {
    expect(level({ property: 25, health: 250 })).toBe('serious');
    expect(level({ property: 24, health: 250 })).toBe('below');
    expect(level({ property: 25, health: 249 })).toBe('below');
    const s = assessSeverity({ records: { property: 25, health: 250 }, insider: false });
    expect(s.proportion).toBe(1);
    expect(s.categoriesAtThreshold).toEqual([]);
    expect(s.reasons.join(' ')).toMatch(/in proportion/);
  });

  it('adds all three tiers in proportion exactly, with no rounding loss (1/3 + 1/3 + 1/3 is not enough; 17+167+1667 is)', () => {
    // 16/50 + 166/500 + 1666/5000 = 0.3332·3 < 1; one tier at its next record crosses only together.
    expect(level({ whereabouts: 16, transaction: 166, other: 1666 })).toBe('below');
    expect(level({ whereabouts: 17, transaction: 166, other: 1666 })).toBe('serious'); // 0.34 + 0.332 + 0.3332 = 1.0052
    expect(level({ whereabouts: 10, accommodation: 200, other: 2000 })).toBe('serious'); // 0.2 + 0.4 + 0.4 = 1 exactly
    expect(level({ whereabouts: 10, accommodation: 200, other: 1999 })).toBe('below');
    expect(assessSeverity({ records: { whereabouts: 10, accommodation: 200, other: 2000 }, insider: false }).proportion).toBe(1);
  });

  it('halves the mix for insiders: 12 of 50 + 125 of 500 + 25 of 5000 ... reaches the halved threshold', () => {
    // Insider thresholds 25 / 250 / 2,500: 12/25 + 125/250 + 50/2500 = 0.48 + 0.5 + 0.02 = 1.
    expect(level({ credit: 12, health: 125, other: 50 }, true)).toBe('serious');
    expect(level({ credit: 12, health: 125, other: 49 }, true)).toBe('below');
    expect(level({ credit: 12, health: 125, other: 50 }, false)).toBe('below');
    const s = assessSeverity({ records: { credit: 12, health: 125, other: 50 }, insider: true });
    expect(s.thresholds).toMatchObject({ credit: 25, health: 250, other: 2500 });
    expect(s.basis).toContain(CRIMINAL.insiderSource);
  });

  it('reaches particularly serious in proportion at ten times the threshold, halved for insiders', () => {
    expect(level({ property: 250, transaction: 2500 })).toBe('particularly_serious'); // 5 + 5
    expect(level({ property: 249, transaction: 2500 })).toBe('serious');
    expect(level({ property: 125, transaction: 1250 }, true)).toBe('particularly_serious');
    expect(level({ property: 125, transaction: 1249 }, true)).toBe('serious');
  });

  it('judges illegal gains: serious from ¥5,000, particularly serious from ¥50,000, halved for insiders', () => {
    expect(level({}, false, 499_999)).toBe('below');
    expect(level({}, false, 500_000)).toBe('serious');
    expect(level({}, false, 4_999_999)).toBe('serious');
    expect(level({}, false, 5_000_000)).toBe('particularly_serious');
    expect(level({}, true, 249_999)).toBe('below');
    expect(level({}, true, 250_000)).toBe('serious');
    expect(level({}, true, 2_499_999)).toBe('serious');
    expect(level({}, true, 2_500_000)).toBe('particularly_serious');
    const s = assessSeverity({ records: { other: 1 }, insider: true, illegalGainFen: 250_000 });
    expect(s).toMatchObject({ level: 'serious', byRecords: 'below', byGain: 'serious', gainThresholdsYuan: { serious: 2500, particularlySerious: 25_000 } });
  });

  it('takes the worse of records and gain, and says no gain figure was entered when none was', () => {
    expect(assessSeverity({ records: { property: 500 }, insider: false, illegalGainFen: 100 }).level).toBe('particularly_serious');
    const none = assessSeverity({ records: { other: 3 }, insider: false });
    expect(none.byGain).toBeNull();
    expect(none.level).toBe('below');
    expect(none.reasons.join(' ')).toMatch(/no gain figure/);
    expect(worseLevel('below', 'serious')).toBe('serious');
    expect(worseLevel('particularly_serious', 'serious')).toBe('particularly_serious');
  });

  it('refuses negative or fractional counts', () => {
    expect(() => assessSeverity({ records: { other: -1 }, insider: false })).toThrow(RangeError);
    expect(() => assessSeverity({ records: { other: 1.5 }, insider: false })).toThrow(RangeError);
    expect(() => assessSeverity({ records: {}, insider: false, illegalGainFen: -5 })).toThrow(RangeError);
  });
});
