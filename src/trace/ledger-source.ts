import type { Ledger, LedgerEntry } from '../ledger/index.js';
import { showsData } from './access-index.js';
import type { AccessSource, Breadth, ExportSource, SubjectViewer, TimeWindow } from './attribution.js';

const PAGE = 10_000;
/** Pages of an actor's events read for their breadth (at most 500,000 events). */
const MAX_PAGES = 50;

export interface LedgerSourceOptions {
  readonly ledger: Pick<Ledger, 'events'>;
  /** How many customers there are (the data source's count, plus canaries). */
  readonly customers: () => Promise<number>;
  /** Approved exports (with their canary rows) holding any of these customers. */
  readonly exports?: (subjects: readonly string[]) => Promise<readonly ExportSource[]>;
}

function bounds(w: TimeWindow): { from?: string; to?: string } {
  return { ...(w.from !== undefined ? { from: w.from } : {}), ...(w.to !== undefined ? { to: w.to } : {}) };
}

/** Reads every entry of a query, paging by time (entries at the page's last instant are read again and skipped). */
async function* all(ledger: Pick<Ledger, 'events'>, q: { subject?: string; actor?: string }, w: TimeWindow, maxPages: number): AsyncGenerator<LedgerEntry> {
  let from = w.from;
  const seen = new Set<number>();
  for (let page = 0; page < maxPages; page++) {
    const entries = await ledger.events({ ...q, ...bounds({ ...w, ...(from !== undefined ? { from } : {}) }), limit: PAGE });
    let fresh = 0;
    for (const e of entries) {
      if (seen.has(e.index)) continue;
      seen.add(e.index);
      fresh++;
      yield e;
    }
    if (entries.length < PAGE || fresh === 0) return;
    from = entries[entries.length - 1]!.event.time;
  }
}

/**
 * Attribution over the ledger's indexes by subject and by actor (a running Custos, or `--data DIR`).
 * Breadth reads at most 500,000 of a person's events; past that it is a lower bound (which favours them).
 */
export function ledgerAccessSource(options: LedgerSourceOptions): AccessSource {
  const { ledger } = options;
  return {
    customers: () => options.customers(),
    async viewersOf(subject, window) {
      const by = new Map<string, { events: number; first: string; last: string; event: string; actions: Set<string> }>();
      for await (const { event: e } of all(ledger, { subject }, window, 10)) {
        if (!showsData(e)) continue;
        const v = by.get(e.actor);
        if (v === undefined) by.set(e.actor, { events: 1, first: e.time, last: e.time, event: e.id, actions: new Set([e.action]) });
        else {
          v.events++;
          if (e.time > v.last) v.last = e.time;
          v.actions.add(e.action);
        }
      }
      return [...by].map(([actor, v]): SubjectViewer => ({ actor, events: v.events, first: v.first, last: v.last, event: v.event, actions: [...v.actions] }));
    },
    async breadthOf(actor, window): Promise<Breadth> {
      const subjects = new Set<string>();
      let unnamedRows = 0;
      for await (const { event: e } of all(ledger, { actor }, window, MAX_PAGES)) {
        if (!showsData(e)) continue;
        for (const s of e.subjects) subjects.add(s);
        unnamedRows += Math.max(0, (e.count ?? e.subjects.length) - e.subjects.length);
      }
      return { subjects: subjects.size, unnamedRows };
    },
    ...(options.exports !== undefined ? { exportsOf: options.exports } : {}),
  };
}
