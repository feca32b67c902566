/**
 * catalog: PII detectors, scanning of text and database columns, and classification of fields.
 * Other capabilities import only from this file.
 */
export { idCardCheckDigit, isValidIdCard18, isRealDate } from './id-card.js';
export { luhnCheckDigit, isLuhnValid } from './luhn.js';
export { MOBILE_PREFIXES, isValidMobile } from './mobile.js';
export { gazetteer, type Gazetteer, type Province, type City, type District } from './gazetteer.js';
export { PII_TYPES, type PiiType, type Finding, type FindingVisitor } from './pii-types.js';
export { usccCheckChar, isValidUscc, USCC_CHARSET } from './uscc.js';
export { isValidPlate } from './plate.js';
export { isValidPassport, isValidHkMacauPermit, isValidIdCard15 } from './documents.js';
export { scanEach, scanText, STRUCTURED_TYPES, type ScanOptions } from './scan-text.js';
export { textPieces } from './scan-stream.js';
export {
  classifyType, typeOfValue, nameHint, CATEGORY_THRESHOLD, LEGAL_CATEGORIES, type LegalCategory, type SensitivityLevel, type FieldClass,
} from './classify.js';
export { scanDatabase, parseSource, describeSource, type Catalog, type TableProposal, type ColumnProposal, type SourceLocation, type ScanDbOptions } from './scan-db.js';
