import { describe, expect, it } from 'vitest';
import { canonicalJson, eventLeaf, type AccessEvent } from './event.js';

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

  it('does not reproduce a leaf that has undefined members or non-canonical nesting, so the verifier rejects it', () => {
    const leaf = '{"action":"view","actor":"u","extra":1,"fields":[],"id":"e","outcome":"allowed","subjects":[],"system":"s","time":"t"}';
    expect(eventLeaf(JSON.parse(leaf) as AccessEvent)).not.toBe(leaf);
    const nested = '{"action":"view","actor":"u","detail":{"b":1,"a":2},"fields":[],"id":"e","outcome":"allowed","subjects":[],"system":"s","time":"t"}';
    expect(eventLeaf(JSON.parse(nested) as AccessEvent)).not.toBe(nested);
    const missing = '{"action":"view","fields":[],"id":"e","outcome":"allowed","subjects":[],"system":"s","time":"t"}';
    expect(eventLeaf(JSON.parse(missing) as AccessEvent)).not.toBe(missing);
  });
});
