/**
 * Incident grade and the reporting clock under the 2025 incident-reporting rules, and the minors and
 * sensitive information PIPL Art. 28 asks to flag. Figures in law.ts.
 */
import { GRADE_NAMES, INCIDENT, INCIDENT_GRADES, SENSITIVE, type IncidentGrade, type LegalSource, type OperatorKind } from './law.js';

export interface GradeInput {
  /** Distinct people whose personal information leaked or may have leaked. */
  readonly people: number;
  /** Of them, people whose sensitive personal information (PIPL Art. 28) leaked. */
  readonly sensitivePeople: number;
  /** A grade the investigator entered (the grading guide has criteria beyond head counts); never lowers the computed one. */
  readonly entered?: IncidentGrade;
}

export interface Grade {
  readonly grade: IncidentGrade;
  readonly names: { readonly zh: string; readonly en: string };
  /** Whether the hour deadlines of the reporting rules apply (较大 and above). */
  readonly reportable: boolean;
  readonly reason: string;
  readonly source: LegalSource | null;
}

/**
 * The incident grade from the people affected.
 *
 * @example gradeIncident({ people: 1_000_000, sensitivePeople: 0 }).grade // 'relatively_major'
 */
export function gradeIncident(input: GradeInput): Grade {
  let grade: IncidentGrade = 'general';
  let reason = `${input.people} people affected, below the thresholds of the grading guide`;
  let source: LegalSource | null = null;
  for (const g of INCIDENT.gradeByPeople) {
    if (input.people >= g.people || input.sensitivePeople >= g.sensitivePeople) {
      grade = g.grade;
      source = g.source;
      reason = input.people >= g.people ? `${input.people} people affected (≥ ${g.people})` : `${input.sensitivePeople} people's sensitive information affected (≥ ${g.sensitivePeople})`;
      break;
    }
  }
  if (input.entered !== undefined && INCIDENT_GRADES.indexOf(input.entered) > INCIDENT_GRADES.indexOf(grade)) {
    grade = input.entered;
    reason = `graded ${grade} by the investigator (${reason})`;
    source = null;
  }
  return { grade, names: GRADE_NAMES[grade], reportable: INCIDENT_GRADES.indexOf(grade) >= INCIDENT_GRADES.indexOf(INCIDENT.reportFrom), reason, source };
}

export interface ReportingClock {
  readonly operator: OperatorKind;
  readonly required: boolean;
  /** When the clock started (discovery) and when the report is due; null when no hour deadline applies. */
  readonly from: string;
  readonly deadline: string | null;
  readonly minutes: number | null;
  readonly to: { readonly zh: string; readonly en: string } | null;
  /** Milliseconds left (negative once past); null when no deadline applies or the report was made. */
  readonly msLeft: number | null;
  readonly overdue: boolean;
  /** When the report was made (the case moved to notified), and whether that was late. */
  readonly reportedAt: string | null;
  readonly reportedLate: boolean | null;
  readonly source: LegalSource;
}

/**
 * The reporting clock of a case: due `minutes` after discovery for a reportable grade, by kind of operator.
 *
 * @example reportingClock({ reportable: true }, 'cii', '2026-01-01T00:00:00Z', null, now).deadline // 01:00
 */
export function reportingClock(grade: Pick<Grade, 'reportable'>, operator: OperatorKind, discoveredAt: string, reportedAt: string | null, now: Date): ReportingClock {
  const rule = INCIDENT.deadlineMinutes[operator];
  const base = { operator, from: discoveredAt, reportedAt, source: INCIDENT.deadlineSource };
  if (!grade.reportable) return { ...base, required: false, deadline: null, minutes: null, to: null, msLeft: null, overdue: false, reportedLate: null };
  const due = Date.parse(discoveredAt) + rule.minutes * 60_000;
  const reported = reportedAt === null ? null : Date.parse(reportedAt);
  return {
    ...base,
    required: true,
    deadline: new Date(due).toISOString(),
    minutes: rule.minutes,
    to: rule.to,
    msLeft: reported === null ? due - now.getTime() : null,
    overdue: reported === null && now.getTime() > due,
    reportedLate: reported === null ? null : reported > due,
  };
}

/**
 * The birth date in an 18- or 15-digit resident ID number (GB 11643), or undefined when it has none that is a
 * real date.
 */
export function birthDateOfIdNumber(id: string): Date | undefined {
  let y: number, m: number, d: number;
  if (/^\d{17}[\dXx]$/.test(id)) [y, m, d] = [Number(id.slice(6, 10)), Number(id.slice(10, 12)), Number(id.slice(12, 14))];
  else if (/^\d{15}$/.test(id)) [y, m, d] = [1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12))];
  else return undefined;
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d ? t : undefined;
}

/** Whether a person born on `birth` is under 14 (PIPL Art. 28) on `on` (their 14th birthday ends it). */
export function isMinorOn(birth: Date, on: Date): boolean {
  const y = birth.getUTCFullYear() + SENSITIVE.minorAgeUnder;
  // Born on 29 February: the birthday falls on 1 March in a common year.
  const turns = new Date(Date.UTC(y, birth.getUTCMonth(), birth.getUTCDate()));
  const onDay = Date.UTC(on.getUTCFullYear(), on.getUTCMonth(), on.getUTCDate());
  return onDay < turns.getTime();
}
