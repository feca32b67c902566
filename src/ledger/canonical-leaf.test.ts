import { describe, expect, it } from 'vitest';
import { seededRandom as random } from '../../test/helpers/random.js';
import { eventShape, isCanonicalEventLeaf } from './canonical-leaf.js';
import { EVENT_MEMBERS, eventLeaf, type AccessEvent } from './event.js';

const SHAPE = eventShape(EVENT_MEMBERS);
const fast = (leaf: string): boolean => isCanonicalEventLeaf(leaf, SHAPE);

/** The reference the verifier had: parse, rebuild, compare (a rebuild that throws is a mismatch). */
function reference(leaf: string): boolean {
  let e: unknown;
  try {
    e = JSON.parse(leaf);
  } catch {
    return false;
  }
  try {
    return e !== null && typeof e === 'object' && eventLeaf(e as AccessEvent) === leaf;
  } catch {
    return false;
  }
}

const STRINGS = ['u0042', 'c000123', '', 'a"b', 'a\\b', 'tab\there', 'nl\n', '\u0000', '\u001f', '\u007f', 'é', '张三', '\u2028', '😀', '\ud83d', 'x\ude00', '/', 'e-1'];
const NUMBERS = [0, 1, -1, 2.5, 1e21, 1e-7, 123456789, -0.5, 2 ** 53];

