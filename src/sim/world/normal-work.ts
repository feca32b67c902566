import { dayKind, weekday } from './calendar.js';
import type { PersonDay } from './day-builder.js';
import { VPN_PREFIX } from './world-org.js';

const MIN = 60_000;
const HOUR = 3_600_000;

/** Random times within [from, to) hours, sorted, skipping a break of `breakHours` at `breakAt`. */
function times(p: PersonDay, n: number, from: number, to: number, breakAt: number, breakHours: number): number[] {
  const out: number[] = [];
  const span = to - from - breakHours;
  for (let i = 0; i < n; i++) {
    let h = from + p.rng.next() * span;
    if (h >= breakAt) h += breakHours;
    out.push(p.at(h));
  }
  return out.sort((a, b) => a - b);
}

function count(p: PersonDay, lo: number, hi: number): number {
  return Math.max(0, Math.round(p.rng.int(lo, hi) * p.staff.pace * p.knobs.volume));
}

function think(p: PersonDay, lo = 5, hi = 90): number {
  return Math.round((lo + p.rng.next() * (hi - lo)) * 1000);
}

function login(p: PersonDay, start: number, end: number, system: string): void {
  p.emit(start - think(p, 30, 600), { action: 'login', system });
  p.emit(end + think(p, 30, 900), { action: 'logout', system });
}

/** Whether the person works today, and their hours (local, fractional), or null for a day off. */
export function workingHours(p: PersonDay): { from: number; to: number } | null {
  const kind = dayKind(p.date);
  const s = p.staff;
  if (p.rng.chance(0.035)) return null; // sick or on leave
  const overtime = p.rng.chance(p.knobs.overtime) ? 1 + p.rng.next() * 1.5 : 0;
  const jitter = (p.rng.next() - 0.5) * 0.5;
  switch (s.role) {
    case 'service_agent': {
      // The call centre runs every day in three shifts; each agent rests two days a week in rotation.
      const rest = (p.dayIndex + s.team + s.shift * 2) % 7;
      if (rest < 2 || (kind === 'holiday' && p.rng.chance(0.5))) return null;
      const from = [7.5, 10, 14][s.shift]!;
      return { from: from + jitter, to: from + 8 + jitter + overtime };
    }
    case 'teller': {
      if (kind === 'holiday') return null;
      if (kind === 'weekend') {
        // Branches open on Saturdays; tellers take turns by team and week.
        if (weekday(p.date) !== 6 || (Math.floor(p.dayIndex / 7) + s.team) % 2 === 0) return null;
        return { from: 9 + jitter, to: 16 + jitter };
      }
      return { from: 8.75 + jitter, to: 17.25 + jitter + overtime };
    }
    default: {
      if (kind !== 'workday') return p.rng.chance(s.role === 'engineer' ? 0.04 : 0.01) ? { from: 10 + jitter, to: 13 + jitter } : null;
      const from = s.role === 'engineer' ? 10 : s.role === 'risk_analyst' ? 9.5 : 9;
      return { from: from + jitter, to: from + 9 + jitter + overtime };
    }
  }
}

function serviceAgent(p: PersonDay, from: number, to: number): void {
  const calls = times(p, count(p, 22, 34), from, to, (from + to) / 2, 0.75);
  for (const t0 of calls) {
    let t = t0;
    // Look the caller up by phone number; some searches find nobody and get retried.
    const found = !p.rng.chance(0.08);
    const roll = p.rng.next();
    const assigned = roll > 0.92 && p.staff.assigned.length > 0;
    const c = assigned ? p.rng.pick(p.staff.assigned) : p.realCustomer();
    p.emit(t, { action: 'search', system: 'crm', subjects: found ? [c] : [], fields: ['mobile'], purpose: 'customer_service', count: found ? 1 : 0 });
    if (!found) {
      if (p.rng.chance(0.5)) continue;
      t += think(p, 10, 60);
      p.emit(t, { action: 'search', system: 'crm', subjects: [c], fields: ['name'], purpose: 'customer_service', count: 1 });
    }
    const fields = ['name', 'mobile'];
    if (p.rng.chance(0.35)) fields.push('balance');
    if (p.rng.chance(0.1)) fields.push('address');
    if (p.rng.chance(0.1)) fields.push('email');
    const subjects = p.rng.chance(0.1) ? [c, p.realCustomer()] : [c];
    let ticket: string | undefined;
    const { lateTickets, noTicket } = p.knobs;
    const close = (): number => p.rng.int(20, 72 * 60) * MIN;
    t += think(p, 5, 40);
    if (assigned) {
      // the agent's own book: no ticket needed
    } else if (roll < noTicket) {
      // a quick question answered without a ticket
    } else if (roll < noTicket + lateTickets) {
      // looked up while talking; the ticket is written afterwards
      for (const s of subjects) p.emit(t, { action: 'view', system: 'crm', subjects: [s], fields, purpose: 'customer_service' });
      t += think(p, 60, 300);
      ticket = p.openTicket('T', subjects, t, close());
    } else if (roll < 0.72) {
      ticket = p.openTicket('T', subjects, t - think(p, 5, 30), close());
    } else {
      const open = p.openTickets(t);
      ticket = open.length > 0 ? p.rng.pick(open).id : p.openTicket('T', subjects, t - think(p, 5, 30), close());
      const follow = open.length > 0 ? open.find((k) => k.id === ticket) : undefined;
      if (follow !== undefined) subjects.splice(0, subjects.length, ...follow.subjects);
    }
    for (const s of subjects) {
      p.emit(t, { action: 'view', system: 'crm', subjects: [s], fields, purpose: 'customer_service', ticket });
      t += think(p, 5, 30);
    }
    if (ticket !== undefined && p.rng.chance(0.06)) {
      p.emit(t + think(p), { action: 'reveal', system: 'crm', subjects: [subjects[0]!], fields: ['id_number'], purpose: 'identity_check', ticket });
    }
  }
}

