import { describe, expect, it } from 'vitest';
import type { AccessEvent } from '../ledger/index.js';
import { createDetector } from './create-detector.js';
import type { Alert } from './detect-types.js';
import type { Org } from './org.js';

// A tele-sales team: a manager and five members, each with a small book of customers.
const members = ['u0002', 'u0003', 'u0004', 'u0005', 'u0006'];
const book = (i: number): string[] => Array.from({ length: 30 }, (_, k) => `c${String(1000 * (i + 1) + k).padStart(6, '0')}`);
function org(leaving: string | null = null): Org {
  return {
    actors: [
      { id: 'u0001', department: 'telesales', role: 'telesales', employment: 'employee', manager: null, hired: '2024-01-01', leaving: null, assigned: book(0) },
      ...members.map((id, i) => ({
        id, department: 'telesales', role: 'telesales', employment: 'outsourced' as const, manager: 'u0001', hired: '2024-01-01', leaving: id === 'u0002' ? leaving : null, assigned: book(i + 1),
      })),
    ],
    tickets: [],
    canaries: [],
  };
}

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-02T01:00:00.000Z'); // Monday 09:00 in China
let seq = 0;
function view(actor: string, t: number, subject: string, purpose: string, action: AccessEvent['action'] = 'view'): AccessEvent {
  return {
    id: `e-${++seq}`, time: new Date(t).toISOString(), actor, action, system: 'crm', subjects: [subject], fields: action === 'reveal' ? ['id_number'] : ['name', 'mobile', 'employer'],
    purpose, session: `s-${actor}`, ip: '10.2.1.2', device: `d-${actor}`, outcome: 'allowed',
  };
}

let lead = 0;
/** One working day of the team: own-book calls, the odd referral, and on campaign days shared leads nobody is assigned. */
function teamDay(day: number, campaign: number, extra: (t: number) => AccessEvent[] = () => []): AccessEvent[] {
  const start = T0 + day * DAY;
  const pool = Array.from({ length: 60 }, () => `c${String(50_000 + (lead++ % 40_000)).padStart(6, '0')}`);
  const out: AccessEvent[] = [];
  members.forEach((actor, i) => {
    for (let k = 0; k < 30; k++) {
      const t = start + k * 15 * 60_000 + i * 7_000;
      out.push(view(actor, t, book(i + 1)[k]!, 'sales'));
      if (k === 5) out.push(view(actor, t + 1_000, `c${String(90_000 + day * 10 + i).padStart(6, '0')}`, 'sales')); // a referral
      if (k < campaign) out.push(view(actor, t + 2_000, pool[(k * 5 + i * 3) % pool.length]!, 'campaign'));
    }
  });
  out.push(...extra(start));
  return out.sort((a, b) => a.time.localeCompare(b.time));
}

function run(days: readonly AccessEvent[][], o: Org = org()): Alert[] {
  const d = createDetector({ org: o });
  const alerts: Alert[] = [];
  for (const events of days) for (const e of events) alerts.push(...d.push(e).alerts);
  alerts.push(...d.flush().alerts);
  return alerts;
}

/** Ten ordinary weekdays (weekends skipped), a campaign every other day. */
function history(): AccessEvent[][] {
  const out: AccessEvent[][] = [];
  for (let d = 0; d < 14; d++) if (d % 7 < 5) out.push(teamDay(d, d % 2 === 0 ? 25 : 0));
  return out;
}

const stranger = (t: number, n: number, purpose: string, from: number): AccessEvent[] =>
  Array.from({ length: n }, (_, k) => view('u0002', t + 30 * 60_000 + k * 17 * 60_000, `c${String(from + k).padStart(6, '0')}`, purpose));

describe('unexplained lookups judged per purpose', () => {
  it('stays silent through campaign days, when everyone looks at leads nobody is assigned', () => {
    expect(run([...history(), teamDay(14, 28)])).toEqual([]);
  });

  it('flags a member who adds two dozen "sales" lookups outside the book on a campaign day, the same day', () => {
    const alerts = run([...history(), teamDay(14, 25, (t) => stranger(t, 24, 'sales', 70_000))]);
    const mine = alerts.filter((a) => a.actor === 'u0002');
    expect(alerts.every((a) => a.actor === 'u0002')).toBe(true);
    expect(mine.some((a) => a.detector === 'unexplained' && a.summary.includes('purpose sales'))).toBe(true);
    expect(Date.parse(mine[0]!.time)).toBeLessThan(T0 + 15 * DAY);
  });

  it('does not let one insider on the team make another look normal', () => {
    const loud = (t: number): AccessEvent[] => Array.from({ length: 60 }, (_, k) => view('u0003', t + 20 * 60_000 + k * 8 * 60_000, `c${String(80_000 + k).padStart(6, '0')}`, 'sales'));
    const alerts = run([...history(), teamDay(14, 0, (t) => [...loud(t), ...stranger(t, 24, 'sales', 70_000)])]);
    expect(alerts.some((a) => a.actor === 'u0002' && a.detector === 'unexplained')).toBe(true);
  });
});

describe('reveals with no ticket', () => {
  const reveals = (t: number): AccessEvent[] => [0, 1].map((k) => view('u0002', t + 3 * 3_600_000 + k * 60_000, `c${String(60_000 + k).padStart(6, '0')}`, 'sales', 'reveal'));

  it('are a finding of their own, naming the field and the customer', () => {
    const d = createDetector({ org: org(), config: { severityAt: { low: 3, medium: 8, high: 12, critical: 20 } } });
    const alerts: Alert[] = [];
    for (const events of [...history(), teamDay(14, 0, reveals)]) for (const e of events) alerts.push(...d.push(e).alerts);
    alerts.push(...d.flush().alerts);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ actor: 'u0002', detector: 'unexplained' });
    expect(alerts[0]!.summary).toMatch(/revealed id_number of customer c06000[01] with no assignment or ticket/);
  });

  it('raise an alert at the default levels when the person is about to leave', () => {
    const alerts = run([...history(), teamDay(14, 0, reveals)], org('2026-03-25'));
    expect(alerts.some((a) => a.actor === 'u0002' && a.summary.includes('about to leave'))).toBe(true);
    expect(run([...history(), teamDay(14, 0, reveals)])).toEqual([]);
  });
});
