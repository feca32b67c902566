import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../core/clock.js';
import type { Ledger } from '../ledger/index.js';
import type { StoreSchema } from '../store/index.js';
import type { CaseService } from './case-service.js';
import { gradeIncident } from './incident.js';
import type { OperatorKind } from './law.js';

/** Case settings from configuration (docs/cases.md). */
export interface CaseSettings {
  /** The kind of operator this deployment is (sets the reporting deadline). */
  readonly operator: OperatorKind;
  /** How often the reminder timer looks at the clocks of open cases (0: off). */
  readonly reminderSeconds: number;
  /** The first reminder goes this many minutes before the deadline; the second at it. */
  readonly reminderLeadMinutes: number;
  /** The company named in notices, and how people and the regulator reach it. */
  readonly companyName?: string;
  readonly companyContact?: string;
  /** Where reminders are POSTed (the alert webhook). */
  readonly webhookUrl?: string;
}

export const CASES_ACTOR = 'custos-cases';
const OPEN_STATUSES = ['new', 'investigating', 'contained'] as const;

export interface CaseReminders {
  /** Looks at every open case's clock once and sends the reminders that are due; returns how many were sent. */
  tick(): Promise<number>;
  /** Starts the timer (unref'd: it never keeps the process alive). */
  start(): void;
  stop(): void;
}

/**
 * Reporting-deadline reminders: for each open case with an hour deadline, one reminder `lead` minutes before it
 * and one at it, POSTed to the webhook as `{"kind":"custos.case.deadline",…}` (ids and times only) and
 * recorded on the ledger. Each is sent once (the store remembers it across restarts). A case that reached
 * notified has reported and gets none.
 */
export function createCaseReminders(deps: { store: Kysely<StoreSchema>; cases: CaseService; ledger: Pick<Ledger, 'append'>; clock: Clock; ids: IdSource; settings: CaseSettings }): CaseReminders {
  const { store, cases, ledger, clock, ids, settings } = deps;
  let timer: NodeJS.Timeout | undefined;
  let chain: Promise<number> = Promise.resolve(0);
  let busy = false;

  async function post(body: unknown): Promise<boolean> {
    if (settings.webhookUrl === undefined) return false;
    try {
      const res = await fetch(settings.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(5000) });
      return res.ok;
    } catch {
      return false;
    }
  }

  async function once(): Promise<number> {
    const now = clock.now();
    let sent = 0;
    for (const status of OPEN_STATUSES) {
      for (const c of await cases.list(1000, status)) {
        // Cheap first: only a case that could be reportable (by the people entered or a grade) is assessed.
        const bound = Math.max(c.severityEntry.people ?? 0, c.subjects.length);
        if (!gradeIncident({ people: bound, sensitivePeople: bound, ...(c.severityEntry.grade !== undefined ? { entered: c.severityEntry.grade } : {}) }).reportable) continue;
        const { assessment: a } = await cases.assess(c);
        const clk = a.clock;
        if (!clk.required || clk.deadline === null || clk.reportedAt !== null) continue;
        const due = Date.parse(clk.deadline);
        const stage = now.getTime() >= due ? 'due' : now.getTime() >= due - settings.reminderLeadMinutes * 60_000 ? 'before' : undefined;
        if (stage === undefined) continue;
        const done = await store.selectFrom('case_reminders').select('stage').where('case_id', '=', c.id).where('deadline', '=', clk.deadline).execute();
        if (done.some((r) => r.stage === stage)) continue;
        const body = { kind: 'custos.case.deadline', stage, case: c.id, grade: a.incident.grade, operator: clk.operator, deadline: clk.deadline, msLeft: clk.msLeft, reportTo: clk.to?.en ?? null };
        const delivered = await post(body);
        await store.insertInto('case_reminders').values({ case_id: c.id, stage, deadline: clk.deadline, sent_at: now.toISOString(), delivered: delivered ? 1 : 0 }).execute();
        await ledger.append({
          id: ids.next('e'),
          time: now.toISOString(),
          actor: CASES_ACTOR,
          action: 'admin',
          system: CASES_ACTOR,
          subjects: [...c.subjects],
          fields: [],
          outcome: 'allowed',
          detail: { kind: 'case.reminder', case: c.id, stage, deadline: clk.deadline, delivered, webhook: settings.webhookUrl !== undefined },
        });
        sent++;
      }
    }
    return sent;
  }

  return {
    tick() {
      // Passes run one after the other (a reminder is never sent twice), each caller's after the one running.
      const pass = chain.then(once);
      chain = pass.catch(() => 0);
      return pass;
    },
    start() {
      if (settings.reminderSeconds <= 0 || timer !== undefined) return;
      timer = setInterval(() => {
        // A slow webhook never stacks the timer's passes.
        if (busy) return;
        busy = true;
        void this.tick()
          .catch(() => 0)
          .finally(() => {
            busy = false;
          });
      }, settings.reminderSeconds * 1000);
      timer.unref();
    },
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}
