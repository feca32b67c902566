/** Keyed pseudonyms (GB/T 35273 §3.15 去标识化): the same value and key always give the same short id. */
import type { MaskKind } from './display-mask.js';
import { checkKey, mac } from './keyed.js';
import { normalizeValue } from './normalize.js';

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** RFC 4648 base32, lower-case, without padding. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let acc = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(acc >>> (bits - 5)) & 31]!;
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  return bits > 0 ? out + BASE32[(acc << (5 - bits)) & 31]! : out;
}

/** Characters of base32 kept in a pseudonym: 20 × 5 = 100 bits. */
export const PSEUDONYM_CHARS = 20;

/**
 * `ps_` + 20 base32 characters of HMAC-SHA-256(key, type + NUL + normalized value). One-way without the key; the
 * key (≥ 16 bytes, else RangeError) must be kept apart from the data it pseudonymises.
 *
 * @example pseudonym('cn_mobile', '+86 138 1234 5678', key) === pseudonym('cn_mobile', '13812345678', key)
 */
export function pseudonym(type: MaskKind, value: string, key: Uint8Array): string {
  checkKey(key);
  return `ps_${base32(mac(key, [type, normalizeValue(type, value)])).slice(0, PSEUDONYM_CHARS)}`;
}
