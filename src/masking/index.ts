/**
 * masking: display masks, keyed pseudonyms, format-preserving tokens and generalisation.
 * Other capabilities import only from this file.
 */
export {
  maskValue, maskMobile, maskIdCard, maskBankCard, maskName, maskAddress, maskEmail, maskLandline, maskPlate, maskIpv4, maskIpv6, type MaskKind,
} from './display-mask.js';
export { redactPiece } from './redact.js';