function telesales(p: PersonDay, from: number, to: number, campaign: readonly string[]): void {
  const book = p.staff.assigned;
  if (book.length === 0) return;
  let start = p.rng.int(0, book.length - 1);
  const pages = p.rng.int(1, 3);
  for (let i = 0; i < pages; i++) {
    const page = [];
    for (let k = 0; k < 20; k++) page.push(book[(start + k) % book.length]!);
    start += 20;
    p.emit(p.at(from + 0.1 + i * 0.05), { action: 'list', system: 'crm', subjects: page, fields: ['name', 'mobile'], purpose: 'sales' });
  }
  for (const t of times(p, count(p, 35, 55), from + 0.25, to, 12, 1.5)) {
    const referral = p.rng.chance(0.02);
    const c = referral ? p.realCustomer() : p.rng.pick(book);
    p.emit(t, { action: 'view', system: 'crm', subjects: [c], fields: ['name', 'mobile', 'employer'], purpose: 'sales' });
    if (p.rng.chance(0.08)) p.openTicket('O', [c], t + think(p, 120, 600), p.rng.int(1, 10) * 86_400_000);
  }
  // Campaign days: the whole team calls leads from a shared list that nobody is assigned.
  if (campaign.length > 0) {
    for (const t of times(p, count(p, 10, 35), from + 0.5, to, 12, 1.5)) {
      p.emit(t, { action: 'view', system: 'crm', subjects: [p.rng.pick(campaign)], fields: ['name', 'mobile', 'employer'], purpose: 'campaign' });
    }
  }
}

function teller(p: PersonDay, from: number, to: number): void {
  for (const t0 of times(p, count(p, 14, 30), from, to, 12, 1)) {
    const c = p.realCustomer();
    const fields = ['name', 'id_number', 'balance', 'bank_card'];
    if (p.rng.chance(0.1)) fields.push('address');
    const roll = p.rng.next();
    let t = t0;
    let ticket: string | undefined;
    const close = p.rng.int(5, 40) * MIN;
    if (roll < p.knobs.noTicket * 0.75) {
      // a walk-in served without taking a queue number
    } else if (roll < p.knobs.noTicket * 0.75 + p.knobs.lateTickets) {
      p.emit(t, { action: 'view', system: 'core-banking', subjects: [c], fields, purpose: 'counter_service' });
      t += think(p, 40, 180);
      ticket = p.openTicket('Q', [c], t, close);
    } else {
      ticket = p.openTicket('Q', [c], t - p.rng.int(2, 30) * MIN, close + 30 * MIN);
    }
    p.emit(t, { action: 'view', system: 'core-banking', subjects: [c], fields, purpose: 'counter_service', ticket });
    if (ticket !== undefined && p.rng.chance(0.15)) {
      p.emit(t + think(p), { action: 'reveal', system: 'core-banking', subjects: [c], fields: ['bank_card'], purpose: 'counter_service', ticket });
    }
  }
}

function riskAnalyst(p: PersonDay, from: number, to: number): void {
  const reviews = times(p, count(p, 4, 9), from, to, 12, 1);
  for (const t0 of reviews) {
    const subjects = [p.realCustomer()];
    while (p.rng.chance(0.35) && subjects.length < 4) subjects.push(p.realCustomer());
    const ticket = p.openTicket('R', subjects, t0 - p.rng.int(10, 300) * MIN, p.rng.int(1, 5) * 86_400_000);
    let t = t0;
    for (const s of subjects) {
      p.emit(t, { action: 'view', system: 'crm', subjects: [s], fields: ['name', 'id_number', 'bank_card', 'balance', 'employer'], purpose: 'risk_review', ticket });
      t += think(p, 30, 400);
    }
    if (p.rng.chance(0.3)) {
      p.emit(t, { action: 'query', system: 'risk-dwh', subjects: [], fields: ['balance'], purpose: 'risk_review', ticket, count: p.rng.int(100, 3000) });
    }
  }
  if (weekday(p.date) === 4 && p.rng.chance(0.7)) {
    const t = p.at(16 + p.rng.next());
    const ticket = p.openTicket('R', [], t - HOUR, 86_400_000);
    p.emit(t, { action: 'export', system: 'risk-dwh', subjects: [], fields: ['balance', 'employer'], purpose: 'reporting', ticket, count: p.rng.int(200, 1500) });
  }
}

