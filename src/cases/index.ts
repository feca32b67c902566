/**
 * cases: complaints, alerts and traced files turned into investigations, with forensics from the ledger,
 * severity against the legal thresholds, the incident grade and reporting clock, notices and evidence.
 * Other parts import only from this file. Every legal figure is in law.ts with its source.
 */
export {
  createCaseService, transitionProblem, CASE_STATUSES, CASE_SOURCES,
  type CaseService, type CaseServiceOptions, type Case, type CaseStatus, type CaseSource, type Findings, type SeverityEntry, type Forensics, type Suspect, type Access, type CaseNote, type Exposure,
} from './case-service.js';
export { assessSeverity, worseLevel, SEVERITY_LEVELS, type Severity, type SeverityInput, type SeverityLevel } from './severity.js';
export { gradeIncident, reportingClock, birthDateOfIdNumber, isMinorOn, type Grade, type ReportingClock } from './incident.js';
export { assessCase, type Assessment, type ActorSeverity, type FieldClassOf } from './assessment.js';
export { fieldClasses } from './field-class.js';
export { sourceIdNumbers, sourceRecipients, type Recipient } from './source-people.js';
export { createCaseReminders, CASES_ACTOR, type CaseReminders, type CaseSettings } from './case-reminders.js';
export {
  CRIMINAL, INCIDENT, SENSITIVE, SERIOUS_RECORDS, OPERATOR_KINDS, INCIDENT_GRADES, GRADE_NAMES, NOTICE_SECTIONS, legalBasis,
  type OperatorKind, type IncidentGrade, type NoticeSection, type LegalSource,
} from './law.js';
export { draftNotice, noticeProblems, renderNoticeHtml, NOTICE_AUDIENCES, NOTICE_LANGS, NOTICE_PARTS, NOTICE_LIMITS, type NoticeAudience, type NoticeLang, type NoticePart, type NoticeText, type NoticeFacts } from './notices.js';
export { renderNoticePdf } from './notice-pdf.js';
export { noticeRepo, noticeSha256, type NoticeRepo, type StoredNotice } from './notice-repo.js';
