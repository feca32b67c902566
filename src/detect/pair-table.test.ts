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
      ...Array.from({ length: 3000 }, (_, i) => `c${String(i).padStart(6, '0')}`),
      // Names that do not pack but are ids of the event contract (up to 128 characters): they take the hashed
      // region. 13 characters, 14-digit keys, outside ticket ids, UUIDs (36), 127–129 characters, many of the
      // same length differing in one character, so that probes meet names of the same length.
      'abcdefghijklm', 'abcdefghijkln', 'SUPPORT-12345', 'SUPPORT-12346', 'SUPPORT-123456',
      ...Array.from({ length: 800 }, (_, i) => String(10_000_000_000_000 + i * 7919)),
      ...Array.from({ length: 800 }, (_, i) => uuid(i)),
      ...Array.from({ length: 400 }, (_, i) => `${'k'.repeat(120)}${String(i).padStart(8, '0')}`),
      'y'.repeat(127), 'y'.repeat(128), 'y'.repeat(129), `${'y'.repeat(127)}z`, '客'.repeat(128), 'x'.repeat(65_535), 'x'.repeat(65_536)];
    const key = (o: number, n: string): string => `${o}/${n}`;
    for (let i = 0; i < 40_000; i++) {
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
    expect(hits).toBeGreaterThan(20_000);
  });


  it('tells apart long names whose hashes are equal (the hashed region compares characters, not hashes)', () => {
    // Pairs of the same length with equal FNV-1a hashes (found by search), so only the characters differ.
    const pairs = [['SUPPORT-015zx', 'SUPPORT-0cpcd'], ['SUPPORT-015zy', 'SUPPORT-0cpce'],
      ['8f0c2a7e-1b3d-4c5e-9f60-7a8b9c01pwu', '8f0c2a7e-1b3d-4c5e-9f60-7a8b9c0c5fa']] as const;
    for (const [a, b] of pairs) expect(fnv1a(a)).toBe(fnv1a(b));
    const table = new PairTable();
    table.add(1, pairs[0][0], 10);
    table.add(2, pairs[1][0], 20);
    table.add(2, pairs[1][1], 21);
    table.add(3, pairs[2][1], 31);
    table.seal();
    expect([table.get(1, pairs[0][0]), table.get(1, pairs[0][1])]).toEqual([10, -1]);
    expect([table.get(2, pairs[1][0]), table.get(2, pairs[1][1])]).toEqual([20, 21]);
    expect([table.get(3, pairs[2][0]), table.get(3, pairs[2][1])]).toEqual([-1, 31]);
  });
});

/** FNV-1a over UTF-16 code units with pair-table.ts's final mix (to show the pairs above collide). */
function fnv1a(name: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 16);
}

/** A UUID-shaped id (36 characters) made from `i`. */
function uuid(i: number): string {
  const hex = (n: number, w: number): string => (n >>> 0).toString(16).padStart(w, '0').slice(-w);
  return `${hex(Math.imul(i, 2654435761), 8)}-${hex(i, 4)}-4${hex(i * 31, 3)}-a${hex(i * 17, 3)}-${hex(i * 97, 4)}${hex(Math.imul(i, 40503), 8)}`;
}
