import { createHmac } from 'node:crypto';

/** Crockford base32: no I, L, O, U, so that a code read off a photo or said aloud is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const VALUE = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));
// Common misreadings map to the intended character.
for (const [c, v] of [['O', 0], ['I', 1], ['L', 1]] as const) VALUE.set(c, v);
const CHECK_CHARS = 3;
const MIN_INDEX_CHARS = 5;
/** Ledger indexes up to 2^50 (more than any ledger will hold) fit in 10 characters. */
const MAX_INDEX_CHARS = 10;

/**
 * Short codes that name one ledger entry (the access event of a page view): the entry's index in base32 and
 * a keyed check (15 bits of HMAC-SHA-256), grouped by four: `00K7-QX4M`. A code cannot be made up for another
 * entry without the key, and a misread character is caught by the check (1 in 32,768 passes by chance).
 */
export interface ViewCodes {
  encode(index: number): string;
  /** The ledger index a code names, or undefined when it is malformed or its check fails. */
  decode(code: string): number | undefined;
  /** 16 keyed check bits of an index (for marks that carry the index in another form). */
  checkBits(index: number): number;
}

export function createViewCodes(key: Buffer): ViewCodes {
  if (key.length < 32) throw new RangeError('the view-code key must have at least 32 bytes');
  const checkBits = (index: number): number => createHmac('sha256', key).update(`custos-view-code:${index}`).digest().readUInt16BE(0);
  const check = (index: number): string => {
    const bits = checkBits(index) >>> 1;
    let out = '';
    for (let i = CHECK_CHARS - 1; i >= 0; i--) out += ALPHABET[(bits >>> (5 * i)) & 31];
    return out;
  };
  return {
    checkBits,
    encode(index) {
      if (!Number.isSafeInteger(index) || index < 0) throw new RangeError('a ledger index is a whole number ≥ 0');
      let body = '';
      for (let n = index; n > 0; n = Math.floor(n / 32)) body = ALPHABET[n % 32]! + body;
      body = body.padStart(MIN_INDEX_CHARS, '0');
      const raw = body + check(index);
      return raw.replace(/(.{4})(?=.)/g, '$1-');
    },
    decode(code) {
      if (typeof code !== 'string' || code.length > 40) return undefined;
      const raw = code.toUpperCase().replace(/[\s-]/g, '');
      if (raw.length < MIN_INDEX_CHARS + CHECK_CHARS || raw.length > MAX_INDEX_CHARS + CHECK_CHARS) return undefined;
      let index = 0;
      for (const c of raw.slice(0, -CHECK_CHARS)) {
        const v = VALUE.get(c);
        if (v === undefined) return undefined;
        index = index * 32 + v;
      }
      const given = [...raw.slice(-CHECK_CHARS)].map((c) => ALPHABET[VALUE.get(c) ?? -1] ?? '?').join('');
      return given === check(index) ? index : undefined;
    },
  };
}
