/**
 * The decoys of the PII corpus (pii-corpus.ts): look-alike text that is not personal information, each failing the
 * check that tells it apart (order numbers, amounts, times, IDs with a wrong check digit, unallocated mobile
 * prefixes, numbers failing Luhn, tracking and version numbers, service numbers, company names).
 */
import { isLuhnValid, isValidIdCard18, isValidMobile } from '../catalog/index.js';
import type { Random } from './random.js';
import { generateBirth, generateIdNumber, randomPlace } from './identifiers.js';
import { cityName, pad2, pickChar } from './corpus-values.js';

/** The kinds of look-alike text planted as decoys: none of them is personal information. */
export const DECOY_KINDS = [
  'order_number', // 订单号: 20-digit and 17-digit runs (the 17-digit ones fail Luhn)
  'amount', // ¥12,345.67, 1280.00元
  'datetime', // 2023-11-22 10:30:45, 2023年11月22日, [10:30:45]
  'timestamp_ms', // 13-digit epoch milliseconds
  'bad_check_id', // 18 digits laid out like an ID number with a wrong check digit
  'unallocated_mobile', // 11 digits with an unallocated prefix (10x, 11x, 12x, 140–144, 154)
  'bad_luhn_number', // 16–19 digits failing Luhn (transaction references)
  'tracking_number', // SF1234567890123
  'version_string', // 1.2.3.256, 01.2.3.4: not a valid IPv4 address
  'ticket_number', // GD + 14 digits
  'verification_code', // 6-digit SMS code
  'service_number', // 400-820-8820, 95588
  'company_name', // 深圳市华信科技有限公司: a place name that is not an address
] as const;
export type DecoyKind = (typeof DECOY_KINDS)[number];

function randomDate(rng: Random): { y: number; m: number; d: number; hh: number; mm: number; ss: number } {
  const y = rng.int(2021, 2024), m = rng.int(1, 12);
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { y, m, d: rng.int(1, days), hh: rng.int(0, 23), mm: rng.int(0, 59), ss: rng.int(0, 59) };
}

export function compactDate(rng: Random): string {
  const t = randomDate(rng);
  return `${t.y}${pad2(t.m)}${pad2(t.d)}`;
}

export function generateDatetime(rng: Random): string {
  const t = randomDate(rng);
  const r = rng.next();
  if (r < 0.5) return `${t.y}-${pad2(t.m)}-${pad2(t.d)} ${pad2(t.hh)}:${pad2(t.mm)}:${pad2(t.ss)}`;
  if (r < 0.7) return `${t.y}/${pad2(t.m)}/${pad2(t.d)} ${pad2(t.hh)}:${pad2(t.mm)}`;
  if (r < 0.85) return `${t.y}年${t.m}月${t.d}日 ${pad2(t.hh)}:${pad2(t.mm)}`;
  return `${t.y}年${t.m}月${t.d}日`;
}

export function generateClock(rng: Random): string {
  return `${pad2(rng.int(8, 22))}:${pad2(rng.int(0, 59))}:${pad2(rng.int(0, 59))}`;
}

/** 20 digits (date, time, serial) or 17 digits failing Luhn (so that it cannot pass for a card). */
export function generateOrderNumber(rng: Random): string {
  const t = randomDate(rng);
  if (rng.chance(0.5)) return `${t.y}${pad2(t.m)}${pad2(t.d)}${pad2(t.hh)}${pad2(t.mm)}${pad2(t.ss)}${rng.digits(6)}`;
  const s = `${t.y}${pad2(t.m)}${pad2(t.d)}${rng.digits(9)}`;
  return isLuhnValid(s) ? breakLuhn(s) : s;
}

function breakLuhn(s: string): string {
  const last = (Number(s[s.length - 1]) + 1) % 10;
  return s.slice(0, -1) + String(last);
}

