/** Table types of Custos's own store (identity, assignments, tickets) and of the demo data source. */

export interface StaffTable {
  id: string;
  name: string;
  department: string;
  role: string;
  employment: string;
  manager: string | null;
  hired: string;
  leaving: string | null;
  status: string;
}

export interface CredentialTable {
  staff_id: string;
  password_hash: string;
  updated_at: string;
}

export interface ApiTokenTable {
  id: string;
  staff_id: string;
  token_hash: string;
  label: string;
  created_at: string;
  revoked_at: string | null;
}

export interface SessionTable {
  id: string;
  token_hash: string;
  staff_id: string;
  csrf: string;
  created_at: string;
  expires_at: string;
  ip: string | null;
  device: string | null;
}

export interface AssignmentTable {
  staff_id: string;
  customer_id: string;
}

export interface TicketTable {
  id: string;
  assignee: string;
  status: string;
  opened_at: string;
  closed_at: string | null;
  system: string;
}

export interface TicketSubjectTable {
  ticket_id: string;
  customer_id: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface AlertTable {
  id: string;
  time: string;
  actor: string;
  detector: string;
  severity: string;
  score: number;
  summary: string;
  /** JSON array of evidence event ids. */
  events: string;
  status: string;
  assignee: string | null;
  resolution: string | null;
  raised_at: string;
  updated_at: string;
}

export interface HoldTable {
  id: string;
  staff_id: string;
  kind: string;
  alert_id: string | null;
  created_at: string;
  until: string | null;
  lifted_at: string | null;
  lifted_by: string | null;
}

export interface QuotaSeenTable {
  bucket: string;
  subject: string;
  expires_at: string;
}

export interface AccessRequestTable {
  id: string;
  kind: string;
  requester: string;
  /** JSON array of customer ids. */
  subjects: string;
  /** JSON array of field names. */
  fields: string;
  purpose: string;
  ticket: string | null;
  reason: string;
  format: string | null;
  break_glass: number;
  status: string;
  approver: string | null;
  decision_reason: string | null;
  created_at: string;
  decided_at: string | null;
  expires_at: string | null;
  used_at: string | null;
  reviewed_by: string | null;
  reviewed_at: string | null;
}

export interface CaseTable {
  id: string;
  source: string;
  status: string;
  opened_by: string;
  assignee: string | null;
  /** JSON array of customer ids. */
  subjects: string;
  window_from: string;
  window_to: string;
  /** JSON: the complaint (channel, description, identifiers) or the alerts, hit or file that opened the case. */
  intake: string;
  findings: string | null;
  reply: string | null;
  opened_at: string;
  updated_at: string;
  closed_at: string | null;
  /** JSON: what the investigator entered for severity and the reporting clock (records, gain, operator, grade…). */
  severity_input: string | null;
  /** When the case first moved to notified (the report was made). */
  reported_at: string | null;
}

/** One version of one notice draft of a case (audience × language); every edit is a new version. */
export interface CaseNoticeTable {
  case_id: string;
  audience: string;
  lang: string;
  version: number;
  /** JSON object of the notice's sections. */
  sections: string;
  sha256: string;
  author: string;
  created_at: string;
}

/** A deadline reminder sent for a case (one per stage and deadline). */
export interface CaseReminderTable {
  case_id: string;
  stage: string;
  deadline: string;
  sent_at: string;
  delivered: number;
}

export interface CaseNoteTable {
  id: string;
  case_id: string;
  author: string;
  time: string;
  kind: string;
  body: string;
}

export interface StoreSchema {
  staff: StaffTable;
  credentials: CredentialTable;
  api_tokens: ApiTokenTable;
  sessions: SessionTable;
  assignments: AssignmentTable;
  tickets: TicketTable;
  ticket_subjects: TicketSubjectTable;
  meta: MetaTable;
  alerts: AlertTable;
  holds: HoldTable;
  quota_seen: QuotaSeenTable;
  access_requests: AccessRequestTable;
  cases: CaseTable;
  case_notes: CaseNoteTable;
  case_notices: CaseNoticeTable;
  case_reminders: CaseReminderTable;
  policy_versions: PolicyVersionTable;
}

/** One version of the access policy (append-only). */
export interface PolicyVersionTable {
  version: number;
  hash: string;
  text: string;
  author: string;
  message: string;
  saved_at: string;
  diff: string;
  restored_from: number | null;
}

/** The demo company's customer table (the data source Custos fronts). */
export interface CustomerTable {
  id: string;
  name: string;
  mobile: string;
  id_number: string;
  bank_card: string;
  address: string;
  email: string;
  balance: number;
  employer: string;
}

export interface SourceSchema {
  customers: CustomerTable;
}
