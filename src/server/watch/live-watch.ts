import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../../core/clock.js';
import { CustosError } from '../../core/errors.js';
import { createDetector, DEFAULT_CONFIG, type Alert, type Detection, type DetectorConfig, type Detector, type Response } from '../../detect/index.js';
import type { Principal } from '../../identity/index.js';
import type { AccessEvent, Ledger } from '../../ledger/index.js';
import type { AlertTable, StoreSchema } from '../../store/index.js';
import { createOrgMirror, type OrgMirror } from './org-mirror.js';

/** The actor and system under which detection records what it does on the ledger. */
export const DETECT_ACTOR = 'custos-detect';
/** Actors whose events are Custos's own bookkeeping, not a person's work: never fed to the detector. */
const OWN_ACTORS = new Set([DETECT_ACTOR, 'cli']);

export interface WatchSettings {
  readonly enabled: boolean;
  /** Days of ledger replayed at start so that baselines survive a restart (0: none). */
  readonly replayDays: number;
  /** At most this many events replayed at start. */
  readonly replayMax: number;
  /** How often the detector's clock runs on without events (decides lookups whose ticket grace has passed). */
  readonly flushSeconds: number;
  /** How stale the organisation copy (staff, assignments, tickets) may be before it is re-read. */
  readonly orgMaxAgeSeconds: number;
  /** A throttled person may make this many requests per minute … */
  readonly throttlePerMinute: number;
  /** … for this long after the alert. */
  readonly throttleMinutes: number;
  /** Where alerts are POSTed (JSON, ids only) for the `notify` response. */
  readonly webhookUrl?: string;
  /** Detector settings over the defaults (responses per severity among them). */
  readonly detector?: Partial<DetectorConfig>;
}

export const DEFAULT_WATCH: WatchSettings = {
  enabled: true,
  replayDays: 14,
  replayMax: 2_000_000,
  flushSeconds: 60,
  orgMaxAgeSeconds: 30,
  throttlePerMinute: 10,
  throttleMinutes: 60,
};

