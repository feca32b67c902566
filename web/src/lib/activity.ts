import type { LedgerItem } from './api.js';

export interface Bucket {
  readonly label: string;
  readonly events: number;
  readonly customers: number;
}

const pad = (n: number): string => String(n).padStart(2, '0');
const dayOf = (d: Date): string => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** A person's ledger entries by hour of day (0–23, viewer's time zone): entries and distinct customers. */
export function byHour(items: readonly LedgerItem[]): Bucket[] {
  const events = new Array<number>(24).fill(0);
  const customers = Array.from({ length: 24 }, () => new Set<string>());
  for (const { event } of items) {
    const h = new Date(event.time).getHours();
    if (Number.isNaN(h)) continue;
    events[h]! += 1;
    for (const s of event.subjects) customers[h]!.add(s);
  }
  return events.map((n, h) => ({ label: `${pad(h)}:00`, events: n, customers: customers[h]!.size }));
}

/** The same by calendar day over the `days` days up to `now` (viewer's time zone), oldest first. */
export function byDay(items: readonly LedgerItem[], now: Date, days: number): Bucket[] {
  const labels: string[] = [];
  for (let i = days - 1; i >= 0; i--) labels.push(dayOf(new Date(now.getFullYear(), now.getMonth(), now.getDate() - i)));
  const events = new Map<string, number>(labels.map((l) => [l, 0]));
  const customers = new Map<string, Set<string>>(labels.map((l) => [l, new Set()]));
  for (const { event } of items) {
    const d = new Date(event.time);
    if (Number.isNaN(d.getTime())) continue;
    const day = dayOf(d);
    const n = events.get(day);
    if (n === undefined) continue;
    events.set(day, n + 1);
    for (const s of event.subjects) customers.get(day)!.add(s);
  }
  return labels.map((l) => ({ label: l, events: events.get(l) ?? 0, customers: customers.get(l)?.size ?? 0 }));
}

export interface Mix {
  /** [key, entries] pairs, most first. */
  readonly fields: readonly (readonly [string, number])[];
  readonly ips: readonly (readonly [string, number])[];
  readonly devices: readonly (readonly [string, number])[];
  readonly tickets: readonly (readonly [string, number])[];
}

/** What a person's entries touched: fields, IP addresses, devices, and tickets (or grants) they rested on. */
export function mixOf(items: readonly LedgerItem[]): Mix {
  const count = (keys: (e: LedgerItem['event']) => readonly (string | undefined)[]) => {
    const m = new Map<string, number>();
    for (const { event } of items) for (const k of keys(event)) if (k !== undefined && k !== '') m.set(k, (m.get(k) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  return { fields: count((e) => e.fields), ips: count((e) => [e.ip]), devices: count((e) => [e.device]), tickets: count((e) => [e.ticket]) };
}
