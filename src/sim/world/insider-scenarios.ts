import type { Random } from '../random.js';
import { addDays } from './calendar.js';
import type { PersonDay } from './day-builder.js';
import { customerIdOf, OUTSIDE_PREFIX, SITE_PREFIX, SITES, type Company, type Role, type SimStaff } from './world-org.js';
import type { Intensity, Scenario } from './world-types.js';

/** One planted insider and the state of their scheme. */
export interface Insider {
  readonly index: number;
  readonly staff: SimStaff;
  readonly scenario: Scenario;
  readonly intensity: Intensity;
  readonly startDay: number;
  /** Paging cursor (S1) or sequential id cursor (S6). */
  cursor: number;
  /** S5: the outside device and network the borrowed account is used from. */
  readonly borrowedIp: string;
  readonly borrowedDevice: string;
}

/** Roles each scenario's insider comes from (INCIDENTS.md). */
const ROLES: Readonly<Record<Scenario, readonly Role[]>> = {
  S1: ['engineer'],
  S2: ['telesales'],
  S3: ['engineer'],
  S4: ['teller'],
  S5: ['service_agent', 'risk_analyst', 'teller', 'telesales'],
  S6: ['service_agent', 'telesales'],
  L: ['telesales', 'service_agent'],
};

/** Picks insiders for every scenario × intensity cell, from staff who work the whole abuse period. */
export function pickInsiders(rng: Random, company: Company, days: number, start: string, cells: readonly { scenario: Scenario; intensity: Intensity }[]): Insider[] {
  const taken = new Set<string>();
  const out: Insider[] = [];
  const lo = Math.min(days - 3, Math.max(4, Math.floor(days * 0.25)));
  const hi = Math.max(lo, Math.floor(days * 0.7));
  for (const cell of cells) {
    const pool = company.staff.filter((s) => ROLES[cell.scenario].includes(s.role) && !taken.has(s.id) && s.firstDay === 0 && s.leaving === null && s.manager !== null);
    const fallback = company.staff.filter((s) => !taken.has(s.id) && s.firstDay === 0 && s.leaving === null);
    const staff = rng.pick(pool.length > 0 ? pool : fallback);
    taken.add(staff.id);
    const startDay = rng.int(lo, hi);
    if (cell.scenario === 'L') {
      staff.lastDay = Math.min(days - 1, startDay + rng.int(10, 18));
      staff.leaving = addDays(start, staff.lastDay + 1);
    }
    const other = SITES.filter((s) => s !== staff.site);
    const ip = cell.intensity === 'blatant' ? `${OUTSIDE_PREFIX}.${rng.int(1, 250)}.${rng.int(2, 250)}` : `${SITE_PREFIX[rng.pick(other)]}.${rng.int(20, 40)}.${rng.int(2, 250)}`;
    out.push({
      index: out.length, staff, scenario: cell.scenario, intensity: cell.intensity, startDay,
      cursor: rng.int(1, company.customerCount), borrowedIp: ip, borrowedDevice: `d-x${rng.int(1000, 9999)}`,
    });
  }
  return out;
}

const PER_DAY: Readonly<Record<Scenario, Readonly<Record<Intensity, number>>>> = {
  S1: { blatant: 120, moderate: 30, subtle: 8, slow: 2 }, // directory pages of 50
  S2: { blatant: 300, moderate: 60, subtle: 20, slow: 6 }, // customers outside the book
  S3: { blatant: 20_000, moderate: 2_000, subtle: 300, slow: 60 }, // rows per download
  S4: { blatant: 60, moderate: 20, subtle: 8, slow: 3 }, // card and balance lookups without a customer
  S5: { blatant: 150, moderate: 40, subtle: 12, slow: 5 }, // lookups under a borrowed account
  S6: { blatant: 4_000, moderate: 800, subtle: 200, slow: 40 }, // records pulled by a tool
  L: { blatant: 1_200, moderate: 60, subtle: 25, slow: 8 }, // records taken before leaving
};

const S6_INTERVAL: Readonly<Record<Intensity, number>> = { blatant: 1.5, moderate: 4, subtle: 15, slow: 60 };

function spread(p: PersonDay, n: number, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(p.at(from + p.rng.next() * (to - from)));
  return out.sort((a, b) => a - b);
}

/**
 * The insider's abuse on one day, mixed into their (or, for S5, the account owner's) normal day.
 * `hours` are the owner's working hours that day, or null when they are off.
 */
