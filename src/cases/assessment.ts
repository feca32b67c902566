/**
 * A case's assessment: severity against the criminal-law thresholds (per person who saw the data, as Art. 11
 * counts per recipient), the incident grade and its reporting clock, and the sensitive-information and minors
 * flags. Pure: the service hands it the exposure from the ledger and the minors among the people concerned.
 */
import type { LegalCategory } from '../catalog/index.js';
import type { Case, Exposure } from './case-service.js';
import { gradeIncident, reportingClock, type Grade, type ReportingClock } from './incident.js';
import { SENSITIVE, type LegalSource, type OperatorKind } from './law.js';
import { assessSeverity, type Severity, type SeverityLevel } from './severity.js';

/** What the catalog says a column holds: its legal category and whether PIPL Art. 28 counts it as sensitive. */
export type FieldClassOf = (column: string) => { readonly category: LegalCategory; readonly sensitive: boolean; readonly type: string | null };

export interface ActorSeverity {
  readonly actor: string;
  readonly level: SeverityLevel;
  readonly proportion: number;
  readonly records: Readonly<Partial<Record<LegalCategory, number>>>;
}

export interface Assessment {
  /** The case's severity: from the records entered, or else from the person who saw the most (Art. 11 counts per recipient). */
  readonly severity: Severity & { readonly counted: 'entered' | 'ledger'; readonly actor: string | null };
  /** Every person in scope (those found responsible, or everyone who saw the data unmasked), worst first (at most 20). */
  readonly byActor: readonly ActorSeverity[];
  readonly incident: Grade & { readonly people: number; readonly sensitivePeople: number };
  readonly clock: ReportingClock;
  /** Every field the people in scope saw unmasked, with what it holds (for the notices). */
  readonly fieldsSeen: readonly { readonly column: string; readonly type: string | null; readonly category: LegalCategory }[];
  readonly sensitive: {
    readonly flagged: boolean;
    /** Sensitive fields seen unmasked, with their category. */
    readonly fields: readonly { readonly column: string; readonly category: LegalCategory }[];
    /** People concerned whose sensitive information was seen unmasked, or who are minors. */
    readonly people: number;
    readonly minors: { readonly count: number; readonly subjects: readonly string[] };
    readonly source: LegalSource;
  };
}

export interface AssessInput {
  readonly case: Case;
  readonly exposure: Exposure;
  readonly classOf: FieldClassOf;
  /** People concerned who were under 14 when the case opened (from their ID numbers). */
  readonly minors: ReadonlySet<string>;
  /** The kind of operator this deployment is, unless the case says otherwise. */
  readonly operator: OperatorKind;
  readonly now: Date;
}

function recordsSeen(seen: ReadonlyMap<string, ReadonlySet<string>>, classOf: FieldClassOf): Partial<Record<LegalCategory, number>> {
  const out: Partial<Record<LegalCategory, number>> = {};
  for (const fields of seen.values()) {
    const categories = new Set<LegalCategory>();
    for (const f of fields) categories.add(classOf(f).category);
    // Seen unmasked with no field named (an export summary): one record of "other" information.
    if (categories.size === 0) categories.add('other');
    for (const c of categories) out[c] = (out[c] ?? 0) + 1;
  }
  return out;
}

/**
 * The assessment of a case.
 *
 * @example assessCase({ case: c, exposure, classOf, minors: new Set(), operator: 'other', now: new Date() }).severity.level
 */
export function assessCase(input: AssessInput): Assessment {
  const { case: c, exposure, classOf } = input;
  const entry = c.severityEntry;
  const insider = entry.insider ?? true;
  const responsible = c.findings?.responsible ?? [];
  const scope = responsible.length > 0 ? responsible : [...exposure.keys()];

  const byActor: ActorSeverity[] = scope.map((actor) => {
    const records = recordsSeen(exposure.get(actor) ?? new Map(), classOf);
    const s = assessSeverity({ records, insider });
    return { actor, level: s.level, proportion: s.proportion, records };
  });
  byActor.sort((a, b) => b.proportion - a.proportion || a.actor.localeCompare(b.actor));
  const worst = byActor[0];
  const counted = entry.records !== undefined ? 'entered' : 'ledger';
  const records = entry.records ?? worst?.records ?? {};
  const severity = assessSeverity({ records, insider, ...(entry.illegalGainYuan !== undefined ? { illegalGainFen: Math.round(entry.illegalGainYuan * 100) } : {}) });

  const sensitiveFields = new Map<string, LegalCategory>();
  const seen = new Set<string>();
  const sensitivePeople = new Set<string>();
  const concerned = new Set(c.subjects);
  for (const actor of scope) {
    for (const [subject, fields] of exposure.get(actor) ?? new Map<string, ReadonlySet<string>>()) {
      for (const f of fields) {
        seen.add(f);
        const k = classOf(f);
        if (!k.sensitive) continue;
        sensitiveFields.set(f, k.category);
        if (concerned.has(subject)) sensitivePeople.add(subject);
      }
    }
  }
  const minors = c.subjects.filter((s) => input.minors.has(s));
  for (const m of minors) sensitivePeople.add(m);

  const people = Math.max(entry.people ?? 0, c.subjects.length);
  const grade = gradeIncident({ people, sensitivePeople: sensitivePeople.size, ...(entry.grade !== undefined ? { entered: entry.grade } : {}) });
  const clock = reportingClock(grade, entry.operator ?? input.operator, entry.discoveredAt ?? c.openedAt, c.reportedAt, input.now);
  return {
    severity: { ...severity, counted, actor: counted === 'ledger' ? (worst?.actor ?? null) : null },
    byActor: byActor.slice(0, 20),
    incident: { ...grade, people, sensitivePeople: sensitivePeople.size },
    clock,
    fieldsSeen: [...seen].sort().map((column) => ({ column, type: classOf(column).type, category: classOf(column).category })),
    sensitive: {
      flagged: sensitiveFields.size > 0 || minors.length > 0,
      fields: [...sensitiveFields].map(([column, category]) => ({ column, category })).sort((a, b) => a.column.localeCompare(b.column)),
      people: sensitivePeople.size,
      minors: { count: minors.length, subjects: minors.slice(0, 200) },
      source: SENSITIVE.source,
    },
  };
}
