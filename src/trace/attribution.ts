/**
 * Leak attribution: given the customers of a leaked sample, which people (and which approved exports) could
 * it have come from, ranked by how well each explains the sample.
 *
 * The model. If person `a` leaked the sample, each leaked customer was drawn from what `a` was shown: with
 * probability 1 − ε from the B_a distinct customers `a` was shown by name, and with probability ε from anywhere
 * else (rows merged in, a mis-resolved row). Against the hypothesis that the sample came from outside (each
 * customer one of N), the log-likelihood ratio of `a` is
 *
 *   L_a = Σ_s log( N · [ (1 − ε) · [s ∈ V_a] / B_a + ε / N ] )
 *
 * Someone also shown U_a rows of bulk results that name nobody (a query's row count) may have leaked from
 * those: each such row is any customer, exactly as likely as from outside, so their score is max(L_a, 0).
 * Ties are broken by how many of the leaked customers the candidate was shown by name.
 *
 * A customer `a` saw adds log((1 − ε) N / B_a): much for someone shown few customers, little for someone shown
 * tens of thousands; a customer `a` never saw costs about log ε. Rarity enters through the competition: a
 * customer seen by one person raises that person alone; a customer seen by hundreds raises hundreds alike,
 * which changes no ranking (the IDF idea, as a likelihood). Exports are candidates of the same form (their
 * rows are the view set). The probability of each candidate is its share of the likelihood with equal priors
 * over the candidates and the outside hypothesis.
 */

/** A time window on event time (ISO-8601, inclusive). */
export interface TimeWindow {
  readonly from?: string;
  readonly to?: string;
}

/** One person's accesses to one customer within the window, aggregated. */
export interface SubjectViewer {
  readonly actor: string;
  /** Events that showed this customer to this person. */
  readonly events: number;
  readonly first: string;
  readonly last: string;
  /** One of those events (the first), to cite. */
  readonly event: string;
  /** The actions those events were (view, search, list, reveal, export, query). */
  readonly actions: readonly string[];
}

/** How widely a person was shown customers in the window. */
export interface Breadth {
  /** Distinct customers named in the events that showed them data. */
  readonly subjects: number;
  /** Rows of bulk results (queries, exports) that name no customer. */
  readonly unnamedRows: number;
}

/** An approved export, as a candidate source. */
export interface ExportSource {
  readonly exportId: string;
  readonly recipient: string;
  readonly subjects: ReadonlySet<string>;
}

/**
 * Who saw what: implemented over the ledger's indexes (a running Custos) and over an events file
 * (`createAccessIndex`). Only data actions that showed data count (outcome allowed or masked).
 */
export interface AccessSource {
  /** The number of customers a leaked one is drawn from under the outside hypothesis. */
  customers(): Promise<number> | number;
  viewersOf(subject: string, window: TimeWindow): Promise<readonly SubjectViewer[]> | readonly SubjectViewer[];
  breadthOf(actor: string, window: TimeWindow): Promise<Breadth> | Breadth;
  /** Approved exports holding any of these customers (none when the source has no exports). */
  exportsOf?(subjects: readonly string[]): Promise<readonly ExportSource[]> | readonly ExportSource[];
}

/** Other evidence pointing at a person or an export: a fingerprint, a text mark, a canary hit. */
export interface MarkEvidence {
  readonly kind: 'fingerprint' | 'text_mark' | 'view_code' | 'canary';
  /** A person (actor) or an export (export id) it names. */
  readonly actor?: string;
  readonly exportId?: string;
  /** Its weight as a natural log-likelihood ratio (e.g. −ln p of a fingerprint's chance agreement). */
  readonly weight: number;
  readonly detail: string;
}

export interface LeakQuery {
  readonly subjects: readonly string[];
  readonly from?: string;
  readonly to?: string;
  /** Evidence from marks found in the leaked file (fingerprints, text marks, canary rows). */
  readonly marks?: readonly MarkEvidence[];
  /** Share of the sample assumed to come from elsewhere (default 0.05). */
  readonly epsilon?: number;
  /** Candidates returned (default 10, at most 100). */
  readonly limit?: number;
}

