import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base32, pseudonym } from './pseudonym.js';

const key = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
const otherKey = Buffer.from('fedcba9876543210fedcba9876543210', 'hex');

describe('base32', () => {
  it.each([
    ['', ''], ['f', 'my'], ['fo', 'mzxq'], ['foo', 'mzxw6'], ['foob', 'mzxw6yq'], ['fooba', 'mzxw6ytb'], ['foobar', 'mzxw6ytboi'],
  ])('encodes %j as the RFC 4648 test vector %j (lower-case, unpadded)', (input, expected) => {
    expect(base32(Buffer.from(input))).toBe(expected);
  });
});

describe('pseudonym', () => {
  it('is ps_ and the first 20 base32 characters of HMAC-SHA-256 over type, NUL and the normalized value', () => {
    const mac = createHmac('sha256', key).update('cn_mobile\u000013812345678').digest();
    expect(pseudonym('cn_mobile', '13812345678', key)).toBe(`ps_${base32(mac).slice(0, 20)}`);
    expect(pseudonym('cn_mobile', '13812345678', key)).toMatch(/^ps_[a-z2-7]{20}$/);
  });

  it('gives the same pseudonym for the same value written differently', () => {
    expect(pseudonym('cn_mobile', ' +86 138-1234-5678 ', key)).toBe(pseudonym('cn_mobile', '13812345678', key));
    expect(pseudonym('cn_id_card', '11010519491231002x', key)).toBe(pseudonym('cn_id_card', '110105 19491231 002X', key));
    expect(pseudonym('email', 'LiHua@163.COM', key)).toBe(pseudonym('email', 'lihua@163.com', key));
    expect(pseudonym('bank_card', '6222-0212-3456-7890-128', key)).toBe(pseudonym('bank_card', '6222021234567890128', key));
  });

  it('changes with the key, the value and the type', () => {
    const base = pseudonym('cn_mobile', '13812345678', key);
    expect(pseudonym('cn_mobile', '13812345678', otherKey)).not.toBe(base);
    expect(pseudonym('cn_mobile', '13812345679', key)).not.toBe(base);
    expect(pseudonym('text', '13812345678', key)).not.toBe(base);
  });

  it('does not collide over 10,000 distinct values', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) seen.add(pseudonym('cn_mobile', `138${String(i).padStart(8, '0')}`, key));
    expect(seen.size).toBe(10_000);
  });

  it('refuses a key shorter than 16 bytes', () => {
    expect(() => pseudonym('text', 'x', Buffer.alloc(15))).toThrow(RangeError);
    expect(() => pseudonym('text', 'x', Buffer.alloc(15))).toThrow(/at least 16 bytes/);
    expect(pseudonym('text', 'x', Buffer.alloc(16))).toMatch(/^ps_/);
  });
});
