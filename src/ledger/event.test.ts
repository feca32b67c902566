import { describe, expect, it } from 'vitest';
import { accessEventSchema, canonicalJson, eventLeaf, eventProblem, type AccessEvent } from './event.js';

describe('eventLeaf', () => {
  it('writes exactly canonicalJson for events with any mix of optional members', () => {
    const optional = { count: 3, detail: { z: [1, { b: 2, a: 'é"\\' }], a: null }, device: 'd-1', ip: '10.0.0.1', purpose: 'complaint', reason: 'CUSTOS_X', session: 's-1', ticket: 't-9' };
    const keys = Object.keys(optional) as (keyof typeof optional)[];
    for (let mask = 0; mask < 2 ** keys.length; mask++) {
      const e: Record<string, unknown> = {
        id: `e-${mask}`,
        time: '2026-11-22T10:00:00.000Z',
        actor: 'u-"quoted"',
        action: 'view',
        system: 'crm\u2028',
        subjects: mask % 3 === 0 ? [] : ['c1', 'c\u00e9'],
        fields: ['name', 'mobile'],
        outcome: 'masked',
      };
      keys.forEach((k, i) => {
        if (mask & (2 ** i)) e[k] = optional[k];
      });
      expect(eventLeaf(e as AccessEvent)).toBe(canonicalJson(e));
    }
  });

  it('quotes every string exactly as JSON.stringify does (escapes, controls, lone and paired surrogates)', () => {
    const strings = ['plain-id_1.x:y@z', 'a"b', 'a\\b', 'tab\there', 'nl\n', '\u0000', '\u001f', '\u007f', 'é', '\u2028', '😀', '\ud83d', 'x\ude00', ''];
    for (const s of strings) {
      const e = { id: 'e', time: '2026-11-22T10:00:00.000Z', actor: 'u', action: 'view', system: s, subjects: [s], fields: [s], outcome: 'masked', purpose: s } as AccessEvent;
      expect(eventLeaf(e)).toBe(canonicalJson(e));
      expect(JSON.parse(eventLeaf(e))).toEqual(e);
    }
  });

  it('does not reproduce a leaf that has undefined members or non-canonical nesting, so the verifier rejects it', () => {
    const leaf = '{"action":"view","actor":"u","extra":1,"fields":[],"id":"e","outcome":"allowed","subjects":[],"system":"s","time":"t"}';
    expect(eventLeaf(JSON.parse(leaf) as AccessEvent)).not.toBe(leaf);
    const nested = '{"action":"view","actor":"u","detail":{"b":1,"a":2},"fields":[],"id":"e","outcome":"allowed","subjects":[],"system":"s","time":"t"}';
    expect(eventLeaf(JSON.parse(nested) as AccessEvent)).not.toBe(nested);
    const missing = '{"action":"view","fields":[],"id":"e","outcome":"allowed","subjects":[],"system":"s","time":"t"}';
    expect(eventLeaf(JSON.parse(missing) as AccessEvent)).not.toBe(missing);
  });
});

describe('eventProblem', () => {
  const good: Record<string, unknown> = {
    id: 'e-1', time: '2024-02-29T23:59:59.999Z', actor: 'u0001', action: 'view', system: 'crm', subjects: ['c1'], fields: ['name'], outcome: 'masked',
    purpose: 'complaint', ticket: 't-1', session: 's-1', ip: '10.0.0.1', device: 'd-1', count: 2, detail: { kind: 'x' }, reason: 'CUSTOS_X',
  };
  // Values that are right for some member and wrong for others, so every member sees good and bad ones.
  const values: unknown[] = [
    undefined, null, '', 'x', 'a b', 'é', 'x'.repeat(64), 'x'.repeat(65), 'x'.repeat(128), 'x'.repeat(129), 'view', 'export', 'masked', 'allowed', 'nope',
    '2026-02-29T00:00:00.000Z', '2024-02-29T00:00:00.000Z', '2026-04-31T00:00:00.000Z', '2026-04-30T23:59:59.000Z', '2026-01-01T24:00:00.000Z',
    '2026-01-01T00:00:60.000Z', '2026-13-01T00:00:00.000Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000+08:00', '0000-01-01T00:00:00.000Z',
    0, -1, 1.5, 2 ** 53, NaN, Infinity, true, [], ['c1'], ['a b'], [''], [1], Array.from({ length: 257 }, () => 'f'), {}, { k: 1 }, [{}], new Date(0),
  ];
  it('answers exactly as the schema does, member by member', () => {
    let checked = 0;
    for (const member of Object.keys(accessEventSchema.shape)) {
      for (const value of values) {
        const e: Record<string, unknown> = { ...good };
        if (value === undefined) delete e[member];
        else e[member] = value;
        const zodOk = accessEventSchema.safeParse(e).success;
        expect(eventProblem(e) === undefined, `${member} = ${String(value).slice(0, 30)}`).toBe(zodOk);
        if (!zodOk) expect(eventProblem(e)).toBe(member);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('refuses members the format does not define, and non-objects', () => {
    expect(eventProblem({ ...good, name: '张三' })).toBe('name');
    for (const v of [null, 'e', 1, [], new Map()]) expect(eventProblem(v)).toBe('(event)');
    expect(eventProblem(good)).toBeUndefined();
  });
});