export interface Suspect {
  readonly kind: 'person' | 'export';
  /** The person, or the export's recipient. */
  readonly actor: string;
  readonly exportId?: string;
  readonly rank: number;
  /** Natural log-likelihood ratio against the outside hypothesis. */
  readonly score: number;
  /** Share of the likelihood among the candidates and the outside hypothesis (equal priors). */
  readonly probability: number;
  /** Leaked customers this candidate was shown (or the export holds). */
  readonly covered: number;
  /** Distinct customers this candidate was shown in the window (or the export's rows). */
  readonly breadth: number;
  readonly unnamedRows: number;
  /** Of the covered customers, how many nobody else was shown. */
  readonly onlyThem: number;
  readonly reasons: readonly string[];
  /** Events to cite: one per covered customer (at most 50). */
  readonly events: readonly string[];
}

export interface SubjectSummary {
  readonly subject: string;
  /** People shown this customer in the window. */
  readonly viewers: number;
  /** Exports holding it. */
  readonly exports: number;
  /** log(people / viewers): how rare seeing it was. */
  readonly rarity: number;
}

export interface LeakRanking {
  readonly subjects: number;
  readonly customers: number;
  readonly epsilon: number;
  /** Share of the likelihood left for "from outside: nobody here was shown these". */
  readonly outside: number;
  readonly suspects: readonly Suspect[];
  readonly perSubject: readonly SubjectSummary[];
}

export const MAX_LEAK_SUBJECTS = 5000;

interface Candidate {
  kind: 'person' | 'export';
  actor: string;
  exportId?: string;
  covered: Set<string>;
  events: string[];
  breadth: number;
  unnamed: number;
  markWeight: number;
  markNotes: string[];
}

function logSumExp(xs: readonly number[]): number {
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  if (m === -Infinity) return m;
  let s = 0;
  for (const x of xs) s += Math.exp(x - m);
  return m + Math.log(s);
}

/**
 * Ranks the people and exports that could have leaked these customers, with reasons.
 *
 * @example const r = await rankSuspects({ subjects: ['c000123', 'c004567'] }, createAccessIndex(events).source());
 *          r.suspects[0]; // { kind: 'person', actor: 'u0042', probability: 0.99, reasons: [...] }
 */