export function generateAmount(rng: Random): string {
  const yuan = rng.chance(0.6) ? rng.int(1, 9999) : rng.int(10000, 999999);
  const fen = pad2(rng.int(0, 99));
  const grouped = yuan.toLocaleString('en-US');
  const r = rng.next();
  if (r < 0.35) return `¥${grouped}.${fen}`;
  if (r < 0.55) return `${yuan}.${fen}元`;
  if (r < 0.7) return `人民币${grouped}.00元`;
  if (r < 0.85) return `${yuan}元`;
  return `￥${yuan}`;
}

export function generateTimestampMs(rng: Random): string {
  return String(rng.int(1_600_000_000, 1_735_000_000)) + rng.digits(3);
}

/** An 18-digit number laid out like an ID (real area, real date) whose check digit is wrong. */
export function generateBadCheckId(rng: Random): string {
  const good = generateIdNumber(rng, randomPlace(rng), generateBirth(rng, 1950, 2005));
  const others = '0123456789X'.replace(good[17]!, '');
  return good.slice(0, 17) + pickChar(rng, others);
}

const UNALLOCATED_PREFIXES = ['100', '101', '102', '105', '106', '108', '110', '112', '116', '118', '120', '121', '123', '125', '127', '129', '140', '141', '142', '143', '144', '154'];

export function generateUnallocatedMobile(rng: Random): string {
  const s = rng.pick(UNALLOCATED_PREFIXES) + rng.digits(8);
  if (isValidMobile(s)) throw new Error('unallocated prefix list contains an allocated prefix');
  return s;
}

/** 16–19 digits failing Luhn, never an ID number's layout with a right check digit. */
export function generateBadLuhn(rng: Random): string {
  const length = rng.int(16, 19);
  for (;;) {
    const head = rng.chance(0.4) ? '62' : String(rng.int(1, 9));
    let s = head + rng.digits(length - head.length);
    if (isLuhnValid(s)) s = breakLuhn(s);
    if (!isValidIdCard18(s)) return s;
  }
}

export function generateTracking(rng: Random): string {
  return rng.pick(['SF', 'SF', 'YT', 'JT', 'JD']) + String(rng.int(1, 9)) + rng.digits(12);
}

/** Four dotted numbers that are not an IPv4 address: a part above 255 or with a leading zero. */
export function generateVersion(rng: Random): string {
  const r = rng.next();
  if (r < 0.4) return `${rng.int(1, 12)}.${rng.int(0, 9)}.${rng.int(0, 99)}.${rng.int(256, 9999)}`;
  if (r < 0.7) return `0${rng.int(1, 9)}.${rng.int(0, 9)}.${rng.int(0, 20)}.${rng.int(0, 255)}`;
  if (r < 0.85) return `10.0.${rng.int(17763, 22631)}.${rng.int(1, 3999)}`;
  return `${rng.int(1, 9)}.${rng.int(0, 9)}.${rng.int(0, 9)}.0${rng.int(1, 9)}`;
}

const SERVICE_NUMBERS = ['95588', '95533', '95555', '95566', '95599', '95559', '10086', '10010', '10000'];

export function generateServiceNumber(rng: Random): string {
  if (rng.chance(0.4)) return rng.pick(SERVICE_NUMBERS);
  const n = `${rng.pick(['400', '800'])}${rng.int(1, 9)}${rng.digits(6)}`;
  return rng.chance(0.6) ? `${n.slice(0, 3)}-${n.slice(3, 6)}-${n.slice(6)}` : n;
}

const BRANDS = ['华信', '中科', '瑞达', '鼎盛', '恒通', '宏远', '金桥', '天成', '嘉禾', '盛世', '云帆', '博雅', '新锐', '安泰', '德润'];
const INDUSTRIES = ['科技', '贸易', '网络科技', '电子商务', '物流', '餐饮管理', '信息技术', '建筑工程', '文化传媒', '医疗器械'];

export function generateCompany(rng: Random): string {
  const place = randomPlace(rng);
  const where = cityName(place) || place.province.name;
  return `${where}${rng.pick(BRANDS)}${rng.pick(INDUSTRIES)}有限公司`;
}
