/**
 * Milliseconds since the epoch of an event time. The ledger writes `toISOString()` form
 * (`2026-03-02T09:15:27.120Z`); that form is read digit by digit with the date's midnight cached, which is
 * several times faster than `Date.parse` on a replay. Anything else goes to `Date.parse`.
 * @example eventTimeMs('2026-03-02T09:15:27.120Z') === Date.parse('2026-03-02T09:15:27.120Z')
 */
export function eventTimeMs(iso: string): number {
  if (iso.length !== 24 || iso.charCodeAt(10) !== 84 || iso.charCodeAt(13) !== 58 || iso.charCodeAt(16) !== 58 || iso.charCodeAt(19) !== 46 || iso.charCodeAt(23) !== 90) return Date.parse(iso);
  if (!iso.startsWith(cachedDate)) {
    const midnight = Date.parse(`${iso.slice(0, 10)}T00:00:00.000Z`);
    if (Number.isNaN(midnight)) return Date.parse(iso);
    cachedDate = iso.slice(0, 10);
    cachedMidnight = midnight;
  }
  const h = two(iso, 11);
  const m = two(iso, 14);
  const s = two(iso, 17);
  const ms = two(iso, 20) * 10 + digit(iso, 22);
  if (!(h >= 0 && h < 24 && m >= 0 && m < 60 && s >= 0 && s < 60 && ms >= 0)) return Date.parse(iso);
  return cachedMidnight + ((h * 60 + m) * 60 + s) * 1000 + ms;
}

let cachedDate = '\u0000';
let cachedMidnight = 0;

/** A decimal digit at `i`, or a large negative number for anything else (so sums go negative). */
function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1000;
}

function two(s: string, i: number): number {
  return digit(s, i) * 10 + digit(s, i + 1);
}
