import type { AccessEvent } from '../../ledger/index.js';
import type { Org } from '../../detect/index.js';
import { createRandom } from '../random.js';
import { addDays, dayKind, localMidnightMs } from './calendar.js';
import { DayBuilder, type SimTicket } from './day-builder.js';
import { insiderDay, pickInsiders } from './insider-scenarios.js';
import { normalDay } from './normal-work.js';
import { buildCompany } from './world-org.js';
import { INTENSITIES, SCENARIOS, type EventWriter, type Truth, type WorldKnobs, type WorldOptions, type WorldResult } from './world-types.js';
import { CustosError } from '../../core/errors.js';

/** The knobs of the documented benchmark world. */
export const DEFAULT_KNOBS: WorldKnobs = {
  volume: 1, lateTickets: 0.2, noTicket: 0.08, campaigns: 0.25, incidents: 0.05, overtime: 0.1,
  insidersPerCell: 1, scenarios: SCENARIOS, intensities: INTENSITIES,
};

function check(o: WorldOptions): void {
  const bad = (key: string, what: string): never => {
    throw new CustosError('CUSTOS_SIM_BAD_OPTION', 400, `${key} must be ${what}.`);
  };
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > 3660) bad('days', 'a whole number from 1 to 3660');
  if (!Number.isInteger(o.staff) || o.staff < 6 || o.staff > 100_000) bad('staff', 'a whole number from 6 to 100,000');
  if (!Number.isInteger(o.customers) || o.customers < 1000 || o.customers > 50_000_000) bad('customers', 'a whole number from 1,000 to 50,000,000');
  if (o.start !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(o.start)) bad('start', 'a date YYYY-MM-DD');
}

/**
 * Simulates a company: `days` of work by `staff` people on `customers` customers, with insiders planted
 * per scenario and intensity. Events go to `writer` in time order one day at a time (a 90-day world of
 * millions of events is never held in memory); the org and the ground truth are returned at the end.
 * The same options always give the same world.
 *
 * @example const { org, truth } = simulateWorld({ days: 14, staff: 60, customers: 5000, seed: 's1' }, { write: (e) => lines.push(e) });
 */
export function simulateWorld(options: WorldOptions, writer: EventWriter): WorldResult {
  check(options);
  const start = options.start ?? '2026-01-05';
  const knobs: WorldKnobs = {
    volume: options.volume ?? DEFAULT_KNOBS.volume,
    lateTickets: options.lateTickets ?? DEFAULT_KNOBS.lateTickets,
    noTicket: options.noTicket ?? DEFAULT_KNOBS.noTicket,
    campaigns: options.campaigns ?? DEFAULT_KNOBS.campaigns,
    incidents: options.incidents ?? DEFAULT_KNOBS.incidents,
    overtime: options.overtime ?? DEFAULT_KNOBS.overtime,
    insidersPerCell: options.insidersPerCell ?? DEFAULT_KNOBS.insidersPerCell,
    scenarios: options.scenarios ?? DEFAULT_KNOBS.scenarios,
    intensities: options.intensities ?? DEFAULT_KNOBS.intensities,
  };
  const seed = options.seed;
  const company = buildCompany(createRandom(`${seed}/org`), { staff: options.staff, customers: options.customers, days: options.days, start });
  const cells = [];
  for (const scenario of knobs.scenarios) for (const intensity of knobs.intensities) for (let i = 0; i < knobs.insidersPerCell; i++) cells.push({ scenario, intensity });
  const insiders = pickInsiders(createRandom(`${seed}/insiders`), company, options.days, start, cells);
  const byActor = new Map(insiders.map((i) => [i.staff.id, i]));
  const insiderEvents: string[][] = insiders.map(() => []);
  const began: number[] = insiders.map(() => NaN);
  const tickets: SimTicket[] = [];
  let ticketSeq = 0;
  const builder = new DayBuilder(company, tickets, () => ++ticketSeq);
  const worked = new Map<string, Set<string>>();
  let eventSeq = 0;

  for (let day = 0; day < options.days; day++) {
    const date = addDays(start, day);
    const midnight = localMidnightMs(date);
    const campaigns = new Map<number, string[]>();
    for (const staff of company.staff) {
      if (day < staff.firstDay || day > staff.lastDay) continue;
      let campaign: string[] = [];
      if (staff.role === 'telesales' && dayKind(date) === 'workday') {
        let pool = campaigns.get(staff.team);
        if (pool === undefined) {
          const r = createRandom(`${seed}/campaign/${staff.team}/${day}`);
          pool = [];
          if (r.chance(knobs.campaigns)) {
            const p = builder.person(r, staff, date, day, midnight, knobs);
            for (let i = 0; i < 150; i++) pool.push(p.realCustomer());
          }
          campaigns.set(staff.team, pool);
        }
        campaign = pool;
      }
      const p = builder.person(createRandom(`${seed}/${day}/${staff.id}`), staff, date, day, midnight, knobs);
      const hours = normalDay(p, campaign);
      const insider = byActor.get(staff.id);
      if (insider !== undefined) insiderDay(builder.person(createRandom(`${seed}/${day}/${staff.id}/abuse`), staff, date, day, midnight, knobs), insider, hours, company);
    }
    const events = builder.take().sort((a, b) => a.t - b.t);
    for (const raw of events) {
      const id = `e-${++eventSeq}`;
      const event = { id, time: new Date(raw.t).toISOString(), ...raw.body } as AccessEvent;
      if (raw.insider >= 0) {
        insiderEvents[raw.insider]!.push(id);
        if (Number.isNaN(began[raw.insider])) began[raw.insider] = raw.t;
      }
      let set = worked.get(event.actor);
      if (set === undefined) worked.set(event.actor, (set = new Set()));
      set.add(date);
      writer.write(event);
    }
  }

  const org: Org = {
    actors: company.staff.map((s) => ({
      id: s.id, department: s.department, role: s.role, employment: s.employment, manager: s.manager,
      hired: s.hired, leaving: s.leaving, assigned: [...s.assigned],
    })),
    tickets: tickets.map((t) => ({ id: t.id, assignee: t.assignee, subjects: [...t.subjects], opened: new Date(t.opened).toISOString(), closed: t.closed === null ? null : new Date(t.closed).toISOString() })),
    canaries: [...company.canaries].sort(),
  };
  const truth: Truth = {
    world: { seed, days: options.days, staff: options.staff, customers: options.customers, start, knobs },
    insiders: insiders
      .filter((i) => insiderEvents[i.index]!.length > 0)
      .map((i) => ({ actor: i.staff.id, scenario: i.scenario, intensity: i.intensity, began: new Date(began[i.index]!).toISOString(), events: insiderEvents[i.index]! })),
    worked: Object.fromEntries([...worked].map(([a, s]) => [a, [...s]])),
  };
  return { org, truth, events: eventSeq };
}
