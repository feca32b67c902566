/**
 * The working calendar of a company in mainland China: local time is UTC+8; public holidays and the
 * weekend days swapped to make them up ("调休"). The table is the State Council's arrangement for 2025–2026
 * as we remember it (not checked against the gazette); it only shapes simulated work.
 */

export const LOCAL_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

const HOLIDAYS = new Set([
  // 2025
  '2025-01-01', '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04',
  '2025-04-04', '2025-04-05', '2025-04-06', '2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05',
  '2025-05-31', '2025-06-01', '2025-06-02', '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05',
  '2025-10-06', '2025-10-07', '2025-10-08',
  // 2026
  '2026-01-01', '2026-01-02', '2026-01-03', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19',
  '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23', '2026-04-04', '2026-04-05', '2026-04-06', '2026-05-01',
  '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05', '2026-06-19', '2026-06-20', '2026-06-21', '2026-09-25',
  '2026-09-26', '2026-09-27', '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07',
]);

const MAKEUP_WORKDAYS = new Set([
  '2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11',
  '2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10',
]);

/** Local midnight (UTC+8) of a `YYYY-MM-DD` date, in ms since the epoch. */
export function localMidnightMs(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - LOCAL_OFFSET_MS;
}

/** The local date (UTC+8) of an instant. @example localDate(Date.parse('2026-01-04T17:00:00Z')) === '2026-01-05' */
export function localDate(ms: number): string {
  return new Date(ms + LOCAL_OFFSET_MS).toISOString().slice(0, 10);
}

/** The kind of a local date for office work. */
export type DayKind = 'workday' | 'weekend' | 'holiday';

/** Whether a local date is a working day, a weekend or a public holiday (make-up Saturdays are workdays). */
export function dayKind(date: string): DayKind {
  if (HOLIDAYS.has(date)) return 'holiday';
  if (MAKEUP_WORKDAYS.has(date)) return 'workday';
  const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6 ? 'weekend' : 'workday';
}

/** Day of the week of a local date, 0 = Sunday. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** The local date `n` days after `date`. */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}
