/**
 * RFC 6962 / RFC 9162 proof checking in the browser (WebCrypto SHA-256), small and independent of the
 * server's code (src/ledger/proofs.ts) so that the "verified" badge does not trust the server's arithmetic.
 * Leaf hash H(0x00 ‖ leaf), node hash H(0x01 ‖ left ‖ right); hashes travel as lower-case hex.
 */

export type Bytes = Uint8Array<ArrayBuffer>;

const HASH_SIZE = 32;

async function sha256(...parts: readonly Uint8Array[]): Promise<Bytes> {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const buf = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    buf.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
}

/** H(0x00 ‖ leaf). @example await leafHash(new TextEncoder().encode('{"a":1}')) */
export function leafHash(leaf: Uint8Array): Promise<Bytes> {
  return sha256(Uint8Array.of(0), leaf);
}

/** H(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Bytes> {
  return sha256(Uint8Array.of(1), left, right);
}

export function fromHex(hex: string): Bytes | undefined {
  if (!/^(?:[0-9a-f]{2})*$/i.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function fromBase64(b64: string): Bytes | undefined {
  try {
    const bin = atob(b64);
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Canonical JSON of a ledger event (docs/ledger.md): keys sorted by UTF-16 code units, no whitespace,
 * undefined members left out; strings and numbers as JSON.stringify writes them.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v: unknown) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** The leaf hash of an event as the ledger stores it. */
export function eventLeafHash(event: unknown): Promise<Bytes> {
  return leafHash(new TextEncoder().encode(canonicalJson(event)));
}

const half = (x: number): number => Math.floor(x / 2);
const odd = (x: number): boolean => x % 2 === 1;

/** For each of `count` proof hashes, whether it is a left sibling; undefined when the proof has the wrong length (RFC 9162 §2.1.3.2). */
function sides(fn: number, sn: number, count: number): boolean[] | undefined {
  const out: boolean[] = [];
  for (let i = 0; i < count; i++) {
    if (sn === 0) return undefined;
    const left = odd(fn) || fn === sn;
    out.push(left);
    if (left && !odd(fn)) {
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? out : undefined;
}

/** Whether the inclusion `proof` of leaf hash `leaf` at `index` in the tree of `size` leads to `root`. */
export async function verifyInclusion(index: number, size: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): Promise<boolean> {
  if (!(Number.isSafeInteger(index) && Number.isSafeInteger(size) && index >= 0 && index < size)) return false;
  if (leaf.length !== HASH_SIZE || root.length !== HASH_SIZE || !proof.every((p) => p.length === HASH_SIZE)) return false;
  const s = sides(index, size - 1, proof.length);
  if (s === undefined) return false;
  let r: Uint8Array = leaf;
  for (let i = 0; i < proof.length; i++) r = s[i] ? await nodeHash(proof[i]!, r) : await nodeHash(r, proof[i]!);
  return equal(r, root);
}

/** Whether `proof` shows that the tree of size `m` with `rootM` is a prefix of the tree of size `n` with `rootN` (RFC 9162 §2.1.4.2). */
export async function verifyConsistency(m: number, n: number, rootM: Uint8Array, rootN: Uint8Array, proof: readonly Uint8Array[]): Promise<boolean> {
  if (!(Number.isSafeInteger(m) && Number.isSafeInteger(n) && m >= 0 && m <= n)) return false;
  if (m === n) return proof.length === 0 && equal(rootM, rootN);
  if (m === 0) return proof.length === 0;
  if (proof.length === 0 || !proof.every((p) => p.length === HASH_SIZE) || rootM.length !== HASH_SIZE || rootN.length !== HASH_SIZE) return false;
  let p = 1;
  while (p * 2 <= m) p *= 2;
  const powerOfTwo = p === m;
  const path = powerOfTwo ? [rootM, ...proof] : [...proof];
  let fn = m - 1;
  let sn = n - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  const rest = path.slice(1);
  const s = sides(fn, sn, rest.length);
  if (s === undefined) return false;
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (s[i]) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
    } else {
      sr = await nodeHash(sr, c);
    }
  }
  return equal(fr, rootM) && equal(sr, rootN);
}
