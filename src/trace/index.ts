/**
 * trace: canary (honeytoken) people and leak attribution. Canaries live in Custos's store, are served by the
 * gateway to a narrow audience like any customer, ride along in every approved export, and name their audience
 * when a value of theirs is found outside. Attribution ranks the people and exports that could have leaked a
 * sample of customers, over the ledger or an events file.
 * Other capabilities import only from this file.
 */
export {
  rankSuspects, formatLeakReport, MAX_LEAK_SUBJECTS,
  type AccessSource, type SubjectViewer, type Breadth, type ExportSource, type TimeWindow, type MarkEvidence,
  type LeakQuery, type LeakRanking, type Suspect, type SubjectSummary,
} from './attribution.js';
export { createAccessIndex, showsData, type AccessIndex } from './access-index.js';
export { ledgerAccessSource, type LedgerSourceOptions } from './ledger-source.js';
export {
  createCanaryService, parseAudience, audienceText, HIT_KINDS, MAX_CANARIES_PER_CALL,
  type CanaryService, type Canary, type CanaryTable, type Audience, type HitKind, type CanaryServiceOptions,
} from './canary-service.js';
export { generateCanaryPerson, type CanaryPerson } from './canary-person.js';
export { canaryRecords, canaryExportMarker, chainMarkers, canaryRow, canaryRowsFor } from './canary-records.js';
export { seedDemoCanaries } from './demo-canaries.js';
