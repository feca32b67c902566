import { describe, expect, it } from 'vitest';
import { typeOfValue } from './classify.js';
import { scanText } from './scan-text.js';

describe('typeOfValue', () => {
  it('types e-mail and IP values by the same validators as the text scan', () => {
    const values: [string, string | undefined][] = [
      ['li.wei@163.com', 'email'],
      ['a@b.c', undefined],
      ['a@例子.com', undefined], // non-ASCII domains are not found (a documented limit)
      ['10.2.3.4', 'ipv4'],
      ['01.2.3.4', undefined],
      ['1.2.3.256', undefined],
      ['2409:8a00::1', 'ipv6'],
      ['::1', 'ipv6'],
      ['::ffff:1.2.3.4', 'ipv6'],
      ['fe80::1%eth0', 'ipv6'],
      ['1:2:3:4:5:6:7', undefined],
      ['abcd', undefined],
    ];
    for (const [value, type] of values) {
      expect(typeOfValue(value), value).toBe(type);
      // The scan finds the whole value as the same type (or finds nothing there).
      const whole = scanText(value).filter((f) => f.start === 0 && f.end === value.length && (f.type === 'email' || f.type === 'ipv4' || f.type === 'ipv6'));
      expect(whole.map((f) => f.type), value).toEqual(type === undefined ? [] : [type]);
    }
  });
});
