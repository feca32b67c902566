import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../test/helpers/random.js';
import { eventLeaf, type AccessEvent } from './event.js';
import { leafMatches, leafMayMatch, queryNeedle } from './ledger-backend.js';

const PLAIN = ['c1', 'c2', 'u1', 'u2', 'C1', 'é', 'c1 '];
const ODD = ['c"1', 'c\\1', '\ud800', 'c\n', ''];

describe('leafMayMatch', () => {
  it('never skips a leaf that matches the query, on leaves as written and as an editor might change them', () => {
    const r = seededRandom(5);
    const pick = (): string => (r() < 0.95 ? PLAIN[Math.floor(r() * PLAIN.length)]! : ODD[Math.floor(r() * ODD.length)]!);
    let skipped = 0;
    for (let i = 0; i < 20_000; i++) {
      const e = { id: `e-${i}`, time: '2026-01-01T00:00:00.000Z', actor: pick(), action: 'view', system: pick(), subjects: [pick(), pick()], fields: [pick()], outcome: 'masked' } as AccessEvent;
      let leaf = eventLeaf(e);
      const change = Math.floor(r() * 4);
      // The same JSON written with an escape, with a raw lone surrogate, or with spaces.
      if (change === 1) leaf = leaf.replace('"c1"', '"\\u00631"');
      if (change === 2) leaf = leaf.replace('"c1"', '"c1\ud800"');
      if (change === 3) leaf = leaf.replace(',"subjects":', ', "subjects" : ');
      const q = r() < 0.5 ? { subject: pick() } : { actor: pick() };
      const may = leafMayMatch(leaf, queryNeedle(q));
      if (leafMatches(leaf, q)) expect(may, `${leaf} ${JSON.stringify(q)}`).toBe(true);
      else if (!may) skipped++;
    }
    // It does skip most leaves that do not match.
    expect(skipped).toBeGreaterThan(5000);
  });
});
