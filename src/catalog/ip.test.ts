/**
 * The in-place address validators the text scanner calls (ip.ts, email.ts) against independent references:
 * node:net's isIPv4 and isIPv6, and the e-mail layout as a regular expression, on generated addresses that are
 * mostly near misses (a character changed, inserted or dropped). The two must agree on every one.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createRandom, type Random } from '../sim/index.js';
import { isEmailAt } from './email.js';
import { isIPv4At, isIPv6At } from './ip.js';

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

const hexGroup = (r: Random): string => r.int(0, 0xffff).toString(16).slice(0, r.int(1, 4));
const octet = (r: Random): string => (r.int(0, 9) === 0 ? r.pick(['0', '00', '01', '256', '255', '300']) : String(r.int(0, 255)));
const ipv4 = (r: Random): string => [octet(r), octet(r), octet(r), octet(r)].join('.');

/** An IPv6 address, usually valid: 8 groups, or fewer around one '::', sometimes an IPv4 tail or a zone. */
function ipv6(r: Random): string {
  const v4 = r.int(0, 4) === 0;
  const n = r.int(0, 9) === 0 ? r.int(0, 9) : 8 - (v4 ? 2 : 0);
  const groups = Array.from({ length: n }, () => (r.int(0, 1) === 0 ? hexGroup(r) : hexGroup(r).toUpperCase()));
  if (v4) groups.push(ipv4(r));
  let s = groups.join(':');
  if (r.int(0, 2) > 0) {
    // Compress a run of groups (or insert '::' where none are missing: sometimes invalid).
    const from = r.int(0, groups.length);
    const to = r.int(from, Math.min(groups.length, from + 4));
    s = `${groups.slice(0, from).join(':')}::${groups.slice(to).join(':')}`;
  }
  if (r.int(0, 7) === 0) s += `%${r.pick(['eth0', 'en1', 'a.b', 'x-y:z', '', '1', 'a_b', 'a%b'])}`;
  return s;
}

/** `s` with 0–2 characters changed, inserted or dropped, from `alphabet`. */
function mutate(r: Random, s: string, alphabet: string): string {
  let out = s;
  for (let k = r.int(0, 2); k > 0; k--) {
    const at = r.int(0, out.length);
    const ch = alphabet[r.int(0, alphabet.length - 1)]!;
    const op = r.int(0, 2);
    out = op === 0 ? out.slice(0, at) + ch + out.slice(at + 1) : op === 1 ? out.slice(0, at) + ch + out.slice(at) : out.slice(0, at) + out.slice(at + 1);
  }
  return out;
}

/**
 * What stands before and after the value in the text: Han characters, and characters a validator reading past either
 * end would take as part of the value (digits, ':', '.', hex letters, '%').
 */
const AROUND: readonly (readonly [string, string])[] = [['地址', '，'], ['1', '2'], [':', ':'], ['.', '.'], ['f', 'A'], ['9', 'e'], ['::', '::'], ['%', '%'], ['', '']];
const AROUND_EMAIL: readonly (readonly [string, string])[] = [['邮箱', '。'], ['a', 'b'], ['.', '.'], ['@', '@'], ['1', 'z'], ['-', '-'], ['', '']];

const NET_ALPHABET = '0123456789abcdefABCDEFgxzG::::....%%-_@ 京';

describe('in-place address validators', () => {
  it('IPv6 and IPv4: agree with node:net on generated addresses and near misses, inside a longer text', () => {
    const r = createRandom('ip-validators');
    const seen = { v6: 0, v4: 0, v6no: 0, v4no: 0 };
    for (let i = 0; i < 300_000; i++) {
      const s = mutate(r, r.int(0, 3) === 0 ? ipv4(r) : ipv6(r), NET_ALPHABET);
      const [before, after] = r.pick(AROUND);
      const text = `${before}${s}${after}`;
      const at = before.length;
      const v6 = isIPv6(s);
      const v4 = isIPv4(s);
      // One expect per disagreement only: an expect per iteration costs seconds.
      if (isIPv6At(text, at, at + s.length) !== v6) expect(isIPv6At(text, at, at + s.length), `${text} v6`).toBe(v6);
      if (isIPv4At(text, at, at + s.length) !== v4) expect(isIPv4At(text, at, at + s.length), `${text} v4`).toBe(v4);
      seen[v6 ? 'v6' : 'v6no']++;
      seen[v4 ? 'v4' : 'v4no']++;
    }
    // Both answers were seen many times for both: the agreement is not on rejections alone.
    expect(Math.min(seen.v6, seen.v6no, seen.v4)).toBeGreaterThan(20_000);
  });

  it('e-mail addresses: agree with the layout as a regular expression on generated addresses and near misses', () => {
    const r = createRandom('email-validators');
    const part = (alphabet: string, min: number, max: number): string => Array.from({ length: r.int(min, max) }, () => alphabet[r.int(0, alphabet.length - 1)]!).join('');
    let valid = 0;
    for (let i = 0; i < 300_000; i++) {
      const local = part('abcxyzABZ0189._%+-', 0, 8);
      const domain = Array.from({ length: r.int(1, 3) }, () => part('abcmnz09-', 0, 6)).join('.');
      const s = mutate(r, `${local}@${domain}.${part('comnetCNa1', 0, 4)}`, 'a1.@-_%+:Z 京');
      const [before, after] = r.pick(AROUND_EMAIL);
      const text = `${before}${s}${after}`;
      const at = before.length;
      const expected = EMAIL.test(s);
      if (isEmailAt(text, at, at + s.length) !== expected) expect(isEmailAt(text, at, at + s.length), text).toBe(expected);
      if (expected) valid++;
    }
    expect(valid).toBeGreaterThan(20_000);
    expect(valid).toBeLessThan(280_000);
  });
});
