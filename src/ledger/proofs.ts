import { HASH_SIZE, largestPowerOfTwoAtMost, nodeHash, splitPoint } from './merkle.js';

/**
 * RFC 6962 §2.1.1–2.1.2 / RFC 9162 §2.1.3–2.1.4: which subtrees a proof is made of, and the verifiers.
 * Proof generation returns ranges [a, b) of leaves; the caller supplies MTH(D[a:b]) for each (from storage).
 */

/** A leaf range `[start, end)` whose Merkle tree hash is one proof element. */
export interface LeafRange {
  readonly start: number;
  readonly end: number;
}

/** The ranges of the inclusion proof PATH(m, D[0:n]), in proof order (bottom up). Requires 0 ≤ m < n. */
export function inclusionRanges(m: number, n: number): LeafRange[] {
  if (!(Number.isSafeInteger(m) && Number.isSafeInteger(n) && m >= 0 && m < n)) throw new RangeError('inclusion needs 0 ≤ index < size');
  const out: LeafRange[] = [];
  let a = 0;
  let b = n;
  while (b - a > 1) {
    const k = splitPoint(b - a);
    if (m < a + k) {
      out.push({ start: a + k, end: b });
      b = a + k;
    } else {
      out.push({ start: a, end: a + k });
      a += k;
    }
  }
  return out.reverse();
}

/** The ranges of the consistency proof PROOF(m, D[0:n]) (RFC 6962 §2.1.2), in proof order. Requires 0 < m ≤ n. */
export function consistencyRanges(m: number, n: number): LeafRange[] {
  if (!(Number.isSafeInteger(m) && Number.isSafeInteger(n) && m > 0 && m <= n)) throw new RangeError('consistency needs 0 < from ≤ to');
  const out: LeafRange[] = [];
  let a = 0;
  let b = n;
  let rel = m;
  let complete = true;
  while (rel !== b - a) {
    const k = splitPoint(b - a);
    if (rel <= k) {
      out.push({ start: a + k, end: b });
      b = a + k;
    } else {
      out.push({ start: a, end: a + k });
      a += k;
      rel -= k;
      complete = false;
    }
  }
  if (!complete) out.push({ start: a, end: b });
  return out.reverse();
}

const isHash = (h: Uint8Array): boolean => h.length === HASH_SIZE;
const half = (x: number): number => Math.floor(x / 2);
const odd = (x: number): boolean => x % 2 === 1;

/**
 * The walk up the tree shared by both verifiers (RFC 9162 §2.1.3.2 and §2.1.4.2): starting from node `fn` on
 * the path to the last node `sn`, whether each of `count` proof hashes is a left sibling (`true`) or a right
 * one (`false`); undefined when the proof is too long or too short for the tree.
 */
function siblingSides(fn: number, sn: number, count: number): boolean[] | undefined {
  const sides: boolean[] = [];
  for (let i = 0; i < count; i++) {
    if (sn === 0) return undefined;
    const left = odd(fn) || fn === sn;
    sides.push(left);
    if (left && !odd(fn)) {
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? sides : undefined;
}

/** The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or undefined when the proof has the wrong shape. */
export function rootFromInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Buffer | undefined {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size) || !isHash(leaf)) return undefined;
  if (!proof.every(isHash)) return undefined;
  const sides = siblingSides(index, size - 1, proof.length);
  if (sides === undefined) return undefined;
  let r: Buffer = Buffer.from(leaf);
  proof.forEach((p, i) => (r = sides[i] ? nodeHash(p, r) : nodeHash(r, p)));
  return r;
}

/** Whether `proof` proves leaf hash `leaf` at `index` in the tree of `size` with `root`. @example verifyInclusion(0, 1, h, [], h) */
export function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  const got = rootFromInclusion(index, size, leaf, proof);
  return got !== undefined && isHash(root) && got.equals(root);
}

/** Whether `proof` shows the tree of size `m` with `rootM` is a prefix of the tree of size `n` with `rootN` (RFC 9162 §2.1.4.2). */
export function verifyConsistency(m: number, n: number, rootM: Uint8Array, rootN: Uint8Array, proof: readonly Uint8Array[]): boolean {
  if (!(Number.isSafeInteger(m) && Number.isSafeInteger(n) && m >= 0 && m <= n)) return false;
  if (m === n) return proof.length === 0 && Buffer.from(rootM).equals(rootN);
  if (m === 0) return proof.length === 0;
  if (proof.length === 0 || !proof.every(isHash) || !isHash(rootM) || !isHash(rootN)) return false;
  const path = largestPowerOfTwoAtMost(m) === m ? [rootM, ...proof] : [...proof];
  let fn = m - 1;
  let sn = n - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const rest = path.slice(1);
  const sides = siblingSides(fn, sn, rest.length);
  if (sides === undefined) return false;
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  rest.forEach((c, i) => {
    if (sides[i]) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
    } else {
      sr = nodeHash(sr, c);
    }
  });
  return fr.equals(rootM) && sr.equals(rootN);
}

