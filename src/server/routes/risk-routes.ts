import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CustosError } from '../../core/errors.js';
import type { Runtime } from '../runtime.js';
import { authenticate, principalOf } from '../auth.js';
import type { StoredAlert } from '../watch/live-watch.js';
import { recordRequest, requireSecurityRole } from './record.js';

const DAY = 86_400_000;
/** How much one alert adds to a person's risk, by severity; halved every HALF_LIFE_DAYS days since it was raised. */
export const RISK_WEIGHTS: Readonly<Record<StoredAlert['severity'], number>> = { low: 1, medium: 3, high: 10, critical: 30 };
export const HALF_LIFE_DAYS = 7;
/** Bounds of one board: alerts read, peers sampled per group, entries counted per person. */
const MAX_ALERTS = 5_000;
const MAX_PEERS = 20;
const MAX_ENTRIES = 10_000;
const MAX_DEPARTMENT = 500;

const department = z.string().regex(/^[\p{L}\p{N} ._&/-]{1,64}$/u, 'a department name');
const boardQuery = z.object({ days: z.coerce.number().int().min(1).max(60).default(14), limit: z.coerce.number().int().min(1).max(100).default(20) }).strict();
const heatmapQuery = z
  .object({
    department,
    days: z.coerce.number().int().min(1).max(90).default(28),
    /** The viewer's offset from UTC in minutes (east positive), so hours are the viewer's local hours. */
    tzOffset: z.coerce.number().int().min(-720).max(840).default(0),
  })
  .strict();

/** Risk from alerts alone: dismissed alerts count for nothing; the others by severity, decayed by age. */
export function riskOf(alerts: readonly Pick<StoredAlert, 'severity' | 'status' | 'time'>[], now: Date): number {
  let risk = 0;
  for (const a of alerts) {
    if (a.status === 'dismissed') continue;
    const ageDays = Math.max(0, (now.getTime() - Date.parse(a.time)) / DAY);
    risk += RISK_WEIGHTS[a.severity] * 0.5 ** (ageDays / HALF_LIFE_DAYS);
  }
  return Math.round(risk * 10) / 10;
}

interface Activity {
  readonly daily: number[];
  readonly dailyCustomers: number[];
  readonly customers: number;
  readonly truncated: boolean;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Read-only views for the security team computed from what Custos already stores: the alerts and holds of live
 * detection, the staff directory, and the ledger's entries per person (never the detector's internals).
 * Each read is an event on the ledger.
 */
