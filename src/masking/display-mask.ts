/**
 * Default display masks (CN-PII.md §3, common conventions; GB/T 35273 §7.2). Each mask keeps at most what its
 * convention says, and hides everything when the value does not have the shape of its type (no mask throws).
 * Characters are counted as code points so that Chinese text is never cut inside a surrogate pair.
 */
import type { PiiType } from '../catalog/index.js';
import { parseAddressPrefix } from './address.js';
import { codePointCount, hideAll, keepEnds } from './code-points.js';
import { ipv4Octets, ipv6Groups } from './ip.js';
import { normalizeValue } from './normalize.js';

/** The kinds of value a display mask knows: every PII type, and `text` (everything hidden). */
export type MaskKind = PiiType | 'text';

/** Compound surnames (CN-PII.md §4.8), kept whole by name masks and tokens. */
export const COMPOUND_SURNAMES: ReadonlySet<string> = new Set([
  '欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '宇文', '长孙', '夏侯', '轩辕', '端木', '南宫', '独孤',
]);

/**
 * Code points of the surname at the start of a name of `n` code points: 2 for a compound surname followed by a given
 * name, else 1. Compound surnames are two BMP characters, so the first two code units hold one exactly when the first
 * two code points do.
 */
export function surnameLength(name: string, n: number): number {
  return n > 2 && COMPOUND_SURNAMES.has(name.slice(0, 2)) ? 2 : 1;
}

/** Area code and local number of a normalized landline (010 and 02x are 3 digits, other area codes 4). */
export const LANDLINE_RE = /^(010|02\d|0[3-9]\d{2})(\d{7,8})$/;

/**
 * Mobile: first 3 and last 4 digits; separators and +86 dropped first.
 * @example maskMobile('+86 138-1234-5678') === '138****5678'
 */
export function maskMobile(value: string): string {
  const n = normalizeValue('cn_mobile', value);
  return /^1\d{10}$/.test(n) ? keepEnds(n, 3, 4) : hideAll(value.trim());
}

/**
 * ID number: 18 characters keep the area (first 6) and the last 4 (sequence and check); a 15-digit
 * GB 11643-1989 number keeps the area and its 3-digit sequence, so no digit of the birth date shows.
 * @example maskIdCard('11010519491231002X') === '110105********002X'
 */
export function maskIdCard(value: string): string {
  const n = normalizeValue('cn_id_card', value);
  if (/^\d{17}[\dX]$/.test(n)) return keepEnds(n, 6, 4);
  if (/^\d{15}$/.test(n)) return keepEnds(n, 6, 3);
  return hideAll(value.trim());
}

/**
 * Bank card (15–19 digits): first 6 (BIN) and last 4, the PCI DSS display maximum.
 * @example maskBankCard('6222 0212 3456 7890 128') === '622202*********0128'
 */
export function maskBankCard(value: string): string {
  const n = normalizeValue('bank_card', value);
  return /^\d{15,19}$/.test(n) ? keepEnds(n, 6, 4) : hideAll(value.trim());
}

/** What a name may contain: letters (any script), combining marks, the middle dot of transcribed names, spaces. */
const NAME_RE = /^[\p{L}\p{M}·•.\s]+$/u;

/**
 * Name: the surname and one `*` per other character; a one-character value, or one with digits or symbols, is
 * hidden whole.
 * @example maskName('欧阳娜娜') === '欧阳**'
 */
export function maskName(value: string): string {
  const text = value.trim();
  const n = codePointCount(text);
  if (n < 2 || !NAME_RE.test(text)) return hideAll(text);
  const keep = surnameLength(text, n);
  const head = keep === 2 || text.codePointAt(0)! <= 0xffff ? keep : 2;
  return text.slice(0, head) + '*'.repeat(n - keep);
}

const DISTRICT_END = /^((?:.{1,10}?(?:省|自治区|特别行政区))?(?:.{1,10}?(?:市|自治州|地区|盟))?.{1,10}?(?:区|县|旗|市))/u;

/**
 * Address to the district (as far as the gazetteer can read it: district, else prefecture, else province), then
 * `****`. Addresses the gazetteer cannot read fall back to a pattern for `…省…市…区`; failing that, all is hidden.
 * @example maskAddress('广东省深圳市南山区科技园路1号') === '广东省深圳市南山区****'
 */
export function maskAddress(value: string): string {
  const text = value.trim();
  const prefix = parseAddressPrefix(text);
  if (prefix !== undefined) return `${text.slice(0, prefix.length)}****`;
  const kept = DISTRICT_END.exec(text)?.[1];
  if (kept !== undefined && kept.length < text.length) return `${kept}****`;
  return hideAll(text);
}

