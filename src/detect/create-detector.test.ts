import { describe, expect, it } from 'vitest';
import type { AccessEvent } from '../ledger/index.js';
import { createDetector } from './create-detector.js';
import type { Alert } from './detect-types.js';
import type { Org } from './org.js';

const org: Org = {
  actors: [
    { id: 'u0001', department: 'customer_service', role: 'service_agent', employment: 'employee', manager: null, hired: '2024-01-01', leaving: null, assigned: ['c000001'] },
    { id: 'u0002', department: 'customer_service', role: 'service_agent', employment: 'employee', manager: 'u0001', hired: '2024-01-01', leaving: null, assigned: [] },
    { id: 'u0900', department: 'security', role: 'security_analyst', employment: 'employee', manager: null, hired: '2024-01-01', leaving: null, assigned: [] },
  ],
  // Tickets written five minutes after the calls they are about.
  tickets: Array.from({ length: 20 }, (_, i) => ({ id: `T-${i}`, assignee: 'u0002', subjects: [`c000${500 + i}`], opened: '2026-03-02T01:05:00.000Z', closed: null })),
  canaries: ['c009001'],
};

let seq = 0;
function ev(time: number, over: Partial<AccessEvent> = {}): AccessEvent {
  return {
    id: `e-${++seq}`, time: new Date(time).toISOString(), actor: 'u0002', action: 'view', system: 'crm', subjects: ['c000002'],
    fields: ['name', 'mobile'], session: 's-1', ip: '10.3.1.2', device: 'd-1', outcome: 'allowed', ...over,
  };
}

const T0 = Date.parse('2026-03-02T01:00:00.000Z'); // 09:00 in China

function run(events: readonly AccessEvent[]): Alert[] {
  const d = createDetector({ org });
  const out: Alert[] = [];
  for (const e of events) out.push(...d.push(e).alerts);
  out.push(...d.flush().alerts);
  return out;
}

describe('the canary detector', () => {
  it('raises a critical alert on the very event that touches a canary, with suspend among the responses', () => {
    const d = createDetector({ org });
    const r = d.push(ev(T0, { subjects: ['c009001'] }));
    expect(r.alerts).toHaveLength(1);
    expect(r.alerts[0]).toMatchObject({ detector: 'canary', severity: 'critical', actor: 'u0002', time: new Date(T0).toISOString() });
    expect(r.alerts[0]!.summary).toContain('c009001');
    expect(r.responses.map((x) => x.kind)).toContain('suspend');
  });

  it('stays silent on ordinary lookups', () => {
    expect(run([ev(T0), ev(T0 + 60_000, { subjects: ['c000001'] })])).toEqual([]);
  });

  it('does not count a canary on a page of assigned customers or in an approved export, but counts it in a search', () => {
    const d = createDetector({ org });
    expect(d.push(ev(T0, { action: 'list', subjects: ['c000001', 'c009001'] })).alerts.filter((a) => a.detector === 'canary')).toEqual([]);
    // T-3 is u0002's ticket: an export under it is explained as a whole.
    expect(d.push(ev(T0 + 1000, { action: 'export', ticket: 'T-3', subjects: ['c000503', 'c009001'] })).alerts.filter((a) => a.detector === 'canary')).toEqual([]);
    expect(d.push(ev(T0 + 2000, { action: 'search', subjects: ['c009001'] })).alerts.map((a) => a.detector)).toContain('canary');
  });

  it("does not count a canary named in an investigator's case or trace step, but counts anyone else's query of it", () => {
    const d = createDetector({ org });
    expect(d.push(ev(T0, { actor: 'u0900', action: 'query', system: 'custos-console', subjects: ['c009001'], fields: [] })).alerts.filter((a) => a.detector === 'canary')).toEqual([]);
    expect(d.push(ev(T0 + 1000, { action: 'query', subjects: ['c009001'], fields: [] })).alerts.map((a) => a.detector)).toContain('canary');
  });
});

describe('the machine-cadence detector', () => {
  it('fires on lookups without a ticket at a constant 2-second interval', () => {
    const events = Array.from({ length: 30 }, (_, i) => ev(T0 + i * 2000 + (i % 3) * 20, { subjects: [`c00${1000 + i * 7}`] }));
    expect(run(events).some((a) => a.detector === 'machine-cadence')).toBe(true);
  });

  it('does not fire on the same lookups with human think time', () => {
    const gaps = [5, 42, 13, 90, 7, 31, 64, 11, 25, 140, 9, 55, 18, 77, 6, 38, 101, 15, 47, 22, 83, 12, 29, 66, 8, 51, 19, 95, 33, 14];
    let t = T0;
    const events = gaps.map((g, i) => ev((t += g * 1000), { subjects: [`c00${1000 + i * 7}`] }));
    expect(run(events).filter((a) => a.detector === 'machine-cadence')).toEqual([]);
  });
});

describe('the enumeration detector', () => {
  it('fires on paging through consecutive customer ids', () => {
    const events = Array.from({ length: 3 }, (_, p) => ev(T0 + p * 60_000, { action: 'list', subjects: Array.from({ length: 50 }, (_, k) => `c${String(2000 + p * 50 + k).padStart(6, '0')}`) }));
    expect(run(events).some((a) => a.detector === 'enumeration')).toBe(true);
  });

  it('does not fire on the same number of scattered ids', () => {
    const events = Array.from({ length: 3 }, (_, p) => ev(T0 + p * 60_000, { action: 'list', subjects: Array.from({ length: 50 }, (_, k) => `c${String(((p * 50 + k) * 7919) % 99_000).padStart(6, '0')}`) }));
    expect(run(events).filter((a) => a.detector === 'enumeration')).toEqual([]);
  });
});

describe('the account-sharing detector', () => {
  it('fires when the account is used on another device in another city while its session is active', () => {
    const events = [ev(T0), ev(T0 + 60_000, { session: 's-2', device: 'd-9', ip: '58.60.1.2' })];
    const alerts = run(events);
    expect(alerts.some((a) => a.detector === 'account-sharing')).toBe(true);
  });

  it('does not fire on a move between cities that leaves time to travel', () => {
    const events = [ev(T0), ev(T0 + 5 * 3_600_000, { session: 's-2', device: 'd-1', ip: '10.2.1.2' })];
    expect(run(events).filter((a) => a.detector === 'account-sharing')).toEqual([]);
  });
});

describe('tickets written after the call', () => {
  const sensitive = { severityAt: { low: 0.5, medium: 8, high: 12, critical: 20 }, slowExcessRecords: 5 };
  const lookups = (first: number): Alert[] => {
    const d = createDetector({ org, config: sensitive });
    const alerts: Alert[] = [];
    for (let i = 0; i < 20; i++) alerts.push(...d.push(ev(T0 + i * 1000, { subjects: [`c000${first + i}`] })).alerts);
    alerts.push(...d.flush(new Date(T0 + 3_600_000)).alerts);
    return alerts.filter((a) => a.detector === 'low-and-slow');
  };

  it('explain lookups when the ticket opens within the grace period', () => {
    expect(lookups(500)).toEqual([]);
  });

  it('leave the same lookups of people with no ticket unexplained', () => {
    expect(lookups(600).length).toBeGreaterThan(0);
  });
});
