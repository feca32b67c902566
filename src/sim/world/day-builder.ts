import type { AccessEvent } from '../../ledger/index.js';
import type { Random } from '../random.js';
import { customerIdOf, type Company, type SimStaff } from './world-org.js';
import type { WorldKnobs } from './world-types.js';

/** An event of the day before it gets its id: event time in ms and, for abuse, the insider's index. */
export interface RawEvent {
  readonly t: number;
  readonly body: Omit<AccessEvent, 'id' | 'time'>;
  readonly insider: number;
}

/** A ticket as the simulation keeps it (written to org.json at the end). */
export interface SimTicket {
  readonly id: string;
  readonly assignee: string;
  readonly subjects: readonly string[];
  readonly opened: number;
  closed: number | null;
}

/** Where one person's work of one day is written: events, tickets, and their session context. */
export interface PersonDay {
  readonly rng: Random;
  readonly staff: SimStaff;
  readonly date: string;
  readonly dayIndex: number;
  /** Local midnight of the day in ms. */
  readonly midnight: number;
  readonly knobs: WorldKnobs;
  /** Milliseconds of local hour `h` (fractional) of this day. */
  at(h: number): number;
  /** A customer who is not a canary (innocent work never finds the honeytokens). */
  realCustomer(): string;
  /** Any customer id, canaries included (what an insider reaches by guessing or paging). */
  anyCustomer(): string;
  /** Opens a ticket for this person at `t` and returns its id. */
  openTicket(prefix: string, subjects: readonly string[], t: number, closeAfterMs: number): string;
  /** This person's tickets still open at `t`. */
  openTickets(t: number): readonly SimTicket[];
  /** Moves the person's default network address and device for the rest of the day (travel). */
  relocate(ip: string, device: string): void;
  /** Records an event of this person (session, ip and device default to the desk). */
  emit(t: number, body: Partial<Omit<AccessEvent, 'id' | 'time' | 'actor'>> & Pick<AccessEvent, 'action' | 'system'>, insider?: number): void;
}

/** Collects the raw events and tickets of one simulated day. */
export class DayBuilder {
  events: RawEvent[] = [];
  private readonly byAssignee = new Map<string, SimTicket[]>();

  constructor(
    private readonly company: Company,
    private readonly tickets: SimTicket[],
    private readonly nextTicket: () => number,
  ) {}

  /** Hands over the day's events and starts a new day. */
  take(): RawEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  /** Index existing tickets so follow-ups find them. */
  remember(t: SimTicket): void {
    const list = this.byAssignee.get(t.assignee);
    if (list === undefined) this.byAssignee.set(t.assignee, [t]);
    else {
      list.push(t);
      if (list.length > 40) list.shift();
    }
  }

  person(rng: Random, staff: SimStaff, date: string, dayIndex: number, midnight: number, knobs: WorldKnobs): PersonDay {
    const company = this.company;
    const session = `s-${dayIndex}-${staff.id}`;
    let where = { ip: staff.ip, device: staff.device };
    const pick = (): string => customerIdOf(rng.int(1, company.customerCount), company.idWidth);
    return {
      rng, staff, date, dayIndex, midnight, knobs,
      at: (h) => midnight + Math.round(h * 3_600_000),
      realCustomer: () => {
        for (;;) {
          const c = pick();
          if (!company.canaries.has(c)) return c;
        }
      },
      anyCustomer: pick,
      openTicket: (prefix, subjects, t, closeAfterMs) => {
        const ticket: SimTicket = { id: `${prefix}-${String(this.nextTicket()).padStart(6, '0')}`, assignee: staff.id, subjects, opened: t, closed: t + closeAfterMs };
        this.tickets.push(ticket);
        this.remember(ticket);
        return ticket.id;
      },
      openTickets: (t) => (this.byAssignee.get(staff.id) ?? []).filter((k) => k.opened <= t && (k.closed === null || k.closed > t)),
      relocate: (ip, device) => {
        where = { ip, device };
      },
      emit: (t, body, insider = -1) => {
        this.events.push({
          t,
          insider,
          body: {
            actor: staff.id,
            subjects: [],
            fields: [],
            session,
            ip: where.ip,
            device: where.device,
            outcome: 'allowed',
            ...body,
          },
        });
      },
    };
  }
}
