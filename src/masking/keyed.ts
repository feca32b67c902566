/** HMAC-SHA-256 with a checked key: the MAC behind pseudonyms, and a PRF stream behind format-preserving tokens. */
import { createHmac } from 'node:crypto';

/** The shortest key accepted (128 bits). */
export const MIN_KEY_BYTES = 16;

/** RangeError unless the key is at least 16 bytes (its bytes are never part of the message). */
export function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length < MIN_KEY_BYTES) {
    throw new RangeError(`masking key must be at least ${MIN_KEY_BYTES} bytes`);
  }
}

/** HMAC-SHA-256 of the UTF-8 parts joined by NUL bytes. */
export function mac(key: Uint8Array, parts: readonly string[]): Buffer {
  return createHmac('sha256', key).update(parts.join('\0'), 'utf8').digest();
}

/** A deterministic stream of uniform choices drawn from a keyed PRF. */
export interface Prf {
  /** A uniform integer in [0, n), n ≥ 1. */
  int(n: number): number;
  /** `count` uniform decimal digits. */
  digits(count: number): string;
  /** One uniform element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

const TOKEN_DOMAIN = 'custos-format-token-v1';

/**
 * The PRF stream for one (type, normalized value): HMAC-SHA-256 blocks over `domain‖type‖value‖counter`, read as
 * 32-bit words and turned into choices by rejection sampling (no modulo bias). The domain label keeps these MACs
 * apart from pseudonyms made with the same key.
 */
export function createPrf(key: Uint8Array, type: string, value: string): Prf {
  checkKey(key);
  let block: Buffer = Buffer.alloc(0);
  let offset = 0;
  let counter = 0;
  const word = (): number => {
    if (offset + 4 > block.length) {
      block = mac(key, [TOKEN_DOMAIN, type, value, String(counter++)]);
      offset = 0;
    }
    const w = block.readUInt32BE(offset);
    offset += 4;
    return w;
  };
  const int = (n: number): number => {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError('prf range must be an integer from 1 to 2^32');
    const limit = Math.floor(2 ** 32 / n) * n;
    for (;;) {
      const w = word();
      if (w < limit) return w % n;
    }
  };
  return {
    int,
    digits: (count) => Array.from({ length: count }, () => String(int(10))).join(''),
    pick: (items) => {
      const item = items[int(items.length)];
      if (item === undefined) throw new RangeError('prf cannot pick from an empty list');
      return item;
    },
  };
}
