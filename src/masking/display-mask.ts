/**
 * Display masks (CN-PII.md §3, common conventions). Each mask keeps at most what its rule says.
 * Characters are counted as code points so that Chinese text is never cut inside a surrogate pair.
 */

/** The kinds of value a display mask knows. */
export type MaskKind = 'cn_mobile' | 'cn_id_card' | 'bank_card' | 'cn_name' | 'cn_address' | 'email' | 'text';

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

const MASKS: Record<MaskKind, (v: string) => string> = {
  cn_mobile: maskMobile,
  cn_id_card: maskIdCard,
  bank_card: maskBankCard,
  cn_name: maskName,
  cn_address: maskAddress,
  email: maskEmail,
  text: (v) => keepEnds(v, 0, 0),
};

/**
 * Masks a value for display by its kind.
 * @example maskValue('cn_mobile', '13812345678') === '138****5678'
 */
export function maskValue(kind: MaskKind, value: string): string {
  return MASKS[kind](value);
}