export async function rankSuspects(query: LeakQuery, source: AccessSource): Promise<LeakRanking> {
  const subjects = [...new Set(query.subjects)].slice(0, MAX_LEAK_SUBJECTS);
  const window: TimeWindow = { ...(query.from !== undefined ? { from: query.from } : {}), ...(query.to !== undefined ? { to: query.to } : {}) };
  const eps = Math.min(0.5, Math.max(1e-6, query.epsilon ?? 0.05));
  const limit = Math.min(100, Math.max(1, query.limit ?? 10));
  const n = Math.max(1, await source.customers(), subjects.length);

  const people = new Map<string, Candidate>();
  const viewerCount = new Map<string, number>();
  for (const s of subjects) {
    const viewers = await source.viewersOf(s, window);
    viewerCount.set(s, viewers.length);
    for (const v of viewers) {
      let c = people.get(v.actor);
      if (c === undefined) people.set(v.actor, (c = { kind: 'person', actor: v.actor, covered: new Set(), events: [], breadth: 0, unnamed: 0, markWeight: 0, markNotes: [] }));
      c.covered.add(s);
      if (c.events.length < 50) c.events.push(v.event);
    }
  }
  for (const c of people.values()) {
    const b = await source.breadthOf(c.actor, window);
    c.breadth = Math.max(b.subjects, c.covered.size);
    c.unnamed = b.unnamedRows;
  }
  const exports = new Map<string, Candidate>();
  const exportCount = new Map<string, number>();
  for (const x of (await source.exportsOf?.(subjects)) ?? []) {
    const covered = new Set(subjects.filter((s) => x.subjects.has(s)));
    if (covered.size === 0) continue;
    for (const s of covered) exportCount.set(s, (exportCount.get(s) ?? 0) + 1);
    exports.set(x.exportId, { kind: 'export', actor: x.recipient, exportId: x.exportId, covered, events: [], breadth: x.subjects.size, unnamed: 0, markWeight: 0, markNotes: [] });
  }
  for (const m of query.marks ?? []) {
    let c = m.exportId !== undefined ? exports.get(m.exportId) : m.actor !== undefined ? people.get(m.actor) : undefined;
    if (c === undefined && m.actor !== undefined) {
      // Named by a mark though the ledger shows them none of these customers (a mark can outlive the window).
      const b = await source.breadthOf(m.actor, window);
      c = { kind: 'person', actor: m.actor, covered: new Set(), events: [], breadth: b.subjects, unnamed: b.unnamedRows, markWeight: 0, markNotes: [] };
      people.set(m.actor, c);
    }
    if (c === undefined) continue;
    c.markWeight += Math.max(0, Math.min(200, m.weight));
    c.markNotes.push(`${m.kind}: ${m.detail}`);
  }

  const staff = Math.max(1, people.size);
  const all = [...people.values(), ...exports.values()];
  const scores = all.map((c) => {
    // Leaked from what they were shown by name: each named customer one of B_a.
    const named = c.covered.size * Math.log(n * ((1 - eps) / Math.max(1, c.breadth) + eps / n)) + (subjects.length - c.covered.size) * Math.log(eps);
    // Leaked from bulk results naming nobody: each row any customer, as likely as from outside (score 0).
    const best = c.unnamed > 0 ? Math.max(named, 0) : named;
    return Math.round((best + c.markWeight) * 1e6) / 1e6;
  });
  const z = logSumExp([0, ...scores]);
  const order = all.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || all[b]!.covered.size - all[a]!.covered.size || (all[a]!.actor < all[b]!.actor ? -1 : 1));
  const suspects: Suspect[] = order.slice(0, limit).map((i, rank) => {
    const c = all[i]!;
    const onlyThem = [...c.covered].filter((s) => (c.kind === 'person' ? viewerCount.get(s) === 1 : exportCount.get(s) === 1)).length;
    const rare = [...c.covered].map((s) => viewerCount.get(s) ?? 0).filter((v) => v > 0).sort((a, b) => a - b);
    const reasons: string[] = [];
    if (c.kind === 'person') {
      reasons.push(`was shown ${c.covered.size} of the ${subjects.length} leaked customers`);
      reasons.push(`was shown ${c.breadth.toLocaleString('en')} distinct customers in the window${c.unnamed > 0 ? ` and ${c.unnamed.toLocaleString('en')} rows of bulk results naming nobody` : ''}`);
      if (onlyThem > 0) reasons.push(`${onlyThem} of them were shown to nobody else`);
      if (rare.length > 0) reasons.push(`median co-viewers of the leaked customers they saw: ${rare[Math.floor(rare.length / 2)]! - 1}`);
    } else {
      reasons.push(`export ${c.exportId} to ${c.actor} holds ${c.covered.size} of the ${subjects.length} leaked customers among its ${c.breadth.toLocaleString('en')} rows`);
      if (onlyThem > 0) reasons.push(`${onlyThem} of them are in no other export`);
    }
    reasons.push(...c.markNotes);
    return {
      kind: c.kind,
      actor: c.actor,
      ...(c.exportId !== undefined ? { exportId: c.exportId } : {}),
      rank: rank + 1,
      score: Math.round(scores[i]! * 100) / 100,
      probability: Math.exp(scores[i]! - z),
      covered: c.covered.size,
      breadth: c.breadth,
      unnamedRows: c.unnamed,
      onlyThem,
      reasons,
      events: c.events,
    };
  });
  const perSubject = subjects.map((s) => {
    const v = viewerCount.get(s) ?? 0;
    return { subject: s, viewers: v, exports: exportCount.get(s) ?? 0, rarity: v === 0 ? 0 : Math.round(Math.log(staff / v) * 100) / 100 };
  });
  return { subjects: subjects.length, customers: n, epsilon: eps, outside: Math.exp(-z), suspects, perSubject };
}

/** A readable report of a ranking (ids and counts only, never personal values). */
export function formatLeakReport(r: LeakRanking): string {
  const lines = [`Leaked sample: ${r.subjects} customers resolved, among ${r.customers.toLocaleString('en')}.`];
  const unseen = r.perSubject.filter((s) => s.viewers === 0 && s.exports === 0).length;
  if (unseen > 0) lines.push(`${unseen} of them were shown to nobody in the window (from elsewhere, or outside the window).`);
  lines.push('', 'Ranked sources (equal priors; "outside" = nobody here was shown these):');
  for (const s of r.suspects) {
    const who = s.kind === 'export' ? `export ${s.exportId} (recipient ${s.actor})` : `person ${s.actor}`;
    lines.push(`${String(s.rank).padStart(2)}. ${who}: probability ${s.probability.toFixed(4)}, log-likelihood ratio ${s.score.toFixed(1)}`);
    for (const reason of s.reasons) lines.push(`      - ${reason}`);
  }
  lines.push(`    outside: probability ${r.outside.toFixed(4)}`);
  return `${lines.join('\n')}\n`;
}