export const ALERT_STATUSES = ['open', 'assigned', 'dismissed', 'case'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** An alert as the server keeps it: the detector's alert plus its triage state. */
export interface StoredAlert extends Omit<Alert, 'id'> {
  readonly id: string;
  readonly status: AlertStatus;
  readonly assignee: string | null;
  readonly resolution: string | null;
  readonly raisedAt: string;
  readonly updatedAt: string;
}

export interface AlertFilter {
  readonly status?: AlertStatus;
  readonly actor?: string;
  readonly minSeverity?: Alert['severity'];
  readonly limit: number;
  /** Alerts raised before this id (paging, newest first). */
  readonly before?: string;
}

export interface Hold {
  readonly id: string;
  readonly staffId: string;
  readonly kind: 'throttle' | 'suspend';
  readonly alertId: string | null;
  readonly createdAt: string;
  readonly until: string | null;
}

export interface WatchStats {
  readonly enabled: boolean;
  readonly people: number;
  readonly queued: number;
  readonly observed: number;
  readonly dropped: number;
  readonly alerts: number;
  readonly replayed: number;
  readonly failures: number;
}

/** Live detection in the server: the ledger's events go through the same detector as `custos detect`. */
export interface LiveWatch {
  /** Hands an event that is durable on the ledger to the detector (never blocks the caller). */
  observe(event: AccessEvent): void;
  /** Refuses a person who is suspended or over their throttle (called on every authenticated request). */
  readonly gate: (who: Pick<Principal, 'staffId'>) => void;
  /** Refuses a login of a suspended person. */
  readonly gateLogin: (staffId: string) => void;
  alerts(filter: AlertFilter): Promise<StoredAlert[]>;
  alert(id: string): Promise<StoredAlert | undefined>;
  /** Triage: assign, dismiss with a reason, or mark as taken into a case. Ledgered by the caller's route. */
  triage(id: string, change: { status: AlertStatus; assignee?: string | null; resolution?: string | null }): Promise<StoredAlert>;
  holds(staffId?: string): Hold[];
  /** Suspends a person by hand (a case's containment; the route ledgers it). Returns the hold and sessions ended. */
  suspend(staffId: string): Promise<{ hold: Hold; ended: number }>;
  /** Lifts every hold on a person (the route ledgers who lifted it and why). */
  lift(staffId: string, by: string): Promise<number>;
  /** Resolves when every event observed so far has been judged and its alerts and responses carried out. */
  idle(): Promise<void>;
  stats(): WatchStats;
  close(): Promise<void>;
}

export interface LiveWatchOptions {
  readonly store: Kysely<StoreSchema>;
  readonly ledger: Pick<Ledger, 'append' | 'size' | 'entries'>;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly settings: WatchSettings;
  /** Warnings for the operator (ids and counts only). */
  readonly warn?: (message: string) => void;
  /** Canary subject ids, when the canary capability provides them. */
  readonly canaries?: () => Promise<readonly string[]>;
  /** For tests: the organisation mirror to use. */
  readonly mirror?: OrgMirror;
}

const MAX_QUEUE = 200_000;
const MINUTE = 60_000;
const SEVERITY_RANK: Record<Alert['severity'], number> = { low: 0, medium: 1, high: 2, critical: 3 };

function toStored(r: AlertTable): StoredAlert {
  return {
    id: r.id,
    time: r.time,
    actor: r.actor,
    detector: r.detector as Alert['detector'],
    severity: r.severity as Alert['severity'],
    score: Number(r.score),
    summary: r.summary,
    events: JSON.parse(r.events) as string[],
    status: r.status as AlertStatus,
    assignee: r.assignee,
    resolution: r.resolution,
    raisedAt: r.raised_at,
    updatedAt: r.updated_at,
  };
}

/**
 * Creates the server's live detection: every event that becomes durable on the ledger (record views, logins,
 * events POSTed by outside systems) is judged by the streaming detector; alerts are kept for triage and put on
 * the ledger, and the responses the configuration asks for per severity (step-up, throttle, suspend, notify)
 * are carried out, each one an event on the ledger. Detection never delays a record view: events are queued
 * and judged in order just after.
 */
export async function openLiveWatch(options: LiveWatchOptions): Promise<LiveWatch> {
  const { store, ledger, clock, ids, settings } = options;
  const warn = options.warn ?? (() => {});
  const mirror = options.mirror ?? createOrgMirror(store, { maxAgeMs: settings.orgMaxAgeSeconds * 1000, ...(options.canaries ? { canaries: options.canaries } : {}) });
  const detector: Detector = createDetector({ org: mirror.lookup, clock, ...(settings.detector !== undefined ? { config: settings.detector } : {}) });
  const queue: AccessEvent[] = [];
  let draining: Promise<void> | undefined;
  let observed = 0;
  let dropped = 0;
  let raised = 0;
  let replayed = 0;
  let failures = 0;
  let closed = false;

  const active = new Map<string, Hold[]>();
  const buckets = new Map<string, { minute: number; used: number }>();
  for (const h of await store.selectFrom('holds').selectAll().where('lifted_at', 'is', null).execute()) {
    if (h.until !== null && h.until <= clock.now().toISOString()) continue;
    addHold({ id: h.id, staffId: h.staff_id, kind: h.kind as Hold['kind'], alertId: h.alert_id, createdAt: h.created_at, until: h.until });
  }

  function addHold(h: Hold): void {
    const list = active.get(h.staffId);
    if (list === undefined) active.set(h.staffId, [h]);
    else list.push(h);
  }

  function current(staffId: string): Hold[] {
    const list = active.get(staffId);
    if (list === undefined) return [];
    const now = clock.now().toISOString();
    const live = list.filter((h) => h.until === null || h.until > now);
    if (live.length === 0) active.delete(staffId);
    else if (live.length !== list.length) active.set(staffId, live);
    return live;
  }

  async function record(detail: Record<string, unknown> & { kind: string }, subjects: readonly string[] = []): Promise<void> {
    await ledger.append({
      id: ids.next('e'),
      time: clock.now().toISOString(),
      actor: DETECT_ACTOR,
      action: 'admin',
      system: DETECT_ACTOR,
      subjects: [...subjects],
      fields: [],
      outcome: 'allowed',
      detail,
    });
  }

  async function notify(alert: StoredAlert): Promise<boolean> {
    if (settings.webhookUrl === undefined) return false;
    const body = JSON.stringify({ kind: 'custos.alert', alert });
    const res = await fetch(settings.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(5000) });
    return res.ok;
  }

  async function respond(r: Response, alert: StoredAlert): Promise<void> {
    const now = clock.now();
    switch (r.kind) {
      case 'notify': {
        let ok: boolean;
        try {
          ok = await notify(alert);
        } catch {
          ok = false;
        }
        if (settings.webhookUrl !== undefined) await record({ kind: 'response.notify', person: r.actor, alert: alert.id, delivered: ok });
        return;
      }
      case 'step_up': {
        // No second factor yet: a step-up ends the person's console sessions, so they must log in again.
        const ended = await store.deleteFrom('sessions').where('staff_id', '=', r.actor).where('created_at', '<=', now.toISOString()).executeTakeFirst();
        await record({ kind: 'response.step_up', person: r.actor, alert: alert.id, sessionsEnded: Number(ended.numDeletedRows) });
        return;
      }
      case 'throttle':
      case 'suspend': {
        if (current(r.actor).some((h) => h.kind === r.kind)) return;
        const { hold, ended } = await placeHold(r.actor, r.kind, alert.id);
        await record({ kind: `response.${r.kind}`, person: r.actor, alert: alert.id, hold: hold.id, ...(hold.until !== null ? { until: hold.until } : {}), ...(r.kind === 'suspend' ? { sessionsEnded: ended } : {}) });
        return;
      }
    }
  }

  /** Stores a hold and puts it in force; a suspension also ends the person's sessions. */
  async function placeHold(staffId: string, kind: Hold['kind'], alertId: string | null): Promise<{ hold: Hold; ended: number }> {
    const now = clock.now();
    const hold: Hold = {
      id: ids.next('hold'),
      staffId,
      kind,
      alertId,
      createdAt: now.toISOString(),
      until: kind === 'throttle' ? new Date(now.getTime() + settings.throttleMinutes * MINUTE).toISOString() : null,
    };
    await store
      .insertInto('holds')
      .values({ id: hold.id, staff_id: hold.staffId, kind: hold.kind, alert_id: hold.alertId, created_at: hold.createdAt, until: hold.until, lifted_at: null, lifted_by: null })
      .execute();
    addHold(hold);
    const ended = kind === 'suspend' ? Number((await store.deleteFrom('sessions').where('staff_id', '=', staffId).executeTakeFirst()).numDeletedRows) : 0;
    return { hold, ended };
  }

  async function handle(d: Detection): Promise<void> {
    if (d.alerts.length === 0) return;
    const byDetectorId = new Map<string, StoredAlert>();
    for (const a of d.alerts) {
      const now = clock.now().toISOString();
      const stored: StoredAlert = { ...a, id: ids.next('al'), status: 'open', assignee: null, resolution: null, raisedAt: now, updatedAt: now };
      await store
        .insertInto('alerts')
        .values({
          id: stored.id, time: a.time, actor: a.actor, detector: a.detector, severity: a.severity, score: a.score, summary: a.summary,
          events: JSON.stringify(a.events), status: 'open', assignee: null, resolution: null, raised_at: now, updated_at: now,
        })
        .execute();
      await record({ kind: 'alert.raise', alert: stored.id, person: a.actor, detector: a.detector, severity: a.severity, evidence: a.events.length });
      byDetectorId.set(a.id, stored);
      raised++;
    }
    for (const r of d.responses) {
      const alert = byDetectorId.get(r.alert);
      if (alert !== undefined) await respond(r, alert);
    }
  }

  const quotaAlerted = new Map<string, string>();
  let quotaSeq = 0;
  /** A refusal at a quota is an alert of its own (medium), once per person per day. */
  function quotaAlert(e: AccessEvent): Detection {
    const day = e.time.slice(0, 10);
    if (quotaAlerted.get(e.actor) === day) return { alerts: [], responses: [] };
    quotaAlerted.set(e.actor, day);
    const id = `q-${++quotaSeq}`;
    const severity = 'medium' as const;
    const responses = (settings.detector?.responses ?? DEFAULT_CONFIG.responses)[severity];
    return {
      alerts: [{ id, time: e.time, actor: e.actor, detector: 'volume', severity, score: 0, summary: `${e.actor} reached a daily or hourly quota and was refused further records (${e.action} on ${e.system}).`, events: [e.id] }],
      responses: responses.map((kind) => ({ kind, actor: e.actor, alert: id, severity })),
    };
  }

  /** A break-glass reveal alerts security at once (high), and is notified; it is not throttled: it is an emergency. */
  function breakGlassAlert(e: AccessEvent): Detection {
    const id = `bg-${++quotaSeq}`;
    const severity = 'high' as const;
    return {
      alerts: [{ id, time: e.time, actor: e.actor, detector: 'break-glass', severity, score: 0, summary: `${e.actor} used break-glass to reveal ${e.fields.join(', ')} of customer ${e.subjects.join(', ')} (purpose ${e.purpose ?? 'none'}); review it.`, events: [e.id] }],
      responses: [{ kind: 'notify', actor: e.actor, alert: id, severity }],
    };
  }

  async function drain(): Promise<void> {
    while (queue.length > 0 && !closed) {
      try {
        await mirror.refresh();
      } catch {
        failures++;
        warn('detection: the organisation could not be re-read; the previous copy is used');
      }
      const batch = queue.splice(0, 1000);
      for (const e of batch) {
        try {
          // An event resting on a ticket or grant the copy does not know yet (just approved): read again first.
          if (e.ticket !== undefined && mirror.age() > 1000 && !mirror.lookup.holdsTicket(e.actor, e.ticket, Date.parse(e.time), 0)) await mirror.refresh(true);
          await handle(detector.push(e));
          if (e.outcome === 'denied' && e.reason === 'CUSTOS_QUOTA_EXCEEDED') await handle(quotaAlert(e));
          if (e.action === 'reveal' && e.outcome === 'allowed' && (e.detail as { kind?: unknown } | undefined)?.kind === 'reveal.break_glass') await handle(breakGlassAlert(e));
        } catch {
          failures++;
          warn('detection: an alert or response could not be recorded');
        }
      }
    }
  }

  function kick(): Promise<void> {
    draining ??= drain().finally(() => {
      draining = undefined;
      if (queue.length > 0 && !closed) void kick();
    });
    return draining;
  }

  async function replay(): Promise<void> {
    if (settings.replayDays <= 0) return;
    const size = await ledger.size();
    if (size === 0) return;
    const since = new Date(clock.now().getTime() - settings.replayDays * 86_400_000).toISOString();
    // Entries are appended in (nearly) time order: find the first at or after `since` by bisection.
    let lo = Math.max(0, size - settings.replayMax);
    let hi = size;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const [e] = await ledger.entries(mid, 1);
      if (e !== undefined && e.event.time < since) lo = mid + 1;
      else hi = mid;
    }
    await mirror.refresh(true);
    for (let i = lo; i < size; ) {
      const page = await ledger.entries(i, 5000);
      if (page.length === 0) break;
      // Alerts of the replayed span were raised before the restart: only the state is rebuilt.
      for (const { event } of page) if (!OWN_ACTORS.has(event.actor)) detector.push(event);
      replayed += page.length;
      i += page.length;
    }
    detector.flush();
  }

  if (settings.enabled) {
    try {
      await replay();
    } catch {
      failures++;
      warn('detection: the ledger could not be replayed at start; baselines start empty');
    }
  }

  const timer = settings.enabled
    ? setInterval(() => {
        void kick().then(async () => {
          try {
            await mirror.refresh();
            await handle(detector.flush(clock.now()));
          } catch {
            failures++;
          }
        });
      }, settings.flushSeconds * 1000)
    : undefined;
  timer?.unref();

  async function readAlert(id: string): Promise<StoredAlert | undefined> {
    const row = await store.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toStored(row);
  }

  return {
    observe(event) {
      if (!settings.enabled || closed || OWN_ACTORS.has(event.actor)) return;
      observed++;
      if (queue.length >= MAX_QUEUE) {
        queue.shift();
        dropped++;
        if (dropped === 1 || dropped % 10_000 === 0) warn(`detection: queue full, ${dropped} events dropped so far`);
      }
      queue.push(event);
      if (draining === undefined) setImmediate(() => void kick());
    },

    gate(who) {
      const holds = current(who.staffId);
      if (holds.length === 0) return;
      if (holds.some((h) => h.kind === 'suspend')) {
        throw new CustosError('CUSTOS_ACCESS_SUSPENDED', 403, 'Your access is suspended pending a review by the security team. Contact them to restore it.');
      }
      const minute = Math.floor(clock.now().getTime() / MINUTE);
      let b = buckets.get(who.staffId);
      if (b === undefined || b.minute !== minute) buckets.set(who.staffId, (b = { minute, used: 0 }));
      if (b.used >= settings.throttlePerMinute) {
        const seconds = Math.max(1, Math.ceil(((minute + 1) * MINUTE - clock.now().getTime()) / 1000));
        throw new CustosError('CUSTOS_THROTTLED', 429, `Your requests are limited to ${settings.throttlePerMinute} a minute for now. Wait ${seconds} seconds.`, { retryAfterSeconds: seconds });
      }
      b.used++;
    },

    gateLogin(staffId) {
      if (current(staffId).some((h) => h.kind === 'suspend')) {
        throw new CustosError('CUSTOS_ACCESS_SUSPENDED', 403, 'Your access is suspended pending a review by the security team. Contact them to restore it.');
      }
    },

    async alerts(filter) {
      let q = store.selectFrom('alerts').selectAll();
      if (filter.status !== undefined) q = q.where('status', '=', filter.status);
      if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor);
      if (filter.minSeverity !== undefined) {
        const allowed = Object.entries(SEVERITY_RANK).filter(([, r]) => r >= SEVERITY_RANK[filter.minSeverity!]).map(([s]) => s);
        q = q.where('severity', 'in', allowed);
      }
      if (filter.before !== undefined) q = q.where('id', '<', filter.before);
      const rows = await q.orderBy('id', 'desc').limit(filter.limit).execute();
      return rows.map(toStored);
    },

    alert: readAlert,

    async triage(id, change) {
      const now = clock.now().toISOString();
      const res = await store
        .updateTable('alerts')
        .set({
          status: change.status,
          updated_at: now,
          ...(change.assignee !== undefined ? { assignee: change.assignee } : {}),
          ...(change.resolution !== undefined ? { resolution: change.resolution } : {}),
        })
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw new CustosError('CUSTOS_ALERT_NOT_FOUND', 404, `No alert has the id ${id}.`);
      return (await readAlert(id))!;
    },

    async suspend(staffId) {
      const existing = current(staffId).find((h) => h.kind === 'suspend');
      return existing !== undefined ? { hold: existing, ended: 0 } : placeHold(staffId, 'suspend', null);
    },

    holds(staffId) {
      if (staffId !== undefined) return current(staffId);
      return [...active.keys()].flatMap((k) => current(k));
    },

    async lift(staffId, by) {
      const now = clock.now().toISOString();
      const res = await store.updateTable('holds').set({ lifted_at: now, lifted_by: by }).where('staff_id', '=', staffId).where('lifted_at', 'is', null).executeTakeFirst();
      active.delete(staffId);
      buckets.delete(staffId);
      return Number(res.numUpdatedRows);
    },

    async idle() {
      while (draining !== undefined || queue.length > 0) await kick();
    },

    stats() {
      return { enabled: settings.enabled, people: detector.people, queued: queue.length, observed, dropped, alerts: raised, replayed, failures };
    },

    async close() {
      if (timer !== undefined) clearInterval(timer);
      await draining;
      closed = true;
    },
  };
}
