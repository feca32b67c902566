import type { Random } from '../random.js';
import { addDays } from './calendar.js';

/** Offices and their address blocks; 10.8/16 is the VPN (no place), 58.60/16 an outside network. */
export const SITES = ['shanghai', 'beijing', 'shenzhen', 'chengdu'] as const;
export type Site = (typeof SITES)[number];
export const SITE_PREFIX: Readonly<Record<Site, string>> = { shanghai: '10.1', beijing: '10.2', shenzhen: '10.3', chengdu: '10.4' };
export const VPN_PREFIX = '10.8';
export const OUTSIDE_PREFIX = '58.60';

export type Role = 'service_agent' | 'telesales' | 'teller' | 'risk_analyst' | 'engineer' | 'security_analyst';

interface RolePlan {
  readonly department: string;
  readonly role: Role;
  readonly share: number;
  readonly outsourced: number;
  readonly assigned: number;
  readonly sites: readonly Site[];
}

const PLAN: readonly RolePlan[] = [
  { department: 'customer_service', role: 'service_agent', share: 0.3, outsourced: 0.2, assigned: 60, sites: ['shenzhen', 'chengdu'] },
  { department: 'telesales', role: 'telesales', share: 0.25, outsourced: 0.5, assigned: 150, sites: ['beijing', 'shenzhen'] },
  { department: 'retail_banking', role: 'teller', share: 0.2, outsourced: 0, assigned: 0, sites: ['shanghai', 'beijing', 'shenzhen', 'chengdu'] },
  { department: 'risk', role: 'risk_analyst', share: 0.1, outsourced: 0, assigned: 0, sites: ['shanghai'] },
  { department: 'engineering', role: 'engineer', share: 0.1, outsourced: 0.1, assigned: 0, sites: ['shanghai', 'beijing'] },
  { department: 'security', role: 'security_analyst', share: 0.05, outsourced: 0, assigned: 0, sites: ['shanghai'] },
];

/** A simulated member of staff: the org.json actor plus how they work. */
export interface SimStaff {
  readonly id: string;
  readonly department: string;
  readonly role: Role;
  readonly employment: 'employee' | 'outsourced';
  readonly manager: string | null;
  readonly hired: string;
  /** Leaving date (local), or null. */
  leaving: string | null;
  readonly assigned: readonly string[];
  readonly site: Site;
  readonly ip: string;
  readonly device: string;
  /** A laptop used over the VPN (engineers, some analysts). */
  readonly laptop: string | null;
  /** Team index inside the department (teams of about ten share a manager and campaigns). */
  readonly team: number;
  /** Call-centre shift: 0 early, 1 middle, 2 late (service agents only). */
  readonly shift: number;
  /** First and last day index (inclusive) of work within the world. */
  readonly firstDay: number;
  lastDay: number;
  /** Personal pace: multiplies daily volume (0.7–1.3). */
  readonly pace: number;
}

export interface Company {
  readonly staff: readonly SimStaff[];
  readonly canaries: ReadonlySet<string>;
  readonly customerCount: number;
  readonly idWidth: number;
}

/** A customer id like c000123 (at least six digits). */
export function customerIdOf(n: number, width: number): string {
  return `c${String(n).padStart(width, '0')}`;
}

/** Builds the staff, their assignments, new hires and leavers, and the canary customers. */
export function buildCompany(rng: Random, opts: { staff: number; customers: number; days: number; start: string }): Company {
  const idWidth = Math.max(6, String(opts.customers).length);
  const staffWidth = Math.max(4, String(opts.staff).length);
  const canaries = new Set<string>();
  const canaryCount = Math.max(5, Math.round(opts.customers / 5000));
  while (canaries.size < canaryCount) canaries.add(customerIdOf(rng.int(1, opts.customers), idWidth));
  const staff: SimStaff[] = [];
  let n = 0;
  let device = 0;
  for (const [i, plan] of PLAN.entries()) {
    const size = i === PLAN.length - 1 ? Math.max(1, opts.staff - n) : Math.max(1, Math.round(opts.staff * plan.share));
    let lead: string | null = null;
    for (let k = 0; k < size; k++) {
      n++;
      const id = `u${String(n).padStart(staffWidth, '0')}`;
      const isLead = k % 10 === 0;
      const newHire = !isLead && opts.days >= 10 && rng.chance(0.04);
      const firstDay = newHire ? rng.int(3, opts.days - 5) : 0;
      const hired = newHire ? addDays(opts.start, firstDay) : addDays(opts.start, -rng.int(60, 8 * 365));
      const leaver = !isLead && !newHire && opts.days >= 10 && rng.chance(0.03);
      const lastDay = leaver ? rng.int(5, opts.days - 1) : opts.days - 1;
      const assigned = new Set<string>();
      const want = Math.min(plan.assigned, opts.customers - canaries.size);
      while (assigned.size < want) {
        const c = customerIdOf(rng.int(1, opts.customers), idWidth);
        if (!canaries.has(c)) assigned.add(c);
      }
      const site = rng.pick(plan.sites);
      const host = rng.int(2, 250);
      staff.push({
        id,
        department: plan.department,
        role: plan.role,
        employment: !isLead && rng.chance(plan.outsourced) ? 'outsourced' : 'employee',
        manager: isLead ? null : lead,
        hired,
        leaving: leaver ? addDays(opts.start, lastDay + 1) : null,
        assigned: [...assigned],
        site,
        ip: `${SITE_PREFIX[site]}.${Math.floor(k / 10) + 1}.${host}`,
        device: `d-${++device}`,
        laptop: plan.role === 'engineer' || (plan.role === 'risk_analyst' && rng.chance(0.5)) ? `d-${++device}` : null,
        team: Math.floor(k / 10),
        shift: rng.int(0, 2),
        firstDay,
        lastDay,
        pace: 0.7 + rng.next() * 0.6,
      });
      if (isLead) lead = id;
    }
  }
  return { staff, canaries, customerCount: opts.customers, idWidth };
}