/**
 * E-mail: the first character of the local part (none if it has only one), `***`, and the domain.
 * @example maskEmail('lihua@163.com') === 'l***@163.com'
 */
export function maskEmail(value: string): string {
  const text = value.trim();
  const at = text.lastIndexOf('@');
  if (at < 1 || at === text.length - 1) return hideAll(text);
  const local = [...text.slice(0, at)];
  return `${local.length > 1 ? local[0]! : ''}***${text.slice(at)}`;
}

/**
 * Landline: the area code and the last 2 digits of the local number; an extension is dropped.
 * @example maskLandline('0755-12345678') === '0755-******78'
 */
export function maskLandline(value: string): string {
  const text = value.trim().replace(/(?:转|ext\.?|#|x)\s*\d{1,6}$/i, '');
  const m = LANDLINE_RE.exec(normalizeValue('cn_landline', text));
  return m === null ? hideAll(value.trim()) : `${m[1]!}-${keepEnds(m[2]!, 0, 2)}`;
}

/**
 * Plate (7 or 8 characters): the province character and the issuing-authority letter, and the last character.
 * @example maskPlate('粤B·12345') === '粤B****5'
 */
export function maskPlate(value: string): string {
  const n = normalizeValue('cn_plate', value);
  const chars = [...n];
  return (chars.length === 7 || chars.length === 8) && /^\p{Script=Han}[A-Z]$/u.test(chars.slice(0, 2).join(''))
    ? keepEnds(n, 2, 1)
    : hideAll(value.trim());
}

/**
 * IPv4: the first two octets.
 * @example maskIpv4('192.168.1.20') === '192.168.*.*'
 */
export function maskIpv4(value: string): string {
  const o = ipv4Octets(value.trim());
  return o === null ? hideAll(value.trim()) : `${o[0]!}.${o[1]!}.*.*`;
}

/**
 * IPv6: the first two groups (the size of a typical allocation to an ISP).
 * @example maskIpv6('2001:DB8::8a2e:370:7334') === '2001:db8:*'
 */
export function maskIpv6(value: string): string {
  const g = ipv6Groups(value.trim());
  return g === null ? hideAll(value.trim()) : `${g[0]!.toString(16)}:${g[1]!.toString(16)}:*`;
}

/**
 * USCC (18 characters): the registration authority and institution type (first 2) and the last 2.
 * @example maskUscc('91350100M000100Y43') === '91**************43'
 */
export function maskUscc(value: string): string {
  const n = normalizeValue('cn_uscc', value);
  return /^[0-9A-Z]{18}$/.test(n) ? keepEnds(n, 2, 2) : hideAll(value.trim());
}

/**
 * Passport or HK/Macau travel permit (8–12 letters and digits): the first character and the last 3.
 * @example maskTravelDocument('EF1260892') === 'E*****892'
 */
export function maskTravelDocument(value: string): string {
  const n = normalizeValue('cn_passport', value);
  return /^[A-Z0-9]{8,12}$/.test(n) ? keepEnds(n, 1, 3) : hideAll(value.trim());
}

/**
 * Free text: every character hidden.
 * @example maskText('备注') === '**'
 */
export function maskText(value: string): string {
  return hideAll(value);
}

const MASKS: Readonly<Record<MaskKind, (v: string) => string>> = {
  cn_mobile: maskMobile,
  cn_id_card: maskIdCard,
  bank_card: maskBankCard,
  cn_name: maskName,
  cn_address: maskAddress,
  email: maskEmail,
  cn_landline: maskLandline,
  cn_uscc: maskUscc,
  cn_passport: maskTravelDocument,
  hk_macau_permit: maskTravelDocument,
  cn_plate: maskPlate,
  ipv4: maskIpv4,
  ipv6: maskIpv6,
  text: maskText,
};

/**
 * True for a string that names a mask kind.
 * @example isMaskKind('cn_mobile') === true && isMaskKind('phone') === false
 */
export function isMaskKind(kind: string): kind is MaskKind {
  return Object.hasOwn(MASKS, kind);
}

/**
 * Masks a value for display with its kind's default mask. A kind it does not know (a stale catalog entry) hides all.
 * @example maskValue('cn_mobile', '13812345678') === '138****5678'
 */
export function maskValue(kind: MaskKind, value: string): string {
  return isMaskKind(kind) ? MASKS[kind](value) : maskText(value);
}
