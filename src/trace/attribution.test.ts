import { describe, expect, it } from 'vitest';
import { typeOfValue } from '../catalog/index.js';
import type { AccessEvent } from '../ledger/index.js';
import { createAccessIndex, formatLeakReport, generateCanaryPerson, parseAudience, rankSuspects } from './index.js';

const cid = (n: number) => `c${String(n).padStart(6, '0')}`;
let seq = 0;
function ev(actor: string, subjects: string[], over: Partial<AccessEvent> = {}): AccessEvent {
  return { id: `e-${++seq}`, time: '2026-03-02T02:00:00.000Z', actor, action: 'view', system: 'crm', subjects, fields: ['name'], outcome: 'masked', ...over };
}

/** u1 saw c1–c100 (their book); u2 saw c1–c10 and c101–c200; u3 paged through all 10,000 customers; u4 ran bulk queries. */
function world() {
  const ix = createAccessIndex();
  for (let i = 1; i <= 100; i++) ix.add(ev('u1', [cid(i)]));
  for (let i = 1; i <= 10; i++) ix.add(ev('u2', [cid(i)]));
  for (let i = 101; i <= 200; i++) ix.add(ev('u2', [cid(i)]));
  for (let p = 0; p < 200; p++) ix.add(ev('u3', Array.from({ length: 50 }, (_, k) => cid(p * 50 + k + 1)), { action: 'list' }));
  ix.add(ev('u4', [], { action: 'query', count: 9000 }));
  // Denied attempts and an investigator's lookup show nothing.
  ix.add(ev('u5', [cid(5), cid(6)], { outcome: 'denied' }));
  ix.add(ev('u6', [cid(5), cid(6), cid(7)], { action: 'query', outcome: 'allowed', detail: { kind: 'trace.leak' } }));
  return ix;
}

describe('leak attribution', () => {
  it('ranks first the person whose narrow view covers the sample, above someone who saw everything', async () => {
    const ix = world();
    const r = await rankSuspects({ subjects: [cid(3), cid(20), cid(33), cid(47), cid(51), cid(60), cid(71), cid(88), cid(90), cid(99)] }, ix.source({ customers: 10_000 }));
    expect(r.suspects[0]).toMatchObject({ kind: 'person', actor: 'u1', covered: 10, rank: 1 });
    expect(r.suspects[0]!.probability).toBeGreaterThan(0.99);
    expect(r.suspects.map((s) => s.actor)).toContain('u3');
    expect(r.suspects.map((s) => s.actor)).not.toContain('u5');
    expect(r.suspects.map((s) => s.actor)).not.toContain('u6');
    expect(formatLeakReport(r)).toContain('person u1');
  });

  it('weighs customers others saw too less than customers only one person saw', async () => {
    const ix = world();
    // c1–c10 were seen by u1, u2 and u3 alike: the sample does not tell u1 from u2 by them...
    const shared = await rankSuspects({ subjects: Array.from({ length: 10 }, (_, i) => cid(i + 1)) }, ix.source({ customers: 10_000 }));
    const [a, b] = shared.suspects;
    expect(new Set([a!.actor, b!.actor])).toEqual(new Set(['u1', 'u2']));
    // ...u1 (100 customers) and u2 (110) are nearly tied; one customer u1 never saw settles it.
    expect(Math.abs(a!.score - b!.score)).toBeLessThan(2);
    const settled = await rankSuspects({ subjects: [...Array.from({ length: 10 }, (_, i) => cid(i + 1)), cid(150)] }, ix.source({ customers: 10_000 }));
    expect(settled.suspects[0]!.actor).toBe('u2');
    // c150: u2, and u3 who paged through everyone.
    expect(settled.perSubject.find((s) => s.subject === cid(150))!.viewers).toBe(2);
  });

  it('keeps someone shown bulk rows naming nobody level with the outside hypothesis, not above it', async () => {
    const ix = world();
    const r = await rankSuspects({ subjects: [cid(9001), cid(9002), cid(9003)] }, ix.source({ customers: 10_000 }));
    // Only u3 saw these by name (among 10,000): a weak lead; nobody is likely.
    expect(r.suspects[0]!.actor).toBe('u3');
    expect(r.suspects[0]!.probability).toBeLessThan(0.6);
  });

  it('counts only accesses inside the time window', async () => {
    const ix = createAccessIndex();
    ix.add(ev('u1', [cid(1), cid(2)], { time: '2026-01-01T00:00:00.000Z' }));
    ix.add(ev('u2', [cid(1), cid(2)], { time: '2026-03-01T00:00:00.000Z' }));
    const r = await rankSuspects({ subjects: [cid(1), cid(2)], from: '2026-02-01T00:00:00.000Z' }, ix.source({ customers: 1000 }));
    expect(r.suspects.map((s) => s.actor)).toEqual(['u2']);
  });

  it('ranks exports beside people and counts marks as evidence', async () => {
    const ix = world();
    const source = { ...ix.source({ customers: 10_000 }), exportsOf: () => [{ exportId: 'exp-1', recipient: 'u2', subjects: new Set([cid(101), cid(102), cid(103)]) }] };
    const r = await rankSuspects({ subjects: [cid(101), cid(102), cid(103)], marks: [{ kind: 'fingerprint', exportId: 'exp-1', weight: 30, detail: 'fingerprint' }] }, source);
    expect(r.suspects[0]).toMatchObject({ kind: 'export', exportId: 'exp-1', actor: 'u2' });
    expect(r.suspects[0]!.reasons.join(' ')).toContain('fingerprint');
  });
});

describe('canary people', () => {
  it('have valid identifiers and parse audiences strictly', () => {
    for (let i = 0; i < 20; i++) {
      const p = generateCanaryPerson(`seed-${i}`, new Date('2026-11-01T00:00:00Z'));
      expect(typeOfValue(p.id_number)).toBe('cn_id_card');
      expect(typeOfValue(p.mobile)).toBe('cn_mobile');
      expect(typeOfValue(p.bank_card)).toBe('bank_card');
      expect(p.name.length).toBeGreaterThan(1);
    }
    expect(parseAudience('viewer:u0042')).toEqual({ kind: 'viewer', staff: 'u0042' });
    expect(parseAudience('team:telesales')).toEqual({ kind: 'team', department: 'telesales' });
    expect(parseAudience('export:exp-01ABC')).toEqual({ kind: 'export', exportId: 'exp-01ABC' });
    for (const bad of ['', 'viewer:', 'everyone', 'team:a b', 'viewer:u1;drop']) expect(() => parseAudience(bad)).toThrow(/viewer:<staff id>/);
  });
});
