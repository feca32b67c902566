/**
 * catalog: PII detectors, scanning of text and database columns, and classification of fields.
 * Other capabilities import only from this file.
 */
export { idCardCheckDigit, isValidIdCard18, isRealDate } from './id-card.js';
export { luhnCheckDigit, isLuhnValid } from './luhn.js';
export { MOBILE_PREFIXES, isValidMobile } from './mobile.js';
export { gazetteer, type Gazetteer, type Province, type City, type District } from './gazetteer.js';
