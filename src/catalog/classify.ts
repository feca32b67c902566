/**
 * Classification of fields: for each PII type (or a column-name hint where the values carry no type, like a
 * balance), the legal category that sets the record thresholds of 法释〔2017〕10号 Art. 5 (CN-PII.md §1), whether
 * PIPL Art. 28 counts it as sensitive, and its JR/T 0171-2020 level (C1–C3).
 */
import { findAddresses } from './addresses.js';
import { hasIdAreaPrefix, isValidHkMacauPermit, isValidIdCard15, isValidPassport } from './documents.js';
import { isEmailAt } from './email.js';
import { isValidIdCard18 } from './id-card.js';
import { isIPv4At, isIPv6At } from './ip.js';
import { isLuhnValid } from './luhn.js';
import { isValidMobile } from './mobile.js';
import { isBareName } from './names.js';
import type { Finding, PiiType } from './pii-types.js';
import { isValidPlate } from './plate.js';
import { hasUsccLayout, isValidUscc } from './uscc.js';

export const LEGAL_CATEGORIES = [
  'whereabouts',
  'communication_content',
  'credit',
  'property',
  'accommodation',
  'communication_records',
  'health',
  'transaction',
  'other',
] as const;
export type LegalCategory = (typeof LEGAL_CATEGORIES)[number];

/** Records that make a leak "serious" under Art. 5 ¶1 items (3)–(5), per category. */
export const CATEGORY_THRESHOLD: Readonly<Record<LegalCategory, 50 | 500 | 5000>> = {
  whereabouts: 50,
  communication_content: 50,
  credit: 50,
  property: 50,
  accommodation: 500,
  communication_records: 500,
  health: 500,
  transaction: 500,
  other: 5000,
};

export type SensitivityLevel = 'C1' | 'C2' | 'C3';

export interface FieldClass {
  readonly piiType: PiiType | null;
  readonly category: LegalCategory;
  readonly threshold: 50 | 500 | 5000;
  /** PIPL Art. 28 sensitive personal information (GB/T 45574-2025 Annex A). */
  readonly piplSensitive: boolean;
  readonly level: SensitivityLevel;
}

/**
 * The defaults per type. A bank card number is account information (property, PIPL-sensitive as a financial
 * account); a bare ID number is not sensitive under GB/T 45574-2025 but is C2 identity information in JR/T 0171.
 */
const BY_TYPE: Readonly<Record<PiiType, Omit<FieldClass, 'piiType' | 'threshold'>>> = {
  cn_id_card: { category: 'other', piplSensitive: false, level: 'C2' },
  cn_mobile: { category: 'other', piplSensitive: false, level: 'C2' },
  cn_landline: { category: 'other', piplSensitive: false, level: 'C2' },
  bank_card: { category: 'property', piplSensitive: true, level: 'C2' },
  cn_uscc: { category: 'other', piplSensitive: false, level: 'C1' },
  cn_passport: { category: 'other', piplSensitive: false, level: 'C2' },
  hk_macau_permit: { category: 'other', piplSensitive: false, level: 'C2' },
  cn_plate: { category: 'other', piplSensitive: false, level: 'C2' },
  email: { category: 'other', piplSensitive: false, level: 'C2' },
  ipv4: { category: 'other', piplSensitive: false, level: 'C1' },
  ipv6: { category: 'other', piplSensitive: false, level: 'C1' },
  cn_name: { category: 'other', piplSensitive: false, level: 'C2' },
  cn_address: { category: 'other', piplSensitive: false, level: 'C2' },
};

/** The classification of a field holding values of `type`. */
export function classifyType(type: PiiType): FieldClass {
  const c = BY_TYPE[type];
  return { piiType: type, ...c, threshold: CATEGORY_THRESHOLD[c.category] };
}

