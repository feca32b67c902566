/**
 * Golden digests of the text scan: the sha256 of the JSON of scanText's findings on generated mixed Chinese text
 * (three seeds, 2 MB each, and a corpus with its decoys), for a few option sets. They were computed with the scanner as of
 * commit 1eac780 and guard every later change to the scanner: a change that moves, adds or
 * drops a single finding, or changes a confidence, fails here. A change meant to alter findings must say which and
 * why, and update the digest it changes. scanEach must hand the same findings to its visitor.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scanEach, scanText, STRUCTURED_TYPES, type Finding, type PiiType, type ScanOptions } from '../../src/catalog/index.js';
import { generateMixedText, generatePiiCorpus } from '../../src/sim/index.js';

/** A fixed day, so ID numbers' birth dates are judged the same on every run. */
const today = new Date('2026-06-01T00:00:00Z');

const OPTIONS: Record<string, ScanOptions> = {
  all: { today },
  structured: { types: STRUCTURED_TYPES, today },
  'min-0.5': { minConfidence: 0.5, today },
  mobile: { types: new Set<PiiType>(['cn_mobile']), today },
  'names-addresses-ipv6': { types: new Set<PiiType>(['cn_name', 'cn_address', 'ipv6']), today },
};

const TEXTS: Record<string, () => string> = {
  'mixed golden-1': () => generateMixedText('golden-1', 2_000_000),
  'mixed golden-2': () => generateMixedText('golden-2', 2_000_000),
  'mixed golden-3': () => generateMixedText('golden-3', 2_000_000),
  'corpus golden-4': () => generatePiiCorpus({ seed: 'golden-4', documents: 2000 }).documents.map((d) => `${d.text}\n`).join(''),
};

/** text → option set → [number of findings, sha256 of their JSON]. */
const GOLDEN: Record<string, Record<string, [number, string]>> = {
  'mixed golden-1': {
    'all': [29212, '056e25626a01fd3203c4315412ea2b350d784654995782cce4928663862407d8'],
    'structured': [17512, '8c337c06650071f616832d79fa029327f2691ca6d644df35fe632f1583e368fe'],
    'min-0.5': [29212, '056e25626a01fd3203c4315412ea2b350d784654995782cce4928663862407d8'],
    'mobile': [4542, 'f8aca1a1890860980bbeeb75089ce9e06d579f511d2fa1166db71970a030f694'],
    'names-addresses-ipv6': [12632, 'd42a46564a46e536239b64c89d83dc08cefd068e3c4160157d136caac93f9d82'],
  },
  'mixed golden-2': {
    'all': [29287, '209cedfbf28a97657621a708db2a3998939b4d87db165fb0bb2dacb1f651ac05'],
    'structured': [17473, '469f3c64268d5aa67bcebf008271654651d3d833f024b5fcd45530db4bae4f5f'],
    'min-0.5': [29286, '4f6bbf2d529e4774c8a2acaff101b441a25a9f061fd6b7623ed46bfde4c7b7e4'],
    'mobile': [4397, 'f8fbdaf124602c80c4045bef23ff79525e515e5ad96e3b21e03123984c0e4d38'],
    'names-addresses-ipv6': [12768, '802339d39a1b4194274358f16064254d6854a665fc883ba6abe8f891f41a01fa'],
  },
  'mixed golden-3': {
    'all': [29511, 'a381e7fe1e583e46fc8718b34830a7218578a708d77ccfbb81468fa33d5ad7bc'],
    'structured': [17673, '0984872f769205c425d59723e4b7d92bc777108bee23dbedce9eea752de532b9'],
    'min-0.5': [29510, '474d2fac2e58ce6b0b481e7aaea0008f73571c5d910434ed9c04980847a5933f'],
    'mobile': [4530, '944def466b22325a6f94b8841d38035cb7a47dbed11263b4be96678dc1391e69'],
    'names-addresses-ipv6': [12805, 'b9bbd5d8d37ae0aa343e965b79af5fc2e26728bb3e542fb4ca377d275eb608ed'],
  },
  'corpus golden-4': {
    'all': [17598, '9b1dbcdd09eda4d4e47066cb1a33af88e43bdfa4e2829ab74ed6c52c3dbcbd95'],
    'structured': [10530, '1cc0d249c0087f896e0472852876bf28ff85fe8ae151ffb69dd515811eb3caee'],
    'min-0.5': [17596, 'ce715a7a161a142b1a73bfd6417db168190d263f303ed6a685a0a01880bb5c29'],
    'mobile': [2724, '0664449b47f4a165985ddce792b0029dafc3696963129f304f59fe8e969d6c50'],
    'names-addresses-ipv6': [7633, '93072afbe81b267c124b54ba49644fcf775679c145be6bb9fdbc1071f4f5b2e8'],
  },
};

const digest = (findings: readonly Finding[]): string => createHash('sha256').update(JSON.stringify(findings)).digest('hex');

describe('text scan golden digests', () => {
  for (const [name, make] of Object.entries(TEXTS)) {
    it(`finds the same findings as recorded in ${name}, through scanText and scanEach`, () => {
      const text = make();
      const got: Record<string, [number, string]> = {};
      for (const [key, options] of Object.entries(OPTIONS)) {
        const found = scanText(text, options);
        got[key] = [found.length, digest(found)];
        const visited: Finding[] = [];
        scanEach(text, options, (type, start, end, confidence) => visited.push({ type, start, end, confidence }));
        const same = digest(visited) === got[key][1];
        if (!same) expect(digest(visited), `${key}: scanEach`).toBe(got[key][1]);
      }
      expect(got).toEqual(GOLDEN[name]);
    });
  }
});
