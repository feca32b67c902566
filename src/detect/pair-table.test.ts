import { describe, expect, it } from 'vitest';
import { createRandom } from '../sim/index.js';
import { PairTable } from './pair-table.js';

describe('the (owner, name) table', () => {
  it('answers exactly as a map of its pairs does (the later of two adds wins), for odd, packed and long names and owners it never saw', () => {
    const r = createRandom('pair-table');
    const table = new PairTable();
    const want = new Map<string, number>();
    const names = ['', 'c1', 'c10', 'c01', '1c', 'T-000248', '客户-7', 'c\u0000', 'x'.repeat(70_000), 'x'.repeat(70_001),
      // At the edges of the packed form (1–12 characters of U+0001–U+007F, four to a word) and just past them.
      'a', 'abcd', 'abce', 'abcde', 'abcdf', 'abcdefgh', 'abcdefgi', 'abcdefghi', 'abcdefghijkl', 'abcdefghijkm', 'bbcdefghijkl',
      'abcdefghijklm', 'abcdefghijkn', '\u007f\u007f\u007f\u007f', '\u007f\u0080', '\u0080', '\u0081', '\u00ff', '\u0001', '\u0001\u0001', 'a\u0000', 'a\u0000b',
      'T-000001', 'T-0000010', 'T-000001-01', '\ud83d\ude00', ...Array.from({ length: 200 }, (_, i) => String.fromCharCode(1 + (i % 127), 1 + ((i * 7) % 127), 1 + ((i * 13) % 127))),
      ...Array.from({ length: 3000 }, (_, i) => `c${String(i).padStart(6, '0')}`)];
    const key = (o: number, n: string): string => `${o}/${n}`;
    for (let i = 0; i < 20_000; i++) {
      const owner = r.int(0, 40);
      const name = r.pick(names);
      const value = r.int(0, 2 ** 31 - 1);
      table.add(owner, name, value);
      want.set(key(owner, name), value);
    }
    expect(table.get(0, 'c1')).toBe(-1); // nothing answers before the table is sealed
    table.seal();
    let hits = 0;
    for (let owner = -1; owner <= 60; owner++) {
      for (const name of names) {
        const v = want.get(key(owner, name));
        if (v !== undefined) hits++;
        expect(table.get(owner, name)).toBe(v ?? -1);
      }
      expect(table.get(owner, 'c999999')).toBe(-1);
    }
    expect(hits).toBeGreaterThan(10_000);
  });
});
