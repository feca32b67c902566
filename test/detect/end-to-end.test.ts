import { describe, expect, it } from 'vitest';
import { createDetector, scoreAlerts, type Alert } from '../../src/detect/index.js';
import type { AccessEvent } from '../../src/ledger/index.js';
import { simulateWorld } from '../../src/sim/index.js';

const events: AccessEvent[] = [];
const world = simulateWorld({ days: 14, staff: 60, customers: 5000, seed: 'e2e', intensities: ['blatant', 'moderate'] }, { write: (e) => events.push(e) });

function detectAll(stream: readonly AccessEvent[]): Alert[] {
  const d = createDetector({ org: world.org });
  const out: Alert[] = [];
  for (const e of stream) out.push(...d.push(e).alerts);
  out.push(...d.flush().alerts);
  return out;
}

const alerts = detectAll(events);

describe('a small world through simulate, detect and evaluate', () => {
  it('detects most blatant and moderate insiders within hours and rarely alarms on innocent people', () => {
    const card = scoreAlerts(world.truth, alerts);
    expect(card.insiders.length).toBeGreaterThanOrEqual(10);
    expect(card.detected / card.insiders.length).toBeGreaterThanOrEqual(0.8);
    expect(card.medianHoursToDetect!).toBeLessThanOrEqual(4);
    expect(card.falseAlarmRate).toBeLessThanOrEqual(10);
  });

  it('writes alerts with ids only, evidence that exists, and the time of the stream when decided', () => {
    const ids = new Set(events.map((e) => e.id));
    for (const a of alerts) {
      expect(a.events.length).toBeGreaterThan(0);
      expect(a.events.every((id) => ids.has(id))).toBe(true);
      expect(a.summary).not.toMatch(/1[3-9]\d{9}|\d{17}[\dX]|62\d{14}/);
    }
  });
});

describe('causality', () => {
  it('gives, for a stream cut at T, exactly the alerts of the full stream up to T', () => {
    for (const fraction of [0.3, 0.55, 0.8]) {
      const cut = events[Math.floor(events.length * fraction)]!.time;
      const prefix = events.filter((e) => e.time <= cut);
      const expected = alerts.filter((a) => a.time <= cut);
      expect(detectAll(prefix)).toEqual(expected);
    }
  });
});
