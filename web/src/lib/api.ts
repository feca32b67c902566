/**
 * The console's only way to the server: same-origin fetch with the session cookie and the CSRF header.
 * Search keys travel in POST bodies, never in URLs; nothing is kept in browser storage; errors carry the
 * server's code and message (which never quote personal values) and nothing is reported anywhere else.
 */

export interface Me {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly department: string;
  readonly employment: string;
  readonly csrf?: string;
  /** Limits a form shows before it asks (the hard ceiling on export rows). */
  readonly limits?: { readonly exportMaxRows: number };
}

export interface Watermark {
  readonly viewCode: string;
  readonly lines: readonly string[];
}

export interface SubjectView {
  readonly id: string;
  readonly fields: Readonly<Record<string, string | number>>;
  readonly masked: readonly string[];
}

export interface Page {
  readonly items: readonly SubjectView[];
  readonly next: string | null;
  readonly watermark?: Watermark;
}

export interface Meter {
  readonly used: number;
  readonly limit: number;
}

export interface QuotaMeter {
  readonly day: string;
  readonly customersToday: Meter;
  readonly customersThisHour: Meter;
  readonly categoriesToday: Readonly<Record<string, Meter>>;
}

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ALERT_STATUSES = ['open', 'assigned', 'dismissed', 'case'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface Alert {
  readonly id: string;
  readonly time: string;
  readonly actor: string;
  readonly detector: string;
  readonly severity: Severity;
  readonly score: number;
  readonly summary: string;
  readonly events: readonly string[];
  readonly status: AlertStatus;
  readonly assignee: string | null;
  readonly resolution: string | null;
  readonly raisedAt: string;
  readonly updatedAt: string;
}

export interface Hold {
  readonly id: string;
  readonly staffId: string;
  readonly kind: 'throttle' | 'suspend';
  readonly alertId: string | null;
  readonly createdAt: string;
  readonly until: string | null;
}

/** An access event as the ledger holds it (ids only, DESIGN.md). */
export interface AccessEvent {
  readonly id: string;
  readonly time: string;
  readonly actor: string;
  readonly action: string;
  readonly system: string;
  readonly subjects: readonly string[];
  readonly fields: readonly string[];
  readonly purpose?: string;
  readonly ticket?: string;
  readonly outcome: string;
  readonly ip?: string;
  readonly device?: string;
  readonly count?: number;
  readonly reason?: string;
  readonly detail?: unknown;
}

export interface LedgerItem {
  readonly index: number;
  readonly event: AccessEvent;
}

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  /** Base64 root hash. */
  readonly root: string;
  readonly note: string;
}

export interface InclusionProof {
  readonly index: number;
  readonly size: number;
  readonly leafHash: string;
  readonly root: string;
  readonly proof: readonly string[];
}

export interface ConsistencyProof {
  readonly from: number;
  readonly to: number;
  readonly fromRoot: string;
  readonly toRoot: string;
  readonly proof: readonly string[];
}

export interface ResolvedView {
  readonly index: number;
  readonly event: AccessEvent;
  readonly checkpoint: Checkpoint;
  readonly proof: InclusionProof;
}

/** A refusal or failure from the server: its stable code and its message (no personal values in either). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

let csrf: string | undefined;

/** Dispatched on `window` when the server no longer knows the session. */
export const SIGNED_OUT = 'custos:signed-out';

/** Remembers the session's CSRF value in memory only (never in storage). */
export function setCsrf(value: string | undefined): void {
  csrf = value;
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf !== undefined) headers['x-custos-csrf'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new ApiError('CUSTOS_NETWORK', 'The server did not answer.', 0);
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => undefined)) as unknown;
  if (!res.ok) {
    // A session that ended (expired, stepped up, suspended) sends the console back to its sign-in page.
    if (res.status === 401 && path !== '/api/v1/me' && path !== '/api/v1/session') window.dispatchEvent(new Event(SIGNED_OUT));
    const err = (data as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(err?.code ?? `HTTP_${res.status}`, err?.message ?? res.statusText, res.status);
  }
  return data as T;
}

