import { Faker, en, zh_CN } from '@faker-js/faker';
import { createRandom, type Random } from './random.js';
import { generateAddress, generateBankCard, generateBirth, generateEmail, generateIdNumber, generateMobile, randomPlace } from './identifiers.js';

/** One member of staff of the demo company (the org.json actor shape of DESIGN.md, less assignments). */
export interface DemoStaff {
  readonly id: string;
  readonly name: string;
  readonly department: Department;
  readonly role: Role;
  readonly employment: 'employee' | 'outsourced';
  readonly manager: string | null;
  readonly hired: string;
  readonly leaving: string | null;
}

/** One customer of the demo company: every identifier valid (checksums, real area codes). */
export interface DemoCustomer {
  readonly id: string;
  readonly name: string;
  readonly mobile: string;
  readonly id_number: string;
  readonly bank_card: string;
  readonly address: string;
  readonly email: string;
  /** Account balance in fen (1/100 yuan). */
  readonly balance: number;
  readonly employer: string;
}

export interface DemoTicket {
  readonly id: string;
  readonly assignee: string;
  readonly status: 'open' | 'closed';
  readonly opened_at: string;
  readonly closed_at: string | null;
  readonly subjects: readonly string[];
}

export type Department = 'customer_service' | 'telesales' | 'retail_banking' | 'risk' | 'engineering' | 'security';
export type Role = 'service_agent' | 'telesales' | 'teller' | 'risk_analyst' | 'engineer' | 'security_analyst';

interface DepartmentPlan {
  readonly department: Department;
  readonly role: Role;
  readonly share: number;
  readonly outsourced: number;
  /** Customers assigned to each member. */
  readonly assigned: number;
  /** Open and closed tickets per member. */
  readonly openTickets: number;
  readonly closedTickets: number;
}

const PLAN: readonly DepartmentPlan[] = [
  { department: 'customer_service', role: 'service_agent', share: 0.3, outsourced: 0.2, assigned: 60, openTickets: 4, closedTickets: 8 },
  { department: 'telesales', role: 'telesales', share: 0.25, outsourced: 0.5, assigned: 150, openTickets: 1, closedTickets: 2 },
  { department: 'retail_banking', role: 'teller', share: 0.2, outsourced: 0, assigned: 0, openTickets: 2, closedTickets: 6 },
  { department: 'risk', role: 'risk_analyst', share: 0.1, outsourced: 0, assigned: 0, openTickets: 2, closedTickets: 2 },
  { department: 'engineering', role: 'engineer', share: 0.1, outsourced: 0.1, assigned: 0, openTickets: 0, closedTickets: 0 },
  { department: 'security', role: 'security_analyst', share: 0.05, outsourced: 0, assigned: 0, openTickets: 0, closedTickets: 0 },
];

/** Options for the demo company. */
export interface DemoOptions {
  readonly staff: number;
  readonly customers: number;
  readonly seed: string;
  /** "Today" for the generated company: hire dates and ticket times lie before it. */
  readonly now: Date;
}

/** Width of zero-padded ids so that they sort and stay fixed-width. */
function pad(n: number, total: number, min: number): string {
  return String(n).padStart(Math.max(min, String(total).length), '0');
}

