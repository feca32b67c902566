import { createHash, hash } from 'node:crypto';

/** RFC 6962 §2.1 Merkle tree hashing with SHA-256. Pure functions. */

export const HASH_SIZE = 32;
const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

/** `SHA-256(0x00 ‖ data)`: the hash of one leaf. A string is hashed as its UTF-8 bytes. @example leafHash('') */
export function leafHash(data: Uint8Array | string): Buffer {
  // U+0000 encodes as the single byte 0x00, so the prefix costs no copy of the leaf.
  return typeof data === 'string' ? hash('sha256', `\u0000${data}`, 'buffer') : sha256(Buffer.concat([LEAF, data]));
}

const scratch = Buffer.alloc(1 + 2 * HASH_SIZE, 0x01);

/** `SHA-256(0x01 ‖ left ‖ right)`: the hash of an interior node (both 32 bytes). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) return sha256(Buffer.concat([NODE, left, right]));
  scratch.set(left, 1);
  scratch.set(right, 1 + HASH_SIZE);
  return sha256(scratch);
}

/** One-shot SHA-256 (crypto.hash: about twice as fast as a Hash object for inputs this small). */
export function sha256(data: Uint8Array): Buffer {
  return hash('sha256', data, 'buffer');
}

/** The root of the empty tree: SHA-256 of the empty string. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** The largest power of two `≤ n` (n ≥ 1). Arithmetic, not bit operations, so sizes past 2^31 work. */
export function largestPowerOfTwoAtMost(n: number): number {
  let k = 1;
  while (k * 2 <= n) k *= 2;
  return k;
}

/** The largest power of two `< n` (n ≥ 2): the RFC 6962 split point `k`. */
export function splitPoint(n: number): number {
  return largestPowerOfTwoAtMost(n - 1);
}

/** A complete (perfect) subtree: `2^level` leaves starting at leaf `index * 2^level`. */
export interface Subtree {
  readonly level: number;
  readonly index: number;
}

/**
 * The complete subtrees whose hashes fold into MTH(D[a:b]), left to right. `a` must be aligned as in every
 * range RFC 6962 produces (a multiple of the largest power of two `≤ b - a`).
 *
 * @example perfectSubtrees(0, 6) // [{level: 2, index: 0}, {level: 1, index: 2}]
 */
export function perfectSubtrees(a: number, b: number): Subtree[] {
  const out: Subtree[] = [];
  let start = a;
  while (start < b) {
    const k = largestPowerOfTwoAtMost(b - start);
    if (start % k !== 0) throw new RangeError(`range [${a}, ${b}) is not aligned`);
    out.push({ level: Math.log2(k), index: start / k });
    start += k;
  }
  return out;
}

/** Folds the hashes of `perfectSubtrees(a, b)` into MTH(D[a:b]): `H(h0, H(h1, … H(hn-2, hn-1)))`. */
export function foldSubtrees(hashes: readonly Buffer[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  let acc = hashes[hashes.length - 1]!;
  for (let i = hashes.length - 2; i >= 0; i--) acc = nodeHash(hashes[i]!, acc);
  return acc;
}

/** The root of a perfect run of `2^r` consecutive hashes (r ≥ 0), combined pairwise level by level. */
export function perfectRoot(hashes: readonly Buffer[]): Buffer {
  let level = hashes.slice();
  while (level.length > 1) {
    const next: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(nodeHash(level[i]!, level[i + 1]!));
    level = next;
  }
  return level[0]!;
}

/** MTH(D[n]) straight from the definition (RFC 6962 §2.1), from leaf hashes. The reference the tests check against. */
export function rootOf(leafHashes: readonly Buffer[]): Buffer {
  if (leafHashes.length === 0) return EMPTY_ROOT;
  if (leafHashes.length === 1) return leafHashes[0]!;
  const k = splitPoint(leafHashes.length);
  return nodeHash(rootOf(leafHashes.slice(0, k)), rootOf(leafHashes.slice(k)));
}
