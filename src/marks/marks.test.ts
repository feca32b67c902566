import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createMarks, markValue, stripMarks } from './index.js';

const marks = createMarks(randomBytes(64));

describe('view codes', () => {
  it('round-trip ledger indexes from 0 to 2^50', () => {
    for (const i of [0, 1, 31, 32, 1023, 1024, 123_456, 10_000_000, 2 ** 40 + 7, 2 ** 50 - 1]) {
      const code = marks.encode(i);
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{1,4})+$/);
      expect(marks.decode(code)).toBe(i);
      // Read off a photo: lower case, spaces instead of dashes, O for 0 and I or L for 1.
      expect(marks.decode(code.toLowerCase().replace(/-/g, ' '))).toBe(i);
      expect(marks.decode(code.replace(/0/g, 'O').replace(/1/g, 'I'))).toBe(i);
    }
  });

  it('rejects nearly every misread or made-up code', () => {
    let passed = 0;
    const trials = 2000;
    for (let t = 0; t < trials; t++) {
      const code = marks.encode(1000 + t).replace(/-/g, '');
      const pos = t % code.length;
      const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
      const other = alphabet[(alphabet.indexOf(code[pos]!) + 1 + (t % 31)) % 32]!;
      const changed = code.slice(0, pos) + other + code.slice(pos + 1);
      if (marks.decode(changed) !== undefined) passed++;
    }
    // 15 check bits: about 1 in 32,768 by chance.
    expect(passed).toBeLessThanOrEqual(2);
    expect(marks.decode('')).toBeUndefined();
    expect(marks.decode('ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ')).toBeUndefined();
    expect(createMarks(randomBytes(64)).decode(marks.encode(42))).toBeUndefined();
  });
});

describe('invisible text marks', () => {
  it('survive being copied out of a value into other text, and name the view', () => {
    const mark = marks.textMark(987_654);
    const name = markValue('张*', mark);
    const mobile = markValue('138****5678', mark);
    expect(stripMarks(name)).toBe('张*');
    expect(name).not.toBe('张*');
    const pasted = `客户 ${name}，电话 ${mobile}，公司 某某科技\n第二行`;
    expect(marks.readText(pasted)).toEqual([987_654]);
    expect(marks.readText(stripMarks(pasted))).toEqual([]);
  });

  it('ignores marks made with another key, and finds several views in one text', () => {
    const other = createMarks(randomBytes(64));
    const text = `${markValue('a1', marks.textMark(5))} ${markValue('b2', other.textMark(6))} ${markValue('c3', marks.textMark(7))} ${markValue('d4', marks.textMark(5))}`;
    expect(marks.readText(text)).toEqual([5, 7]);
  });
});
