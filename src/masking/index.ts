/**
 * masking: display masks, keyed pseudonyms, format-preserving tokens and generalisation.
 * Other capabilities import only from this file.
 */

/** Default display masks by kind, and each default mask on its own. */
export {
  maskValue, maskMobile, maskIdCard, maskBankCard, maskName, maskAddress, maskEmail, maskLandline, maskPlate, maskIpv4, maskIpv6,
  maskUscc, maskTravelDocument, maskText, isMaskKind, type MaskKind,
} from './display-mask.js';
/** Configurable masks: rules per kind (from `CUSTOS_MASKS`) over the defaults. */
export { createMasker, parseMaskRules, MAX_KEEP, type MaskRule, type KeepRule, type MaskRules, type Masker } from './mask-rules.js';
/** The canonical form of a value that pseudonyms and tokens are computed over. */
export { normalizeValue } from './normalize.js';
/** Keyed pseudonyms: `ps_` + 100 bits of HMAC-SHA-256. */
export { pseudonym } from './pseudonym.js';
export { MIN_KEY_BYTES } from './keyed.js';
/** Keyed, one-way tokens that stay valid values of their type. */
export { formatToken, type TokenOptions } from './format-token.js';
/** Coarser values for quasi-identifiers: birth year, age band, province, prefecture. */
export { generaliseBirthDate, generaliseIdNumber, generaliseAddress, TOP_AGE_BAND, type CalendarDate } from './generalise.js';
/** Text with each finding replaced by its display mask. */
export { redactPiece, redactWith } from './redact.js';
