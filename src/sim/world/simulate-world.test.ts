import { describe, expect, it } from 'vitest';
import type { AccessEvent } from '../../ledger/index.js';
import { accessEventSchema } from '../../ledger/index.js';
import { dayKind, localDate } from './calendar.js';
import { simulateWorld } from './simulate-world.js';

function world(seed: string): { events: AccessEvent[]; result: ReturnType<typeof simulateWorld> } {
  const events: AccessEvent[] = [];
  const result = simulateWorld({ days: 7, staff: 40, customers: 2000, seed, intensities: ['blatant'] }, { write: (e) => events.push(e) });
  return { events, result };
}

describe('the simulated world', () => {
  const a = world('w1');

  it('is the same for the same seed and different for another', () => {
    const b = world('w1');
    expect(b.events).toEqual(a.events);
    expect(b.result.truth).toEqual(a.result.truth);
    expect(world('w2').events.slice(0, 50)).not.toEqual(a.events.slice(0, 50));
  });

  it('writes valid events in time order with ids only', () => {
    for (let i = 1; i < a.events.length; i++) expect(a.events[i]!.time >= a.events[i - 1]!.time).toBe(true);
    for (const e of a.events.slice(0, 2000)) expect(accessEventSchema.safeParse(e).success).toBe(true);
    expect(a.events.every((e) => e.subjects.every((s) => /^c\d{6}$/.test(s)) && /^u\d{4}$/.test(e.actor))).toBe(true);
  });

  it('records every insider with their scenario, start and events, which exist in the stream', () => {
    const ids = new Set(a.events.map((e) => e.id));
    expect(a.result.truth.insiders.length).toBeGreaterThanOrEqual(5);
    for (const i of a.result.truth.insiders) {
      expect(i.events.length).toBeGreaterThan(0);
      expect(i.events.every((id) => ids.has(id))).toBe(true);
      expect(a.events.find((e) => e.id === i.events[0])!.time).toBe(i.began);
    }
  });

  it('keeps office staff home on weekends while the call centre works', () => {
    const roles = new Map(a.result.org.actors.map((s) => [s.id, s.role]));
    const weekend = a.events.filter((e) => dayKind(localDate(Date.parse(e.time))) === 'weekend');
    const byRole = (r: string): number => weekend.filter((e) => roles.get(e.actor) === r).length;
    expect(byRole('service_agent')).toBeGreaterThan(100);
    expect(byRole('risk_analyst')).toBeLessThan(byRole('service_agent') / 10);
  });

  it('knows the 2026 Spring Festival and its make-up Saturday', () => {
    expect(dayKind('2026-02-17')).toBe('holiday');
    expect(dayKind('2026-02-14')).toBe('workday');
    expect(dayKind('2026-02-07')).toBe('weekend');
  });
});