export function customerId(index: number, total: number): string {
  return `c${pad(index, total, 6)}`;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function makeFaker(seed: number): Faker {
  const f = new Faker({ locale: [zh_CN, en] });
  f.seed(seed);
  return f;
}

/**
 * The staff of the demo company: departments per PLAN, a manager for every team of about ten, hire dates
 * over the last eight years, half of tele-sales outsourced.
 */
export function generateStaff(options: DemoOptions): DemoStaff[] {
  const rng = createRandom(`${options.seed}/staff`);
  const faker = makeFaker(rng.int(1, 2 ** 31));
  const staff: DemoStaff[] = [];
  let n = 0;
  for (const [i, plan] of PLAN.entries()) {
    const size = i === PLAN.length - 1 ? Math.max(1, options.staff - n) : Math.max(1, Math.round(options.staff * plan.share));
    let lead: string | null = null;
    for (let k = 0; k < size; k++) {
      n++;
      const id = `u${pad(n, options.staff, 4)}`;
      const isLead = k % 10 === 0;
      const hired = new Date(options.now.getTime() - rng.int(30, 8 * 365) * 86_400_000);
      staff.push({
        id,
        name: faker.person.fullName(),
        department: plan.department,
        role: plan.role,
        employment: !isLead && rng.chance(plan.outsourced) ? 'outsourced' : 'employee',
        manager: isLead ? null : lead,
        hired: isoDate(hired),
        leaving: rng.chance(0.02) ? isoDate(new Date(options.now.getTime() + rng.int(5, 60) * 86_400_000)) : null,
      });
      if (isLead) lead = id;
    }
  }
  return staff;
}

/**
 * Customers in batches (streaming: 10 million must not be held in memory).
 * @example for (const batch of generateCustomers(opts, 1000)) insert(batch);
 */
export function* generateCustomers(options: DemoOptions, batchSize: number): Generator<DemoCustomer[]> {
  const rng = createRandom(`${options.seed}/customers`);
  const faker = makeFaker(rng.int(1, 2 ** 31));
  const thisYear = options.now.getUTCFullYear();
  let batch: DemoCustomer[] = [];
  for (let i = 1; i <= options.customers; i++) {
    const place = randomPlace(rng);
    const birth = generateBirth(rng, thisYear - 80, thisYear - 18);
    batch.push({
      id: customerId(i, options.customers),
      name: faker.person.fullName(),
      mobile: generateMobile(rng),
      id_number: generateIdNumber(rng, place, birth),
      bank_card: generateBankCard(rng),
      address: generateAddress(rng, rng.chance(0.7) ? place : randomPlace(rng)),
      email: generateEmail(rng),
      balance: Math.round(Math.exp(rng.next() * 14)) * 100 + rng.int(0, 99),
      employer: faker.company.name(),
    });
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Customers assigned to sales and service staff (each staff member gets a disjoint-ish random book). */
export function* generateAssignments(options: DemoOptions, staff: readonly DemoStaff[]): Generator<{ staff_id: string; customer_id: string }> {
  const rng = createRandom(`${options.seed}/assignments`);
  for (const s of staff) {
    const plan = PLAN.find((p) => p.department === s.department)!;
    const seen = new Set<number>();
    const count = Math.min(plan.assigned, options.customers);
    while (seen.size < count) seen.add(rng.int(1, options.customers));
    for (const c of seen) yield { staff_id: s.id, customer_id: customerId(c, options.customers) };
  }
}

/** Tickets linking staff to customers: a few open, more closed, opened in the last weeks. */
export function generateTickets(options: DemoOptions, staff: readonly DemoStaff[]): DemoTicket[] {
  const rng = createRandom(`${options.seed}/tickets`);
  const tickets: DemoTicket[] = [];
  let n = 0;
  const nowMs = options.now.getTime();
  for (const s of staff) {
    const plan = PLAN.find((p) => p.department === s.department)!;
    const total = plan.openTickets + plan.closedTickets;
    for (let k = 0; k < total; k++) {
      n++;
      const open = k < plan.openTickets;
      const opened = new Date(nowMs - rng.int(1, open ? 3 * 86_400 : 30 * 86_400) * 1000);
      const subjects = [customerId(rng.int(1, options.customers), options.customers)];
      if (rng.chance(0.15)) subjects.push(customerId(rng.int(1, options.customers), options.customers));
      tickets.push({
        id: `T-${String(n).padStart(6, '0')}`,
        assignee: s.id,
        status: open ? 'open' : 'closed',
        opened_at: opened.toISOString(),
        closed_at: open ? null : new Date(opened.getTime() + rng.int(600, 86_400) * 1000).toISOString(),
        subjects: [...new Set(subjects)],
      });
    }
  }
  return tickets;
}

/** Which staff get demo logins: up to `perGroup` of each (department, employment) group, leads first. */
export function pickDemoLogins(staff: readonly DemoStaff[], perGroup = 3): DemoStaff[] {
  const groups = new Map<string, DemoStaff[]>();
  for (const s of staff) {
    const key = `${s.department}/${s.employment}`;
    const g = groups.get(key) ?? [];
    if (g.length < perGroup) g.push(s);
    groups.set(key, g);
  }
  return [...groups.values()].flat();
}

export type { Random };
