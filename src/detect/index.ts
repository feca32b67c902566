/**
 * detect: streaming, causal detectors over access events; risk per person with decay; alerts with reasons
 * and evidence; live responses per severity; the scorecard against a simulated world's truth.
 * Other capabilities import only from this file.
 */
export { orgSchema, indexOrg, type Org, type OrgActor, type OrgTicket, type OrgLookup } from './org.js';
export { createDetector, type Detector, type DetectorOptions } from './create-detector.js';
export { DEFAULT_CONFIG, withConfig, placeOf, type DetectorConfig } from './detect-config.js';
export {
  SEVERITIES, DETECTORS, RESPONSE_KINDS,
  type Alert, type Severity, type DetectorName, type Response, type ResponseKind, type Detection, type Finding,
} from './detect-types.js';
export { LEGAL_CATEGORIES, SERIOUS_RECORDS, legalScore, categoryMask, type LegalCategory } from './legal-weight.js';
export { regularity, idNumber } from './cadence.js';
export { scoreAlerts, formatScorecard, type Scorecard, type InsiderScore, type TruthLike } from './scorecard.js';
export { readEvents, readEventBatches, type EventBatch } from './jsonl.js';
