import { CustosError } from '../core/errors.js';
import { kindOfValue } from '../marks/index.js';
import { ledgerAccessSource, type AccessSource, type Canary, type ExportSource, type HitKind, type SubjectViewer } from '../trace/index.js';
import type { Runtime } from './runtime.js';

/** Attribution over this Custos's ledger, approved exports (with their canary rows) and customer count. */
export function runtimeAccessSource(rt: Runtime): AccessSource {
  return ledgerAccessSource({
    ledger: rt.ledger,
    async customers() {
      const [row] = await rt.source.selectFrom(rt.plan.table as 'customers').select((eb) => eb.fn.countAll<number>().as('n')).execute();
      return Number(row?.n ?? 0) + (await rt.canaries.ids()).length;
    },
    async exports(subjects) {
      const wanted = new Set(subjects);
      const out: ExportSource[] = [];
      const byExport = new Map<string, string[]>();
      for (const c of await rt.canaries.list(100_000)) {
        if (!c.audience.startsWith('export:')) continue;
        const k = c.audience.slice('export:'.length);
        byExport.set(k, [...(byExport.get(k) ?? []), c.id]);
      }
      for (const x of await rt.access.approvedExports(10_000)) {
        const own = byExport.get(x.id) ?? [];
        const set = new Set([...x.subjects, ...own]);
        if (subjects.some((s) => set.has(s)) || own.some((c) => wanted.has(c))) out.push({ exportId: x.id, recipient: x.requester, subjects: set });
      }
      return out;
    },
  });
}

/** Who a canary was shown to, by the ledger: each person and their accesses (ids and times only). */
export interface CanaryExposure {
  readonly canary: Canary;
  readonly shownTo: readonly SubjectViewer[];
  /** For a canary made for an export: the export and its recipient. */
  readonly export?: { readonly id: string; readonly recipient: string; readonly status: string };
}

export async function canaryExposure(rt: Runtime, canary: Canary): Promise<CanaryExposure> {
  const shownTo = await runtimeAccessSource(rt).viewersOf(canary.id, {});
  if (!canary.audience.startsWith('export:')) return { canary, shownTo };
  const x = await rt.access.get(canary.audience.slice('export:'.length));
  return { canary, shownTo, ...(x !== undefined ? { export: { id: x.id, recipient: x.requester, status: x.status } } : {}) };
}

/** The kind of a value found outside, when the reporter did not say. */
export function hitKindOf(value: string): HitKind {
  const k = kindOfValue(value);
  if (k === 'cn_mobile') return 'phone';
  if (k === 'cn_id_card') return 'id_number';
  if (k === 'bank_card') return 'bank_card';
  if (k === 'email') return 'email';
  if (k === 'cn_address') return 'address';
  return 'name';
}

/**
 * A canary's value found outside (a call to its number, an e-mail to its address, a row in a leaked file):
 * names the canary and who it was shown to, and raises a critical alert against each of them (or against the
 * audience when nobody was shown it yet). No automatic suspension: an outside hit starts an investigation.
 */
export async function reportCanaryHit(rt: Runtime, hit: { kind: HitKind; value: string; channel: string }): Promise<{ exposure: CanaryExposure; alerts: string[] }> {
  const canary = await rt.canaries.findByValue(hit.kind, hit.value);
  if (canary === undefined) throw new CustosError('CUSTOS_CANARY_UNKNOWN_VALUE', 404, `The ${hit.kind} reported belongs to no canary.`);
  const exposure = await canaryExposure(rt, canary);
  const audience = canary.audience.startsWith('viewer:') ? [canary.audience.slice('viewer:'.length)] : exposure.export !== undefined ? [exposure.export.recipient] : [];
  const actors = [...new Set([...exposure.shownTo.map((v) => v.actor), ...audience])].slice(0, 20);
  const now = rt.clock.now().toISOString();
  const alerts: string[] = [];
  for (const actor of actors.length > 0 ? actors : [canary.audience]) {
    const id = rt.ids.next('al');
    const seen = exposure.shownTo.find((v) => v.actor === actor);
    await rt.store
      .insertInto('alerts')
      .values({
        id, time: now, actor, detector: 'canary', severity: 'critical', score: 0,
        summary: `A ${hit.kind} of canary ${canary.id} (audience ${canary.audience}) was found outside (${hit.channel}); ${seen !== undefined ? `${actor} was shown it ${seen.events} time(s), first ${seen.first}` : `${actor} is its audience`}.`,
        events: JSON.stringify(seen !== undefined ? [seen.event] : []), status: 'open', assignee: null, resolution: null, raised_at: now, updated_at: now,
      })
      .execute();
    alerts.push(id);
  }
  return { exposure, alerts };
}
