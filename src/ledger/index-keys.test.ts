import { describe, expect, it } from 'vitest';
import { seededRandom as random } from '../../test/helpers/random.js';
import { canonicalJson, eventLeaf, type AccessEvent } from './event.js';
import { indexKeysByParse, quickIndexKeys } from './index-keys.js';

const WORDS = ['c1', 'c2', 'u7', 'actor', 'time', 'subjects', '"', '\\', '{', '}', '[', ']', ',', ':', 'é', '😀', '', 'a b', '"actor":"x"'];

function randomEvent(r: () => number, i: number): AccessEvent {
  const pick = (): string => WORDS[Math.floor(r() * WORDS.length)]!;
  const e: Record<string, unknown> = {
    id: `e-${i}`,
    time: new Date(Date.UTC(2026, 0, 1) + i * 61_000).toISOString(),
    actor: r() < 0.8 ? `u${i % 30}` : pick(),
    action: 'view',
    system: r() < 0.8 ? 'crm' : pick(),
    subjects: Array.from({ length: Math.floor(r() * 4) }, () => (r() < 0.7 ? `c${Math.floor(r() * 5)}` : pick())),
    fields: Array.from({ length: Math.floor(r() * 3) }, () => (r() < 0.5 ? 'name' : pick())),
    outcome: 'masked',
  };
  if (r() < 0.2) e['detail'] = { subjects: [pick()], actor: pick(), time: pick() };
  if (r() < 0.2) e['purpose'] = pick();
  if (r() < 0.2) e['count'] = Math.floor(r() * 10);
  return e as AccessEvent;
}

/** Valid JSON that is not what the ledger writes: members moved, repeated, spaced, escaped, nested, retyped. */
const VARIANTS: readonly ((leaf: string, r: () => number) => string)[] = [
  (l) => l,
  (l) => {
    const o = JSON.parse(l) as Record<string, unknown>;
    return JSON.stringify(Object.fromEntries(Object.entries(o).reverse()));
  },
  (l) => l.replace('"actor":', '"actor":"x","actor":'),
  (l) => l.replace('{', '{"actor":"first",'),
  (l) => l.replace('{', '{"time":"2020-01-01T00:00:00.000Z",'),
  (l) => l.replace('{', '{"subjects":["early"],'),
  (l) => l.replace('"actor":', '"\\u0061ctor":"y","actor":'),
  (l) => l.replace('"subjects":', '"subjects" :'),
  (l) => l.replace('"actor":"', '"actor": "'),
  (l) => l.replace(/"subjects":\[[^\]]*\]/, '"subjects":["c1",["c2"],null,3]'),
  (l) => l.replace(/"subjects":\[[^\]]*\]/, '"subjects":"c1"'),
  (l) => l.replace(/"actor":"[^"]*"/, '"actor":42'),
  (l) => l.replace(/"time":"[^"]*"/, '"time":null'),
  (l) => l.replace(/"subjects":\[/, '"subjects":["c1","c1",'),
  (l) => l.replace(/"subjects":\[/, '"subjects":[ "c1" , '),
  (l) => l.replace('"crm"', '"cr\\"m"'),
  (l) => l.replace('"outcome":', '"x":{"actor":"z","subjects":["zz"]},"outcome":'),
  (l) => l.replace(/"actor":"[^"]*",/, '').replace('"fields":[', '"fields":["actor",'),
  (l) => l.replace(/"time":"[^"]*"/, '"timestamp":"x"').replace('"fields":[', '"fields":["time",'),
  // The only actor, subjects and time inside a nested object (the top level has none).
  (l) => {
    const { actor, subjects, time, ...rest } = JSON.parse(l) as Record<string, unknown>;
    return canonicalJson({ ...rest, detail: { actor, subjects, time } });
  },
  (l) => `[${l}]`,
  (l) => ` ${l}`,
];

describe('quickIndexKeys', () => {
  it('files every leaf the ledger writes exactly as parsing does, and reads nearly all of them off the text', () => {
    const r = random(3);
    let quick = 0;
    for (let i = 0; i < 5000; i++) {
      const leaf = eventLeaf(randomEvent(r, i));
      const q = quickIndexKeys(leaf);
      if (q !== undefined) {
        quick++;
        expect(q, leaf).toEqual(indexKeysByParse(leaf));
      }
    }
    expect(quick).toBeGreaterThan(2000);
  });

  it('answers as parsing does, or leaves the leaf to parsing, on any JSON that is not what the ledger writes', () => {
    const r = random(4);
    let different = 0;
    for (let i = 0; i < 20_000; i++) {
      const base = eventLeaf(randomEvent(r, i));
      const leaf = VARIANTS[Math.floor(r() * VARIANTS.length)]!(base, r);
      try {
        JSON.parse(leaf);
      } catch {
        continue;
      }
      const q = quickIndexKeys(leaf);
      if (q !== undefined) expect(q, leaf).toEqual(indexKeysByParse(leaf));
      if (leaf !== base) different++;
    }
    expect(different).toBeGreaterThan(10_000);
  });

  it('leaves to parsing a leaf whose actor, subjects and time are only inside a nested object', () => {
    const leaf = '{"action":"view","detail":{"actor":"z","subjects":["c9"],"time":"2030-01-01T00:00:00.000Z"},"fields":[],"id":"e","outcome":"masked","system":"s"}';
    expect(indexKeysByParse(leaf)).toEqual({ actor: undefined, subjects: [], time: '' });
    expect(quickIndexKeys(leaf)).toBeUndefined();
  });

  it('reads the keys of a typical leaf', () => {
    const leaf = eventLeaf({ id: 'e-1', time: '2026-01-01T10:11:12.000Z', actor: 'u1', action: 'view', system: 'crm', subjects: ['c2', 'c1', 'c2'], fields: ['name'], outcome: 'masked' });
    expect(quickIndexKeys(leaf)).toEqual({ actor: 'u1', subjects: ['c2', 'c1'], time: '2026-01-01T10:11:12.000Z' });
  });
});
