/**
 * Display masks (CN-PII.md §3, common conventions). Each mask keeps at most what its rule says.
 * Characters are counted as code points so that Chinese text is never cut inside a surrogate pair.
 */

import type { PiiType } from '../catalog/index.js';

/** The kinds of value a display mask knows: every PII type, and `text` (everything hidden). */
export type MaskKind = PiiType | 'text';

const COMPOUND_SURNAMES = new Set([
  '欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '宇文', '长孙', '夏侯', '轩辕', '端木', '南宫', '独孤',
]);

function keepEnds(value: string, head: number, tail: number, fill = '*'): string {
  const chars = [...value];
  if (chars.length <= head + tail) return fill.repeat(chars.length);
  return chars.slice(0, head).join('') + fill.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

/** `13812345678` → `138****5678` (separators and +86 dropped first). */
export function maskMobile(value: string): string {
  const digits = value.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
  return digits.length === 11 ? keepEnds(digits, 3, 4) : keepEnds(digits, 0, 0);
}

/** ID number: first 6 (area) and last 4 kept, birth date and sequence hidden. */
export function maskIdCard(value: string): string {
  return keepEnds(value.trim(), 6, 4);
}

/** Bank card: first 6 (BIN) and last 4 kept (the PCI DSS display maximum). */
export function maskBankCard(value: string): string {
  return keepEnds(value.replace(/[\s-]/g, ''), 6, 4);
}

/** Name keeps the surname: `张三` → `张*`, `欧阳娜娜` → `欧阳**`. */
export function maskName(value: string): string {
  const chars = [...value.trim()];
  const surnameLen = chars.length > 2 && COMPOUND_SURNAMES.has(chars.slice(0, 2).join('')) ? 2 : 1;
  return chars.slice(0, surnameLen).join('') + '*'.repeat(Math.max(1, chars.length - surnameLen));
}

const DISTRICT_END = /^((?:.{1,10}?(?:省|自治区|特别行政区))?(?:.{1,10}?(?:市|自治州|地区|盟))?.{1,10}?(?:区|县|旗|市))/u;

/** Address to the district: `广东省深圳市南山区科技园路1号` → `广东省深圳市南山区****`. */
export function maskAddress(value: string): string {
  const m = DISTRICT_END.exec(value);
  const kept = m?.[1];
  if (kept === undefined || kept.length >= value.length) return keepEnds(value, Math.min(6, [...value].length >> 1), 0);
  return `${kept}****`;
}

/** `lihua@163.com` → `l***@163.com`. */
export function maskEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return keepEnds(value, 0, 0);
  return `${[...value.slice(0, at)][0]!}***${value.slice(at)}`;
}

/** Landline: area code and the last 2 digits (`0755-****5678` → `0755-******78`). */
export function maskLandline(value: string): string {
  const m = /^\(?(0\d{2,3})\)?[\s-]?(\d+)(.*)$/.exec(value.trim());
  if (m === null) return keepEnds(value, 0, 0);
  return `${m[1]!}-${keepEnds(m[2]!, 0, 2)}`;
}

/** Plate: province and authority letter kept (`粤B12345` → `粤B****5`). */
export function maskPlate(value: string): string {
  return keepEnds(value.replace(/[·•\s]/g, ''), 2, 1);
}

/** IPv4: the network half kept (`192.168.1.20` → `192.168.*.*`). */
export function maskIpv4(value: string): string {
  const parts = value.split('.');
  return parts.length === 4 ? `${parts[0]!}.${parts[1]!}.*.*` : keepEnds(value, 0, 0);
}

/** IPv6: the first two groups kept (`2001:db8::8a2e:370:7334` → `2001:db8:*`). */
export function maskIpv6(value: string): string {
  const parts = value.split(':');
  return parts.length >= 3 ? `${parts[0]!}:${parts[1]!}:*` : keepEnds(value, 0, 0);
}

const MASKS: Record<MaskKind, (v: string) => string> = {
  cn_mobile: maskMobile,
  cn_id_card: maskIdCard,
  bank_card: maskBankCard,
  cn_name: maskName,
  cn_address: maskAddress,
  email: maskEmail,
  cn_landline: maskLandline,
  cn_uscc: (v) => keepEnds(v.trim(), 2, 2),
  cn_passport: (v) => keepEnds(v.trim(), 1, 3),
  hk_macau_permit: (v) => keepEnds(v.trim(), 1, 3),
  cn_plate: maskPlate,
  ipv4: maskIpv4,
  ipv6: maskIpv6,
  text: (v) => keepEnds(v, 0, 0),
};

/**
 * Masks a value for display by its kind.
 * @example maskValue('cn_mobile', '13812345678') === '138****5678'
 */
export function maskValue(kind: MaskKind, value: string): string {
  return MASKS[kind](value);
}