export function riskRoutes(app: FastifyInstance, rt: Runtime): void {
  /** A person's entries and distinct customers per day (oldest first) and distinct customers over the window, from the ledger. */
  async function activity(actor: string, from: Date, days: number): Promise<Activity> {
    const entries = await rt.ledger.events({ actor, from: from.toISOString(), limit: MAX_ENTRIES });
    const daily = new Array<number>(days).fill(0);
    const perDay = Array.from({ length: days }, () => new Set<string>());
    const customers = new Set<string>();
    for (const e of entries) {
      const d = Math.floor((Date.parse(e.event.time) - from.getTime()) / DAY);
      if (d >= 0 && d < days) {
        daily[d]!++;
        for (const s of e.event.subjects) perDay[d]!.add(s);
      }
      for (const s of e.event.subjects) customers.add(s);
    }
    return { daily, dailyCustomers: perDay.map((x) => x.size), customers: customers.size, truncated: entries.length >= MAX_ENTRIES };
  }

  /** The active staff of the same department and role, other than the person, in id order. */
  async function peersOf(departmentName: string, role: string, self: string): Promise<string[]> {
    const rows = await rt.store.selectFrom('staff').select('id').where('department', '=', departmentName).where('role', '=', role).where('status', '=', 'active').orderBy('id').execute();
    return rows.map((r) => r.id).filter((id) => id !== self);
  }

  /** Whole days: a window of `days` days starting at midnight UTC, `days - 1` days ago. */
  const windowFrom = (now: Date, days: number): Date => new Date(Math.floor(now.getTime() / DAY) * DAY - (days - 1) * DAY);

  app.register((scoped, _options, done) => {
    scoped.addHook('preHandler', authenticate(rt.identity, rt.watch.gate));
    scoped.addHook('onSend', (_request, reply, payload, next) => {
      void reply.header('cache-control', 'no-store');
      next(null, payload);
    });

    scoped.get('/api/v1/risk/board', async (request) => {
      const q = boardQuery.parse(request.query);
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'risk.board', 'read the risk board');
      await recordRequest(rt, request, p, { action: 'query', outcome: 'allowed', detail: { kind: 'risk.board', days: q.days, limit: q.limit } });
      const now = rt.clock.now();
      const from = windowFrom(now, q.days);

      // The alerts raised in the window (newest first, paged), grouped by person.
      const byActor = new Map<string, StoredAlert[]>();
      let before: string | undefined;
      let read = 0;
      for (;;) {
        const page = await rt.watch.alerts({ limit: 500, ...(before !== undefined ? { before } : {}) });
        read += page.length;
        for (const a of page) if (Date.parse(a.time) >= from.getTime()) byActor.set(a.actor, [...(byActor.get(a.actor) ?? []), a]);
        if (page.length < 500 || read >= MAX_ALERTS || Date.parse(page[page.length - 1]!.raisedAt) < from.getTime()) break;
        before = page[page.length - 1]!.id;
      }
      const holds = rt.watch.holds();
      for (const h of holds) if (!byActor.has(h.staffId)) byActor.set(h.staffId, []);

      const ranked = [...byActor.entries()]
        .map(([actor, alerts]) => ({ actor, alerts, risk: riskOf(alerts, now) }))
        .sort((a, b) => b.risk - a.risk || b.alerts.length - a.alerts.length || a.actor.localeCompare(b.actor))
        .slice(0, q.limit);

      // Peer groups (same department and role), each sampled once per board.
      const groups = new Map<string, { size: number; riskMedian: number; perDayMedian: number; sampled: number }>();
      async function peerGroup(departmentName: string, role: string, self: string) {
        const key = `${departmentName}\u0000${role}`;
        const known = groups.get(key);
        if (known !== undefined) return known;
        const others = await peersOf(departmentName, role, self);
        const sample = others.slice(0, MAX_PEERS);
        const perDay: number[] = [];
        for (const id of sample) perDay.push((await activity(id, from, q.days)).daily.reduce((x, y) => x + y, 0) / q.days);
        const risks = others.map((id) => riskOf(byActor.get(id) ?? [], now));
        const g = { size: others.length, riskMedian: median(risks), perDayMedian: Math.round(median(perDay) * 10) / 10, sampled: sample.length };
        groups.set(key, g);
        return g;
      }

      const people = [];
      for (const r of ranked) {
        const staff = await rt.identity.findStaff(r.actor);
        const act = await activity(r.actor, from, q.days);
        const perDay = Math.round((act.daily.reduce((x, y) => x + y, 0) / q.days) * 10) / 10;
        const peers = staff === undefined ? null : await peerGroup(staff.department, staff.role, r.actor);
        people.push({
          staffId: r.actor,
          department: staff?.department ?? null,
          role: staff?.role ?? null,
          employment: staff?.employment ?? null,
          risk: r.risk,
          alerts: r.alerts.length,
          openAlerts: r.alerts.filter((a) => a.status === 'open' || a.status === 'assigned').length,
          topSeverity: r.alerts.reduce<StoredAlert['severity'] | null>((top, a) => (top === null || RISK_WEIGHTS[a.severity] > RISK_WEIGHTS[top] ? a.severity : top), null),
          holds: holds.filter((h) => h.staffId === r.actor).map((h) => h.kind),
          daily: act.daily,
          customers: act.customers,
          perDay,
          truncated: act.truncated,
          peers: peers === null ? null : { ...peers, ratio: peers.perDayMedian > 0 ? Math.round((perDay / peers.perDayMedian) * 10) / 10 : null },
        });
      }
      return { from: from.toISOString(), days: q.days, halfLifeDays: HALF_LIFE_DAYS, weights: RISK_WEIGHTS, people };
    });

    // One person's distinct customers per day against their own baseline and their peer group's, for the person page.
    scoped.get('/api/v1/risk/people/:staffId', async (request) => {
      const { staffId } = z.object({ staffId: z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'an id') }).strict().parse(request.params);
      const q = z.object({ days: z.coerce.number().int().min(1).max(60).default(14) }).strict().parse(request.query);
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'risk.person', 'read risk figures');
      const staff = await rt.identity.findStaff(staffId);
      if (staff === undefined) throw new CustosError('CUSTOS_STAFF_NOT_FOUND', 404, `No staff member has the id ${staffId}.`);
      await recordRequest(rt, request, p, { action: 'query', outcome: 'allowed', detail: { kind: 'risk.person', person: staffId, days: q.days } });
      const from = windowFrom(rt.clock.now(), q.days);
      const own = await activity(staffId, from, q.days);
      const others = await peersOf(staff.department, staff.role, staffId);
      const sampled: Activity[] = [];
      for (const id of others.slice(0, MAX_PEERS)) sampled.push(await activity(id, from, q.days));
      const perDay = (pick: (a: Activity) => number[]) => Array.from({ length: q.days }, (_, d) => median(sampled.map((a) => pick(a)[d]!)));
      return {
        staffId,
        department: staff.department,
        role: staff.role,
        from: from.toISOString(),
        days: q.days,
        entries: own.daily,
        customers: own.dailyCustomers,
        baseline: median(own.dailyCustomers),
        truncated: own.truncated,
        peers: { size: others.length, sampled: sampled.length, entries: perDay((a) => a.daily), customers: perDay((a) => a.dailyCustomers) },
      };
    });

    scoped.get('/api/v1/risk/departments', async (request) => {
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'risk.departments', 'read the departments');
      await recordRequest(rt, request, p, { action: 'query', outcome: 'allowed', detail: { kind: 'risk.departments' } });
      const rows = await rt.store.selectFrom('staff').select(['department', (eb) => eb.fn.countAll<number>().as('people')]).where('status', '=', 'active').groupBy('department').orderBy('department').execute();
      return { items: rows.map((r) => ({ department: r.department, people: Number(r.people) })) };
    });

    scoped.get('/api/v1/risk/heatmap', async (request) => {
      const q = heatmapQuery.parse(request.query);
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'risk.heatmap', 'read the heatmap');
      const staff = await rt.store.selectFrom('staff').select('id').where('department', '=', q.department).where('status', '=', 'active').orderBy('id').limit(MAX_DEPARTMENT + 1).execute();
      if (staff.length === 0) throw new CustosError('CUSTOS_DEPARTMENT_NOT_FOUND', 404, 'No active staff member is in that department; pick one from GET /api/v1/risk/departments.');
      await recordRequest(rt, request, p, { action: 'query', outcome: 'allowed', detail: { kind: 'risk.heatmap', department: q.department, days: q.days } });
      const from = new Date(rt.clock.now().getTime() - q.days * DAY);
      // cells[day][hour]: day 0 is Monday, in the viewer's local time.
      const cells = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
      let entries = 0;
      let truncated = staff.length > MAX_DEPARTMENT;
      for (const { id } of staff.slice(0, MAX_DEPARTMENT)) {
        const events = await rt.ledger.events({ actor: id, from: from.toISOString(), limit: MAX_ENTRIES });
        if (events.length >= MAX_ENTRIES) truncated = true;
        for (const e of events) {
          const local = new Date(Date.parse(e.event.time) + q.tzOffset * 60_000);
          cells[(local.getUTCDay() + 6) % 7]![local.getUTCHours()]!++;
          entries++;
        }
      }
      return { department: q.department, days: q.days, from: from.toISOString(), tzOffset: q.tzOffset, people: Math.min(staff.length, MAX_DEPARTMENT), entries, truncated, cells };
    });
    done();
  });
}
