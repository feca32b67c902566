import { describe, expect, it } from 'vitest';
import { eventTimeMs } from './event-time.js';

describe('event times', () => {
  it('reads ISO instants exactly as Date.parse does, across days, months and leap years', () => {
    const times = [
      '2026-03-02T09:15:27.120Z', '2026-03-02T23:59:59.999Z', '2026-03-03T00:00:00.000Z', '2024-02-29T12:00:00.001Z',
      '1999-12-31T23:59:59.500Z', '2026-03-02T09:15:27.120Z',
    ];
    for (const t of times) expect(eventTimeMs(t)).toBe(Date.parse(t));
  });

  it('falls back to Date.parse for other forms and malformed digits', () => {
    for (const t of ['2026-03-02T09:15:27Z', '2026-03-02T09:15:27.120+08:00', '2026-03-02T9a:15:27.120Z', '2026-13-02T09:15:27.120Z', 'not a time']) {
      expect(eventTimeMs(t)).toEqual(Date.parse(t));
    }
  });
});