/** A query string of ids and filters (never personal values: those go in POST bodies). */
export function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}

/** Why a field is shown masked, as the policy says it (`maskReasons` of a record; absent from older servers). */
export interface MaskReason {
  readonly code: string;
  readonly reason: string;
}

/** A record as GET /api/v1/subjects/{id} returns it. */
export interface RecordView extends SubjectView {
  readonly maskReasons?: Readonly<Record<string, MaskReason>>;
  readonly watermark?: Watermark;
}

/** The fields a reveal unmasked, each with the ticket, approved request or break-glass grant it rests on. */
export interface Revealed {
  readonly id: string;
  readonly fields: Readonly<Record<string, string | number>>;
  readonly purpose: string;
  readonly basis: Readonly<Record<string, string>>;
  readonly breakGlass: boolean;
  readonly watermark?: Watermark;
}

export const REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'break_glass'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** A reveal or export request (docs/access.md). */
export interface AccessRequest {
  readonly id: string;
  readonly kind: 'reveal' | 'export';
  readonly requester: string;
  readonly subjects: readonly string[];
  readonly subjectCount: number;
  readonly fields: readonly string[];
  readonly purpose: string;
  readonly ticket: string | null;
  readonly reason: string;
  readonly format: string | null;
  readonly breakGlass: boolean;
  readonly status: RequestStatus;
  readonly approver: string | null;
  readonly decisionReason: string | null;
  readonly createdAt: string;
  readonly decidedAt: string | null;
  readonly expiresAt: string | null;
}

export interface BoardPerson {
  readonly staffId: string;
  readonly department: string | null;
  readonly role: string | null;
  readonly employment: string | null;
  readonly risk: number;
  readonly alerts: number;
  readonly openAlerts: number;
  readonly topSeverity: Severity | null;
  readonly holds: readonly Hold['kind'][];
  /** Ledger entries per day, oldest first. */
  readonly daily: readonly number[];
  readonly customers: number;
  readonly perDay: number;
  readonly truncated: boolean;
  readonly peers: { readonly size: number; readonly riskMedian: number; readonly perDayMedian: number; readonly sampled: number; readonly ratio: number | null } | null;
}

export interface RiskBoard {
  readonly from: string;
  readonly days: number;
  readonly halfLifeDays: number;
  readonly people: readonly BoardPerson[];
}

export interface Heatmap {
  readonly department: string;
  readonly days: number;
  readonly people: number;
  readonly entries: number;
  readonly truncated: boolean;
  /** cells[weekday][hour], Monday first, in the viewer's local time. */
  readonly cells: readonly (readonly number[])[];
}

