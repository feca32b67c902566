/**
 * Generalisation (GB/T 37964): replace a quasi-identifier by a coarser value — a birth date by its year or a
 * ten-year age band, an ID number by its birth year, age band or province, an address by its prefecture or province.
 * Values that cannot be read give null, never a guess.
 */
import { gazetteer, isRealDate } from '../catalog/index.js';
import { isUnnamedCity, parseAddressPrefix } from './address.js';
import { normalizeValue } from './normalize.js';

/** A calendar date. */
export interface CalendarDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

/** Ages from this one up share the band `90+` (so few people are this old that a decade would single them out). */
export const TOP_AGE_BAND = 90;

/** Province-level areas outside the gazetteer that appear in ID numbers (residence permits, CN-PII.md §4.1). */
const EXTRA_PROVINCES: Readonly<Record<string, string>> = { '81': '香港特别行政区', '82': '澳门特别行政区', '83': '台湾省' };

/** A date from `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYYMMDD` or `YYYY年M月D日`, or from parts; undefined unless real. */
function readDate(date: string | CalendarDate): CalendarDate | undefined {
  let parts: CalendarDate | undefined;
  if (typeof date === 'string') {
    const m = /^(\d{4})(?:([-/.])(\d{1,2})\2(\d{1,2})|(\d{2})(\d{2})|年(\d{1,2})月(\d{1,2})日?)$/.exec(date.trim());
    if (m === null) return undefined;
    parts = { year: Number(m[1]), month: Number(m[3] ?? m[5] ?? m[7]), day: Number(m[4] ?? m[6] ?? m[8]) };
  } else {
    parts = date;
  }
  const { year, month, day } = parts;
  if (![year, month, day].every(Number.isInteger) || year < 1800 || !isRealDate(year, month, day)) return undefined;
  return parts;
}

/** Whole years from a birth date to `today` (UTC calendar date); negative when the date is after today. */
function ageOn(birth: CalendarDate, today: Date): number {
  const [y, m, d] = [today.getUTCFullYear(), today.getUTCMonth() + 1, today.getUTCDate()];
  return y - birth.year - (m < birth.month || (m === birth.month && d < birth.day) ? 1 : 0);
}

/** The ten-year band of an age: `30-39`, or `90+`. */
function ageBand(age: number): string {
  if (age >= TOP_AGE_BAND) return `${TOP_AGE_BAND}+`;
  const low = Math.floor(age / 10) * 10;
  return `${low}-${low + 9}`;
}

/**
 * A birth date generalised to its year or its ten-year age band on `today` (default: now; UTC calendar date).
 * Null for a date that is not real or lies after today.
 *
 * @example generaliseBirthDate('1987-06-15', 'age_band', new Date('2025-01-01')) === '30-39'
 */
export function generaliseBirthDate(date: string | CalendarDate, to: 'year' | 'age_band', today: Date = new Date()): string | null {
  const birth = readDate(date);
  if (birth === undefined) return null;
  const age = ageOn(birth, today);
  if (age < 0) return null;
  return to === 'year' ? String(birth.year) : ageBand(age);
}

/** The province-level area named by the first two digits of an ID number. */
function provinceOfCode(code2: string): string | null {
  return gazetteer().provinces.find((p) => p.code === code2)?.name ?? EXTRA_PROVINCES[code2] ?? null;
}

/**
 * An ID number (18 or 15 digits; the check character is not verified) generalised to its birth year, its age band
 * on `today`, or the name of its province. Null when it is not an ID number or its province is unknown.
 *
 * @example generaliseIdNumber('11010519491231002X', 'province') === '北京市'
 */
export function generaliseIdNumber(id: string, to: 'birth_year' | 'age_band' | 'province', today: Date = new Date()): string | null {
  const n = normalizeValue('cn_id_card', id);
  const m = /^[1-9]\d{5}(\d{8})\d{3}[\dX]$/.exec(n) ?? /^[1-9]\d{5}(\d{6})\d{3}$/.exec(n);
  if (m === null) return null;
  const birth = m[1]!.length === 6 ? `19${m[1]!}` : m[1]!;
  if (to === 'province') return readDate(birth) === undefined ? null : provinceOfCode(n.slice(0, 2));
  return generaliseBirthDate(birth, to === 'birth_year' ? 'year' : 'age_band', today);
}

/**
 * An address generalised to its prefecture (`广东省深圳市`; a municipality is its own: `北京市`; a county-level city
 * under a province stands for its prefecture: `湖北省仙桃市`) or its province, with canonical gazetteer names.
 * Null when the gazetteer cannot read the address to that level.
 *
 * @example generaliseAddress('广东省深圳市南山区科技园路1号', 'city') === '广东省深圳市'
 */
export function generaliseAddress(address: string, to: 'city' | 'province'): string | null {
  const p = parseAddressPrefix(address.trim());
  if (p === undefined) return null;
  if (to === 'province') return p.province.name;
  if (p.city === undefined) return null;
  if (!isUnnamedCity(p.city)) return `${p.province.name}${p.city.name}`;
  if (p.city.name === '市辖区' || p.city.name === '县') return p.province.name;
  return p.district === undefined ? null : `${p.province.name}${p.district.name}`;
}