function detailValue(r: () => number, depth: number): unknown {
  const k = Math.floor(r() * (depth > 2 ? 5 : 7));
  if (k === 0) return STRINGS[Math.floor(r() * STRINGS.length)];
  if (k === 1) return NUMBERS[Math.floor(r() * NUMBERS.length)];
  if (k === 2) return r() < 0.5;
  if (k === 3) return null;
  if (k === 4) return 'kind';
  if (k === 5) return Array.from({ length: Math.floor(r() * 3) }, () => detailValue(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = Math.floor(r() * 4); i > 0; i--) o[['kind', 'b', 'a', 'Z', 'é', 'key"q', 'k\\', 'aa', ''][Math.floor(r() * 9)]!] = detailValue(r, depth + 1);
  return o;
}

function randomEvent(r: () => number, i: number): AccessEvent {
  const pick = (xs: readonly string[]): string => xs[Math.floor(r() * xs.length)]!;
  const e: Record<string, unknown> = {
    id: `e-${i}`,
    time: new Date(Date.UTC(2026, 0, 1) + i * 997).toISOString(),
    actor: r() < 0.9 ? `u${i % 300}` : pick(STRINGS),
    action: pick(['view', 'export', 'admin']),
    system: r() < 0.9 ? 'crm' : pick(STRINGS),
    subjects: Array.from({ length: Math.floor(r() * 4) }, (_, k) => (r() < 0.9 ? `c${i + k}` : pick(STRINGS))),
    fields: Array.from({ length: Math.floor(r() * 3) }, () => pick(['name', 'mobile', ...STRINGS])),
    outcome: pick(['allowed', 'masked', 'denied']),
  };
  if (r() < 0.3) e['count'] = NUMBERS[Math.floor(r() * NUMBERS.length)];
  if (r() < 0.3) e['detail'] = detailValue(r, 0);
  for (const k of ['device', 'ip', 'purpose', 'reason', 'session', 'ticket']) if (r() < 0.2) e[k] = r() < 0.8 ? `${k}-1` : pick(STRINGS);
  return e as AccessEvent;
}

/** Changes that make a leaf non-canonical, or invalid JSON, or leave it canonical (both answers must agree anyway). */
const MUTATIONS: readonly ((leaf: string, r: () => number) => string)[] = [
  (l, r) => {
    const at = Math.floor(r() * l.length);
    return l.slice(0, at) + l.slice(at + 1);
  },
  (l, r) => {
    const at = Math.floor(r() * l.length);
    return l.slice(0, at) + ' ' + l.slice(at);
  },
  (l, r) => {
    const at = Math.floor(r() * l.length);
    const chars = ['"', '\\', ',', ':', '{', '}', '[', ']', '0', '-', 'e', '.', '\n', '\u0000', '\ud800', '\udc00', '\udc00\udc00', 'a', 'é', '1', '+', 'E'];
    return l.slice(0, at) + chars[Math.floor(r() * chars.length)]! + l.slice(at + 1);
  },
  (l, r) => l.slice(0, Math.floor(r() * l.length)),
  // Two members swapped (keys out of order).
  (l) => {
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(l) as Record<string, unknown>;
    } catch {
      return l;
    }
    if (o === null || typeof o !== 'object') return l;
    const keys = Object.keys(o);
    [keys[0], keys[1]] = [keys[1]!, keys[0]!];
    return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(o[k])}`).join(',')}}`;
  },
  // A member duplicated, removed, or one the format does not define added.
  (l) => l.replace('"actor":', '"actor":"x","actor":'),
  (l) => l.replace(/"fields":\[[^\]]*\],/, ''),
  (l) => l.replace('"id":', '"idx":1,"id":'),
  (l) => l.replace('"outcome":', '"other":1,"outcome":'),
  (l) => l.replace('"action":', '"__proto__":{},"action":'),
  // Numbers and strings in forms JSON reads but JSON.stringify does not write.
  (l) => l.replace('"count":', '"count":1.0,"x":').replace('"x":', ''),
  (l, r) => l.replace(/"count":[^,}]*/, `"count":${['1.0', '1e21', '1E+21', '-0', '01', '1e400', '.5', '+1', '0x10', '1_0', 'NaN', '1e-7', '0.0000001', '100'][Math.floor(r() * 14)]}`),
  (l) => l.replace('"view"', '"vi\\u0065w"'),
  (l) => l.replace('"crm"', '"cr\\/m"'),
  (l) => l.replace('"masked"', '"mask\\ud800ed"'),
  (l) => l.replace(/"detail":\{/, '"detail":{"b":1,"a":2,'),
  (l) => l.replace(/"detail":\{/, '"detail":{"a":1,"a":2,'),
  // A nested key followed by ',' instead of ':' ({"kind","x"}).
  (l) => {
    const at = l.indexOf('"detail":{"');
    const colon = at < 0 ? -1 : l.indexOf('":', at + 11);
    return colon < 0 ? l : `${l.slice(0, colon)}",${l.slice(colon + 2)}`;
  },
  (l) => l.replace('"subjects":[', '"subjects":[true,'),
  (l) => l.replace('"subjects":[', '"subjects":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],'),
  (l) => l.replace('"subjects":', '"subjects":null,"subjectz":'),
  (l) => `${l}\n`,
  (l) => ` ${l}`,
  (l) => `${l}{}`,
];

/** True when some object key in the value is written escaped by JSON.stringify (the leaves the scanner may leave to the reference). */
function hasEscapedKey(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(hasEscapedKey);
  return Object.entries(v).some(([k, x]) => JSON.stringify(k) !== `"${k}"` || hasEscapedKey(x));
}

describe('isCanonicalEventLeaf', () => {
  it('accepts the leaves of valid events, whatever their optional members, escapes and detail', () => {
    const r = random(1);
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const leaf = eventLeaf(randomEvent(r, i));
      expect(reference(leaf), leaf).toBe(true);
      // It may leave to the reference only a leaf with an escaped key (a detail key with a quote or backslash).
      if (!hasEscapedKey(JSON.parse(leaf))) expect(fast(leaf), leaf).toBe(true);
      if (fast(leaf)) accepted++;
    }
    expect(accepted).toBeGreaterThan(4000);
  });

  it('never accepts a leaf the reference (parse and rebuild) rejects, over many changed leaves', () => {
    const r = random(2);
    let rejected = 0;
    let both = 0;
    for (let i = 0; i < 20_000; i++) {
      let leaf = eventLeaf(randomEvent(r, i));
      for (let k = 1 + Math.floor(r() * 2); k > 0; k--) leaf = MUTATIONS[Math.floor(r() * MUTATIONS.length)]!(leaf, r);
      const ref = reference(leaf);
      if (fast(leaf)) expect(ref, leaf).toBe(true);
      if (!ref) rejected++;
      else both++;
    }
    // The changes above reach both answers often.
    expect(rejected).toBeGreaterThan(10_000);
    expect(both).toBeGreaterThan(1000);
  });

  it('knows the members eventLeaf writes: the same names, required exactly where eventLeaf always writes them', () => {
    const full: Record<string, unknown> = { id: 'e-1', time: '2026-01-01T00:00:00.000Z', actor: 'u1', action: 'view', system: 'crm', subjects: ['c1'], fields: ['name'], outcome: 'masked', count: 1, detail: { kind: 'k' }, device: 'd', ip: '10.0.0.1', purpose: 'p', reason: 'r', session: 's', ticket: 't' };
    // A member the schema gains and this list lacks is set too: eventLeaf must write it for the names to agree.
    for (const k of EVENT_MEMBERS.keys()) if (!(k in full)) full[k] = 'x';
    expect(Object.keys(JSON.parse(eventLeaf(full as AccessEvent)) as object)).toEqual(SHAPE.names);
    // What eventLeaf writes for an event with no members at all: the members it writes unconditionally.
    const always = [...eventLeaf({} as AccessEvent).matchAll(/[{,]"(\w+)":/g)].map((m) => m[1]);
    expect(SHAPE.names.filter((_, i) => SHAPE.required[i])).toEqual(always);
    expect(SHAPE.requiredCount).toBe(always.length);
  });

  it('rejects, among others, the changes an attacker would try first', () => {
    const leaf = eventLeaf({ id: 'e-1', time: '2026-01-01T00:00:00.000Z', actor: 'u1', action: 'view', system: 'crm', subjects: ['c1'], fields: ['name'], outcome: 'masked', count: 2 });
    expect(fast(leaf)).toBe(true);
    for (const bad of [
      leaf.replace('"u1"', '"u2"x'),
      leaf.replace('"count":2', '"count":2.0'),
      leaf.replace('"count":2', '"count":1e400'),
      leaf.replace('"actor":"u1",', ''),
      leaf.replace('{"action"', '{"actor":"u1","action"'),
      leaf.replace('"crm"', '"cr\\u006d"'),
      leaf.replace('"crm"', '"c\ud800m"'),
      // Low surrogates written raw, alone or two together (JSON.stringify escapes each).
      leaf.replace('"crm"', '"c\udc00m"'),
      leaf.replace('"crm"', '"c\udc00\udc00m"'),
      leaf.replace('"crm"', '"\udc00\udc00"'),
      // A nested key not followed by ':'.
      leaf.replace('"fields":', '"detail":{"a",1},"fields":'),
      leaf.replace('"fields":', '"detail":{"a","b"},"fields":'),
      // Keys ordered by their escaped text, not by their values ('"' sorts before '#', '\\' after).
      leaf.replace('"fields":', '"detail":{"a#":1,"a\\"":2},"fields":'),
      `${leaf} `,
    ]) {
      expect(fast(bad), bad).toBe(false);
      expect(reference(bad), bad).toBe(false);
    }
  });
});
