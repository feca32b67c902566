/**
 * The server's case work: storage of cases and notes, the workflow rules, and forensics from the ledger.
 * Other parts import only from this file.
 */
export { createCaseService, transitionProblem, CASE_STATUSES, CASE_SOURCES, type CaseService, type Case, type CaseStatus, type CaseSource, type Findings, type Forensics, type Suspect, type Access, type CaseNote } from './case-service.js';