export const CASE_STATUSES = ['new', 'investigating', 'contained', 'notified', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface CaseSummary {
  readonly id: string;
  readonly source: string;
  readonly status: CaseStatus;
  readonly openedBy: string;
  readonly assignee: string | null;
  readonly subjects: readonly string[];
  readonly window: { readonly from: string; readonly to: string };
  readonly intake: Readonly<Record<string, unknown>>;
  readonly findings: unknown;
  readonly reply: string | null;
  readonly openedAt: string;
  readonly updatedAt: string;
  readonly closedAt: string | null;
}

/** The figures an investigator entered for a case (PUT …/severity replaces them as a whole). */
export interface SeverityEntry {
  readonly records?: Readonly<Partial<Record<string, number>>>;
  readonly people?: number;
  readonly illegalGainYuan?: number;
  readonly insider?: boolean;
  readonly operator?: string;
  readonly grade?: string;
  readonly discoveredAt?: string;
}

export interface CaseAccess {
  readonly index: number;
  readonly time: string;
  readonly actor: string;
  readonly action: string;
  readonly subjects: readonly string[];
  readonly fields: readonly string[];
  readonly outcome: string;
  readonly purpose?: string;
  readonly ticket?: string;
  readonly event: string;
}

export interface Suspect {
  readonly actor: string;
  readonly score: number;
  readonly saw: number;
  readonly unmasked: number;
  readonly unexplained: number;
  readonly reasons: readonly string[];
}

export interface CaseNote {
  readonly id: string;
  readonly author: string;
  readonly time: string;
  readonly kind: string;
  readonly body: string;
}

export interface CaseDetail extends CaseSummary {
  readonly severityEntry: SeverityEntry;
  readonly notes: readonly CaseNote[];
  readonly forensics: { readonly accesses: readonly CaseAccess[]; readonly suspects: readonly Suspect[]; readonly truncated: boolean };
  readonly assessment: Assessment;
  readonly legalBasis: readonly LegalSource[];
  readonly notices: readonly NoticeVersion[];
  readonly alerts: readonly Alert[];
  readonly holds: readonly Hold[];
}

/** Where a legal figure comes from (src/cases/law.ts). */
export interface LegalSource {
  readonly instrument: string;
  readonly article: string;
  readonly effective: string;
  readonly verified: boolean;
}

export const LEGAL_CATEGORIES = ['whereabouts', 'communication_content', 'credit', 'property', 'accommodation', 'communication_records', 'health', 'transaction', 'other'] as const;
export type LegalCategory = (typeof LEGAL_CATEGORIES)[number];
export const SEVERITY_LEVELS = ['below', 'serious', 'particularly_serious'] as const;
export type SeverityLevel = (typeof SEVERITY_LEVELS)[number];
export const OPERATOR_KINDS = ['cii', 'state_organ', 'other'] as const;
export type OperatorKind = (typeof OPERATOR_KINDS)[number];
export const INCIDENT_GRADES = ['general', 'relatively_major', 'major', 'especially_major'] as const;
export type IncidentGrade = (typeof INCIDENT_GRADES)[number];
type Bilingual = { readonly zh: string; readonly en: string };

/** A case's assessment (docs/cases.md): severity against the criminal-law thresholds, the grade and its reporting clock. */
export interface Assessment {
  readonly severity: {
    readonly level: SeverityLevel;
    readonly byRecords: SeverityLevel;
    readonly byGain: SeverityLevel | null;
    readonly insider: boolean;
    readonly records: Readonly<Record<LegalCategory, number>>;
    readonly thresholds: Readonly<Record<LegalCategory, number>>;
    readonly gainThresholdsYuan: { readonly serious: number; readonly particularlySerious: number };
    readonly proportion: number;
    readonly categoriesAtThreshold: readonly LegalCategory[];
    readonly reasons: readonly string[];
    readonly basis: readonly LegalSource[];
    readonly counted: 'entered' | 'ledger';
    readonly actor: string | null;
  };
  readonly byActor: readonly { readonly actor: string; readonly level: SeverityLevel; readonly proportion: number }[];
  readonly incident: { readonly grade: IncidentGrade; readonly names: Bilingual; readonly reportable: boolean; readonly reason: string; readonly source: LegalSource | null; readonly people: number; readonly sensitivePeople: number };
  readonly clock: {
    readonly operator: OperatorKind;
    readonly required: boolean;
    readonly from: string;
    readonly deadline: string | null;
    readonly minutes: number | null;
    readonly to: Bilingual | null;
    readonly msLeft: number | null;
    readonly overdue: boolean;
    readonly reportedAt: string | null;
    readonly reportedLate: boolean | null;
    readonly source: LegalSource;
  };
  readonly sensitive: { readonly flagged: boolean; readonly people: number; readonly minors: { readonly count: number }; readonly source: LegalSource };
}

export const NOTICE_AUDIENCES = ['regulator', 'individual'] as const;
export type NoticeAudience = (typeof NOTICE_AUDIENCES)[number];
export const NOTICE_PARTS = ['title', 'summary', 'information', 'cause', 'harm', 'measures', 'advice', 'contact'] as const;
export type NoticePart = (typeof NOTICE_PARTS)[number];

/** A notice's latest version as the case lists it (its text: GET /api/v1/cases/{id}/notices). */
export interface NoticeVersion {
  readonly audience: NoticeAudience;
  readonly lang: 'zh-CN' | 'en';
  readonly version: number;
  readonly sha256: string;
  readonly author: string;
  readonly createdAt: string;
}

export interface Notice extends NoticeVersion {
  readonly text: Readonly<Record<NoticePart, string>>;
  /** Parts empty or too long: the notice cannot be exported until they are fixed. */
  readonly problems: readonly NoticePart[];
}

/** What a canary hit found (POST /api/v1/canaries/hits): the canary, who was shown it, the alerts raised. */
export interface CanaryHit {
  readonly canary: { readonly id: string; readonly audience: string };
  readonly shownTo: readonly { readonly actor: string; readonly events: number; readonly first: string }[];
  readonly export?: { readonly id: string; readonly recipient: string; readonly status: string };
  readonly alerts: readonly string[];
}

/** The same hit opened as a case (POST /api/v1/cases/from-canary-hit): ids only for the canary and the people shown it. */
export interface CanaryHitCase extends Omit<CanaryHit, 'canary' | 'shownTo'> {
  readonly caseId: string;
  readonly canary: string;
  readonly audience: string;
  readonly shownTo: readonly string[];
}

/** Leak attribution from a list of customers (POST /api/v1/trace/leak). */
export interface LeakRanking {
  readonly subjects: number;
  readonly customers: number;
  readonly outside: number;
  readonly canaries: readonly string[];
  readonly suspects: readonly {
    readonly kind: 'person' | 'export';
    readonly actor: string;
    readonly exportId?: string;
    readonly rank: number;
    readonly probability: number;
    readonly covered: number;
    readonly breadth: number;
    readonly onlyThem: number;
    readonly reasons: readonly string[];
  }[];
}

export interface ExportMatch {
  readonly exportId: string;
  readonly recipient: string;
  readonly rows: number;
  readonly compared: number;
  readonly agreeing: number;
  readonly score: number;
  readonly pValue: number;
  readonly confidence: number;
}

export interface TraceResult {
  readonly rows: number;
  readonly resolved: number;
  readonly columns: readonly string[];
  readonly exports: readonly ExportMatch[];
}

/** A person's distinct customers per day against their own baseline and their peer group's (GET /api/v1/risk/people/{id}). */
export interface PersonRisk {
  readonly staffId: string;
  readonly department: string;
  readonly role: string;
  /** Midnight UTC of the first day. */
  readonly from: string;
  readonly days: number;
  readonly entries: readonly number[];
  readonly customers: readonly number[];
  /** The median of the person's own distinct customers per day. */
  readonly baseline: number;
  readonly truncated: boolean;
  readonly peers: { readonly size: number; readonly sampled: number; readonly entries: readonly number[]; readonly customers: readonly number[] };
}

/** A version of the access policy (GET /api/v1/policy/versions). */
export interface PolicyVersionSummary {
  readonly version: number;
  readonly hash: string;
  readonly author: string;
  readonly message: string;
  readonly savedAt: string;
  readonly restoredFrom: number | null;
}

/** The policy in force (GET /api/v1/policy). */
export interface PolicyInForce extends PolicyVersionSummary {
  readonly text: string;
  readonly policies: readonly { readonly id: string; readonly effect: string; readonly why: string; readonly line: number; readonly quota?: unknown }[];
  readonly tests: { readonly passed: number; readonly failed: number };
}

/** The shipped test cases run against the policy in force (GET /api/v1/policy/tests). */
export interface PolicyTests {
  readonly version: number;
  readonly passed: number;
  readonly failed: number;
  readonly results: readonly { readonly name: string; readonly ok: boolean; readonly got: { readonly decision?: string; readonly effect?: string; readonly policies: readonly string[] }; readonly problem: string }[];
}