function engineer(p: PersonDay, from: number, to: number, night: boolean, working = true): void {
  const incidentWork = (t0: number, n: number, ip: string, device: string, session?: string): void => {
    let t = t0;
    const subjects = [p.realCustomer()];
    const ticket = p.openTicket('INC', subjects, t - p.rng.int(5, 60) * MIN, p.rng.int(2, 48) * HOUR);
    for (let i = 0; i < n; i++) {
      const k = p.rng.int(1, 6);
      const rows = [];
      for (let j = 0; j < k; j++) rows.push(p.rng.chance(0.3) ? subjects[0]! : p.realCustomer());
      const big = p.rng.chance(0.04);
      p.emit(t, { action: 'query', system: 'backoffice', subjects: big ? [] : rows, fields: ['name', 'mobile'], purpose: 'incident', ticket, count: big ? p.rng.int(50, 300) : rows.length, ip, device, ...(session !== undefined ? { session } : {}) });
      t += think(p, 20, 400);
    }
  };
  if (!working) {
    if (night) nightIncident(p, incidentWork);
    return;
  }
  for (const t of times(p, p.rng.int(0, 3), from, to, 12.5, 1)) incidentWork(t, p.rng.int(1, 6), p.staff.ip, p.staff.device);
  for (const t of times(p, p.rng.int(1, 4), from, to, 12.5, 1)) p.emit(t, { action: 'admin', system: 'deploy', purpose: 'release' });
  if (p.rng.chance(0.025)) {
    // A monthly data fix: one large query under a change ticket.
    const t = p.at(from + 2 + p.rng.next() * 4);
    const ticket = p.openTicket('CHG', [], t - HOUR, 8 * HOUR);
    p.emit(t, { action: 'query', system: 'backoffice', subjects: [], fields: ['mobile', 'email'], purpose: 'data_fix', ticket, count: p.rng.int(500, 4000) });
  }
  if (night) nightIncident(p, incidentWork);
}

/** Paged at night: incident work from home over the VPN on the laptop. */
function nightIncident(p: PersonDay, work: (t0: number, n: number, ip: string, device: string, session?: string) => void): void {
  const t0 = p.at(22 + p.rng.next() * 3);
  const ip = `${VPN_PREFIX}.${p.rng.int(0, 255)}.${p.rng.int(2, 250)}`;
  const device = p.staff.laptop ?? p.staff.device;
  const session = `s-${p.dayIndex}n-${p.staff.id}`;
  p.emit(t0 - think(p, 60, 300), { action: 'login', system: 'backoffice', ip, device, session });
  work(t0, p.rng.int(8, 35), ip, device, session);
}

function securityAnalyst(p: PersonDay, from: number, to: number): void {
  for (const t of times(p, p.rng.int(0, 6), from, to, 12, 1)) {
    const c = p.realCustomer();
    const ticket = p.openTicket('CASE', [c], t - p.rng.int(10, 600) * MIN, 5 * 86_400_000);
    p.emit(t, { action: 'view', system: 'crm', subjects: [c], fields: ['name', 'mobile'], purpose: 'investigation', ticket });
  }
}

const SYSTEM: Readonly<Record<string, string>> = {
  service_agent: 'crm', telesales: 'crm', teller: 'core-banking', risk_analyst: 'crm', engineer: 'backoffice', security_analyst: 'crm',
};

/**
 * One person's normal work on one day. Returns their hours (for insiders to hide inside) or null if they
 * did not work.
 */
export function normalDay(p: PersonDay, campaign: readonly string[]): { from: number; to: number } | null {
  const night = p.staff.role === 'engineer' && p.rng.chance(p.knobs.incidents);
  const hours = workingHours(p);
  if (hours === null) {
    if (night) engineer(p, 0, 0, true, false);
    return null;
  }
  // Analysts with laptops sometimes spend the day at the Beijing office.
  if (p.staff.laptop !== null && p.staff.role === 'risk_analyst' && p.rng.chance(0.04)) p.relocate(`10.2.${p.rng.int(1, 9)}.${p.rng.int(2, 250)}`, p.staff.laptop);
  login(p, p.at(hours.from), p.at(hours.to), SYSTEM[p.staff.role]!);
  switch (p.staff.role) {
    case 'service_agent': serviceAgent(p, hours.from, hours.to); break;
    case 'telesales': telesales(p, hours.from, hours.to, campaign); break;
    case 'teller': teller(p, hours.from, hours.to); break;
    case 'risk_analyst': riskAnalyst(p, hours.from, hours.to); break;
    case 'engineer': engineer(p, hours.from, hours.to, night); break;
    case 'security_analyst': securityAnalyst(p, hours.from, hours.to); break;
  }
  return hours;
}
