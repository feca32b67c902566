import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './detect-config.js';
import { categoryMask, gravestCategory, legalScore } from './legal-weight.js';
import { createRandom } from '../sim/index.js';
import { idNumber, regularity } from './cadence.js';

describe('the legal weight of records', () => {
  it('reaches "serious" at 25 property records for staff, half the 50 of the interpretation', () => {
    expect(legalScore({ property: 25 }, true)).toBe(1);
    expect(legalScore({ property: 25 }, false)).toBe(0.5);
  });

  it('adds categories in proportion as item (6) does', () => {
    expect(legalScore({ property: 10, safety: 100, other: 1000 }, true)).toBeCloseTo(10 / 25 + 100 / 250 + 1000 / 2500, 10);
  });

  it('maps card and balance to property and address to personal safety in the default configuration', () => {
    const map = DEFAULT_CONFIG.legalCategory;
    expect(gravestCategory(categoryMask(['name', 'balance'], map))).toBe('property');
    expect(gravestCategory(categoryMask(['name', 'address'], map))).toBe('safety');
    expect(gravestCategory(categoryMask(['name', 'mobile'], map))).toBe('other');
    expect(gravestCategory(categoryMask([], map))).toBeUndefined();
  });
});

describe('cadence and ids', () => {
  it('calls near-constant gaps regular and human think time irregular', () => {
    expect(regularity([1000, 1010, 990, 1005, 998], 0.05).share).toBe(1);
    expect(regularity([5000, 40_000, 12_000, 90_000, 7000], 0.1).share).toBeLessThan(0.5);
  });

  it('takes the median a sorted typed array gives, whatever the values and their number', () => {
    const r = createRandom('regularity');
    const pool = [0, -0, 1, 1, 1000, 1000.5, 60_000, 1e9, -5, Infinity, NaN];
    for (let k = 0; k < 2000; k++) {
      const n = r.int(1, k % 10 === 0 ? 100 : 24);
      const gaps = Array.from({ length: n }, () => (r.next() < 0.3 ? pool[r.int(0, pool.length - 1)]! : Math.round(r.next() * 120_000)));
      const median = Float64Array.from(gaps).sort()[Math.floor(n / 2)]!;
      const near = gaps.filter((g) => Math.abs(g - median) <= 0.1 * median).length;
      expect(regularity(Float64Array.from(gaps), 0.1)).toEqual({ median, share: near / n });
    }
  });

  it('reads the number of a customer id', () => {
    expect(idNumber('c000123')).toBe(123);
    expect(Number.isNaN(idNumber('abc'))).toBe(true);
  });
});