/** Column-name hints: what a name says about the type or the category of what the column holds. */
const NAME_HINTS: readonly { readonly re: RegExp; readonly type?: PiiType; readonly category?: LegalCategory; readonly level?: SensitivityLevel; readonly sensitive?: boolean }[] = [
  { re: /(^|_)(id_?(no|num|number|card)|idcard|identity|sfz|cert_?no)($|_)|身份证|证件号/i, type: 'cn_id_card' },
  { re: /mobile|cell|(^|_)phone($|_)|手机/i, type: 'cn_mobile' },
  { re: /tel(ephone)?($|_)|landline|座机|固话/i, type: 'cn_landline' },
  { re: /card_?(no|num|number)?$|bank_?card|account_?(no|num)|银行卡|卡号|账号/i, type: 'bank_card' },
  { re: /uscc|credit_?code|tax_?(id|no)|信用代码|税号/i, type: 'cn_uscc' },
  { re: /passport|护照/i, type: 'cn_passport' },
  { re: /permit|回乡证|通行证/i, type: 'hk_macau_permit' },
  { re: /plate|车牌/i, type: 'cn_plate' },
  { re: /e_?mail|邮箱/i, type: 'email' },
  { re: /(^|_)ip(_?addr(ess)?)?($|_)|(^|_)ipv[46]($|_)/i, type: 'ipv4' },
  { re: /(^|_)(name|full_?name|real_?name|cust(omer)?_?name)($|_)|姓名/i, type: 'cn_name' },
  { re: /addr(ess)?|地址|住址/i, type: 'cn_address' },
  { re: /password|passwd|(^|_)pin($|_)|cvv|cvn|密码/i, category: 'property', level: 'C3', sensitive: true },
  { re: /balance|deposit|asset|income|salary|余额|存款|资产|收入/i, category: 'property', level: 'C2', sensitive: true },
  { re: /credit|loan|debt|征信|贷款|负债/i, category: 'credit', level: 'C2', sensitive: true },
  { re: /transaction|txn|payment|order_?amount|交易|流水/i, category: 'transaction', level: 'C2', sensitive: true },
  { re: /gps|latitude|longitude|(^|_)(lat|lng|lon)($|_)|location|track|trajectory|轨迹|位置|定位/i, category: 'whereabouts', level: 'C2', sensitive: true },
  { re: /health|diagnos|medical|illness|disease|病|诊断|健康/i, category: 'health', level: 'C2', sensitive: true },
  { re: /hotel|check_?in|lodging|住宿|入住/i, category: 'accommodation', level: 'C2', sensitive: false },
  { re: /call_?(log|record)|通话|通信记录/i, category: 'communication_records', level: 'C2', sensitive: false },
  { re: /message|chat|sms_?(body|content)|短信|聊天/i, category: 'communication_content', level: 'C2', sensitive: true },
];

export interface NameHint {
  readonly source: string;
  readonly type?: PiiType;
  readonly category?: LegalCategory;
  readonly level?: SensitivityLevel;
  readonly sensitive?: boolean;
}

/** What a column's name suggests, or undefined. */
export function nameHint(column: string): NameHint | undefined {
  for (const h of NAME_HINTS) {
    if (h.re.test(column)) return { source: h.re.source, ...(h.type ? { type: h.type } : {}), ...(h.category ? { category: h.category } : {}), ...(h.level ? { level: h.level } : {}), ...(h.sensitive !== undefined ? { sensitive: h.sensitive } : {}) };
  }
  return undefined;
}

const LANDLINE = /^(?:\(0\d{2,3}\)|0\d{2,3}-?)\d{7,8}(?:-\d{1,5})?$/;

/**
 * The type of a whole value (a column cell), or undefined. Unlike free text, a cell needs no context word: the
 * column is the context. Values are trimmed; mobiles may carry +86 and separators.
 */
export function typeOfValue(raw: string, today: Date = new Date()): PiiType | undefined {
  const v = raw.trim();
  if (v.length === 0 || v.length > 512) return undefined;
  const compact = v.replace(/[\s-]/g, '');
  if (/^\d{17}[\dXx]$/.test(v) && isValidIdCard18(v, today) && hasIdAreaPrefix(v)) return 'cn_id_card';
  if (/^\d{15}$/.test(v) && isValidIdCard15(v)) return 'cn_id_card';
  const mobile = compact.replace(/^\+?86(?=1\d{10}$)/, '');
  if (/^\d{11}$/.test(mobile) && isValidMobile(mobile)) return 'cn_mobile';
  if (LANDLINE.test(v)) return 'cn_landline';
  if (/^\d{16,19}$/.test(compact) && isLuhnValid(compact)) return 'bank_card';
  if (hasUsccLayout(v)) return isValidUscc(v) || /[A-Z]/.test(v) ? 'cn_uscc' : undefined;
  if (isValidPassport(v)) return 'cn_passport';
  if (isValidHkMacauPermit(v)) return 'hk_macau_permit';
  if (isValidPlate(v.replace(/[·•\s]/g, ''))) return 'cn_plate';
  // The text scan's validators: one rule per type.
  if (isEmailAt(v, 0, v.length)) return 'email';
  if (isIPv4At(v, 0, v.length)) return 'ipv4';
  if (isIPv6At(v, 0, v.length)) return 'ipv6';
  if (isBareName(v)) return 'cn_name';
  const found: Finding[] = [];
  findAddresses(v, found);
  if (found.some((f) => f.confidence >= 0.5 && f.end - f.start >= v.length * 0.8)) return 'cn_address';
  return undefined;
}
