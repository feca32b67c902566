import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, leafHash, nodeHash, rootOf, splitPoint } from './merkle.js';
import { consistencyRanges, inclusionRanges, verifyConsistency, verifyInclusion } from './proofs.js';

// RFC 6962 reference data as published with the Certificate Transparency and transparency-dev/merkle test
// suites: eight leaves, the tree head for every size, and two inclusion and one consistency proof.
const unhex = (h: string): Buffer => Buffer.from(h, 'hex');
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION = [
  { index: 0, size: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, proof: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];
const CONSISTENCY = [{ from: 2, to: 8, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] }];

const hashes = LEAVES.map((l) => leafHash(l));
const proofFrom = (leafHashes: readonly Buffer[], ranges: readonly { start: number; end: number }[]): Buffer[] =>
  ranges.map((r) => rootOf(leafHashes.slice(r.start, r.end)));

describe('Merkle tree (RFC 6962 §2.1)', () => {
  it('gives the published tree head for every size 0..8', () => {
    expect(EMPTY_ROOT.toString('hex')).toBe(ROOTS[0]);
    for (let n = 0; n <= 8; n++) expect(rootOf(hashes.slice(0, n)).toString('hex'), `size ${n}`).toBe(ROOTS[n]);
  });

  it('splits at the largest power of two below n, not the midpoint', () => {
    expect([2, 3, 4, 5, 6, 7, 8, 9, 1000].map(splitPoint)).toEqual([1, 2, 2, 4, 4, 4, 4, 8, 512]);
    expect(splitPoint(2 ** 40 + 1)).toBe(2 ** 40);
  });

  it('produces and accepts the published inclusion proofs', () => {
    for (const v of INCLUSION) {
      const proof = proofFrom(hashes, inclusionRanges(v.index, v.size));
      expect(proof.map((p) => p.toString('hex'))).toEqual(v.proof);
      expect(verifyInclusion(v.index, v.size, hashes[v.index]!, v.proof.map(unhex), unhex(ROOTS[v.size]!))).toBe(true);
    }
  });

  it('produces and accepts the published consistency proof', () => {
    for (const v of CONSISTENCY) {
      const proof = proofFrom(hashes, consistencyRanges(v.from, v.to));
      expect(proof.map((p) => p.toString('hex'))).toEqual(v.proof);
      expect(verifyConsistency(v.from, v.to, unhex(ROOTS[v.from]!), unhex(ROOTS[v.to]!), v.proof.map(unhex))).toBe(true);
    }
  });

  // Every shape of the recursion up to 40 leaves: each proof verifies, and each alteration is refused.
  const many = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from([i, (i * 7) & 0xff])));

  it('verifies every inclusion proof in every tree up to 40 leaves, and refuses altered ones', () => {
    for (let n = 1; n <= many.length; n++) {
      const tree = many.slice(0, n);
      const root = rootOf(tree);
      for (let i = 0; i < n; i++) {
        const proof = proofFrom(tree, inclusionRanges(i, n));
        expect(verifyInclusion(i, n, tree[i]!, proof, root)).toBe(true);
        if (n > 1) {
          expect(verifyInclusion((i + 1) % n, n, tree[i]!, proof, root)).toBe(false);
          expect(verifyInclusion(i, n, leafHash('other'), proof, root)).toBe(false);
          const bent = proof.map((p, k) => (k === 0 ? nodeHash(p, p) : p));
          expect(verifyInclusion(i, n, tree[i]!, bent, root)).toBe(false);
          expect(verifyInclusion(i, n, tree[i]!, proof.slice(0, -1), root)).toBe(false);
          expect(verifyInclusion(i, n, tree[i]!, [...proof, root], root)).toBe(false);
        }
      }
    }
  });

  it('verifies every consistency proof between sizes up to 40, and refuses altered ones', () => {
    for (let n = 1; n <= many.length; n++) {
      const rootN = rootOf(many.slice(0, n));
      for (let m = 1; m <= n; m++) {
        const rootM = rootOf(many.slice(0, m));
        const proof = proofFrom(many.slice(0, n), consistencyRanges(m, n));
        expect(verifyConsistency(m, n, rootM, rootN, proof), `${m}→${n}`).toBe(true);
        if (m < n) {
          expect(verifyConsistency(m, n, leafHash('x'), rootN, proof)).toBe(false);
          expect(verifyConsistency(m, n, rootM, leafHash('x'), proof)).toBe(false);
          expect(verifyConsistency(m, n, rootM, rootN, proof.map((p, k) => (k === proof.length - 1 ? leafHash(p) : p)))).toBe(false);
          if (proof.length > 1) expect(verifyConsistency(m, n, rootM, rootN, proof.slice(1))).toBe(false);
        }
      }
    }
  });

  it('rejects impossible indices and sizes instead of guessing', () => {
    expect(() => inclusionRanges(3, 3)).toThrow(RangeError);
    expect(() => inclusionRanges(-1, 3)).toThrow(RangeError);
    expect(() => consistencyRanges(0, 3)).toThrow(RangeError);
    expect(() => consistencyRanges(4, 3)).toThrow(RangeError);
    expect(verifyInclusion(0, 0, hashes[0]!, [], EMPTY_ROOT)).toBe(false);
    expect(verifyConsistency(5, 3, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(false);
  });
});
