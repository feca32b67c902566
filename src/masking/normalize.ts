/**
 * One canonical form per value, so that the same person's number written two ways gets the same pseudonym and
 * token: `+86 138-1234-5678` and `13812345678` are one mobile number.
 */
import type { MaskKind } from './display-mask.js';
import { formatIpv6, ipv6Groups } from './ip.js';

const SEPARATORS = /[\s\-()（）]/g;
const NON_ASCII = /[\u0080-\uffff]/;

/** Mobile digits without separators or the +86 / 0086 country code. */
function normalizeMobile(value: string): string {
  const digits = value.replace(SEPARATORS, '');
  const m = /^(?:\+86|0086|86)(1\d{10})$/.exec(digits);
  return m === null ? digits : m[1]!;
}

/** Landline digits with the domestic trunk 0: `+86 755 1234 5678` → `075512345678`. */
function normalizeLandline(value: string): string {
  const digits = value.replace(SEPARATORS, '');
  const m = /^(?:\+86|0086)0?([1-9]\d+)$/.exec(digits);
  return m === null ? digits : `0${m[1]!}`;
}

/**
 * The canonical form of a value of a type: trimmed; full-width characters folded (NFKC) for the structured types;
 * separators and +86 dropped for digit types; `x` upper-cased in ID numbers; e-mail lower-cased; document codes and
 * plates upper-cased; IPv6 in RFC 5952 form. Names lose inner spaces; addresses and text are only trimmed.
 *
 * @example normalizeValue('cn_mobile', '+86 138-1234-5678') === '13812345678'
 */
export function normalizeValue(type: MaskKind, value: string): string {
  const trimmed = value.trim();
  if (type === 'cn_name') return trimmed.replace(/\s+/g, '');
  if (type === 'cn_address' || type === 'text') return trimmed;
  // ASCII is its own NFKC form (most values): no normalisation pass then.
  const folded = NON_ASCII.test(trimmed) ? trimmed.normalize('NFKC') : trimmed;
  switch (type) {
    case 'cn_mobile': return normalizeMobile(folded);
    case 'cn_landline': return normalizeLandline(folded);
    case 'bank_card': return folded.replace(SEPARATORS, '');
    case 'cn_id_card': return folded.replace(SEPARATORS, '').toUpperCase();
    case 'email': return folded.toLowerCase();
    case 'cn_uscc': case 'cn_passport': case 'hk_macau_permit': return folded.replace(SEPARATORS, '').toUpperCase();
    case 'cn_plate': return folded.replace(/[\s·•・-]/g, '').toUpperCase();
    case 'ipv4': return folded;
    case 'ipv6': {
      const groups = ipv6Groups(folded);
      return groups === null ? folded.toLowerCase() : formatIpv6(groups);
    }
  }
}