export function insiderDay(p: PersonDay, ins: Insider, hours: { from: number; to: number } | null, company: Company): void {
  if (p.dayIndex < ins.startDay || p.dayIndex > ins.staff.lastDay) return;
  const n = PER_DAY[ins.scenario][ins.intensity];
  const mark = ins.index;
  const rng = p.rng;
  const seq = (): string => {
    ins.cursor = (ins.cursor % company.customerCount) + 1;
    return customerIdOf(ins.cursor, company.idWidth);
  };
  if (ins.scenario === 'S5') {
    // Someone else logs in with this account from another place and device.
    const weekly = ins.intensity === 'slow' && (p.dayIndex - ins.startDay) % 4 !== 0;
    if (weekly || (ins.intensity === 'blatant' && hours === null)) return;
    const window = ins.intensity === 'blatant' ? { from: hours!.from + 1, to: hours!.to - 1 } : ins.intensity === 'subtle' ? { from: 12, to: 13 } : { from: 19, to: 22 };
    const session = `s-${p.dayIndex}b-${p.staff.id}`;
    const ctx = { ip: ins.borrowedIp, device: ins.borrowedDevice, session };
    const ts = spread(p, n, window.from, window.to);
    p.emit(ts[0]! - 60_000, { action: 'login', system: 'crm', ...ctx }, mark);
    for (const t of ts) p.emit(t, { action: 'view', system: 'crm', subjects: [p.anyCustomer()], fields: ['name', 'mobile', 'address', 'id_number'], purpose: 'customer_service', ...ctx }, mark);
    return;
  }
  if (hours === null) return;
  const { from, to } = hours;
  switch (ins.scenario) {
    case 'S1': {
      let t = p.at(ins.intensity === 'blatant' ? from + 1 : from + rng.next() * (to - from - 1));
      for (let i = 0; i < n; i++) {
        const page: string[] = [];
        for (let k = 0; k < 50; k++) page.push(seq());
        p.emit(t, { action: 'list', system: 'crm', subjects: page, fields: ['name', 'mobile', 'employer'], purpose: 'support' }, mark);
        t += (ins.intensity === 'blatant' ? 20 + rng.next() * 40 : 30 + rng.next() * 600) * 1000;
      }
      return;
    }
    case 'S2':
      for (const t of spread(p, n, from + 0.2, to - 0.2)) p.emit(t, { action: 'view', system: 'crm', subjects: [p.anyCustomer()], fields: ['name', 'mobile', 'employer'], purpose: 'sales' }, mark);
      return;
    case 'S3': {
      const downloads = ins.intensity === 'blatant' ? 3 : 1;
      const action = ins.intensity === 'blatant' || ins.intensity === 'moderate' ? 'export' : 'query';
      for (const t of spread(p, downloads, from + 1, to - 1)) {
        p.emit(t, { action, system: 'backoffice', subjects: [], fields: ['name', 'mobile', 'id_number', 'bank_card', 'balance'], purpose: 'support', count: n }, mark);
      }
      return;
    }
    case 'S4':
      for (const t of spread(p, n, from + 0.3, to - 0.3)) p.emit(t, { action: 'view', system: 'core-banking', subjects: [p.anyCustomer()], fields: ['name', 'bank_card', 'balance'], purpose: 'counter_service' }, mark);
      return;
    case 'S6': {
      const interval = S6_INTERVAL[ins.intensity];
      let t = p.at(from + 0.5 + rng.next() * 2);
      const sequential = ins.intensity === 'blatant' || ins.intensity === 'subtle';
      for (let i = 0; i < n; i++) {
        p.emit(t, { action: 'view', system: 'crm', subjects: [sequential ? seq() : p.anyCustomer()], fields: ['name', 'mobile', 'address'], purpose: 'customer_service' }, mark);
        t += Math.round(interval * (0.97 + rng.next() * 0.06) * 1000);
      }
      return;
    }
    case 'L': {
      if (ins.intensity === 'blatant' && p.dayIndex === ins.startDay) {
        p.emit(p.at(to - 0.5), { action: 'export', system: 'crm', subjects: [], fields: ['name', 'mobile', 'employer'], purpose: 'sales', count: n }, mark);
        return;
      }
      const daily = ins.intensity === 'blatant' ? 50 : n;
      if (ins.intensity === 'moderate' && p.dayIndex === ins.startDay) {
        const book = p.staff.assigned;
        for (let i = 0; i < book.length; i += 50) p.emit(p.at(from + 1 + i / 2000), { action: 'list', system: 'crm', subjects: book.slice(i, i + 50), fields: ['name', 'mobile', 'employer'], purpose: 'sales' }, mark);
      }
      for (const t of spread(p, daily, from + 0.2, to - 0.2)) p.emit(t, { action: 'view', system: 'crm', subjects: [p.anyCustomer()], fields: ['name', 'mobile', 'employer', 'address'], purpose: 'sales' }, mark);
      if (ins.intensity === 'subtle') for (const t of spread(p, 3, from + 1, to - 1)) p.emit(t, { action: 'reveal', system: 'crm', subjects: [p.anyCustomer()], fields: ['id_number'], purpose: 'sales' }, mark);
      return;
    }
  }
}
