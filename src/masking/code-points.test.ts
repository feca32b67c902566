import { describe, expect, it } from 'vitest';
import { createRandom } from '../sim/index.js';
import { codePointCount, hideAll, keepEnds } from './code-points.js';
import { COMPOUND_SURNAMES, maskName } from './display-mask.js';

/** The masks counted on `[...value]`, as they were before their one-code-unit-per-code-point fast paths. */
const reference = {
  keepEnds(value: string, head: number, tail: number): string {
    const chars = [...value];
    if (chars.length <= head + tail) return '*'.repeat(chars.length);
    return chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
  },
  maskName(value: string): string {
    const chars = [...value.trim()];
    if (chars.length < 2 || !/^[\p{L}\p{M}·•.\s]+$/u.test(chars.join(''))) return '*'.repeat(chars.length);
    const keep = chars.length > 2 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
    return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
  },
};

/** Short strings of ASCII, Han, compound surnames, supplementary-plane characters, lone surrogates and spaces. */
function samples(n: number): string[] {
  const rng = createRandom('code-points-differential');
  const pieces = ['a', '7', ' ', '张', '娜', '·', '欧阳', '司马', '𠮷', '😀', '\uD842', '\uDFB7', '１', 'É', 'e\u0301'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let s = '';
    for (let k = rng.int(0, 7); k > 0; k--) s += rng.pick(pieces);
    out.push(s);
  }
  return out;
}

describe('code-point masks', () => {
  it('keep and hide the same code points as the array-of-code-points reference, with and without surrogates', () => {
    for (const s of samples(20_000)) {
      expect(codePointCount(s), s).toBe([...s].length);
      expect(hideAll(s), s).toBe('*'.repeat([...s].length));
      for (const [head, tail] of [[0, 0], [1, 0], [1, 1], [2, 1], [3, 4], [6, 4]] as const) {
        expect(keepEnds(s, head, tail), `${s} ${head} ${tail}`).toBe(reference.keepEnds(s, head, tail));
      }
      expect(maskName(s), s).toBe(reference.maskName(s));
    }
  });

  it('never cuts a supplementary-plane surname in half', () => {
    expect(maskName('𠮷野')).toBe('𠮷*');
    expect(keepEnds('𠮷野家😀', 1, 1)).toBe('𠮷**😀');
  });
});
