/**
 * Format-preserving tokens (GB/T 37964 "format-preserving" de-identification): a keyed, deterministic, one-way
 * replacement that is still a valid value of its type, so test systems and analysts can use it where the real
 * value would go. Nothing maps a token back; two values may share a token (see docs/masking.md).
 */
import { idCardCheckDigit, isRealDate, isValidMobile, luhnCheckDigit } from '../catalog/index.js';
import { parseAddressPrefix, isUnnamedCity } from './address.js';
import { usccCheckChar as usccCheck } from '../catalog/index.js';
import { orgCodeCheck } from './check-chars.js';
import { LANDLINE_RE, surnameLength, type MaskKind } from './display-mask.js';
import { formatIpv6, ipv4Octets, ipv6Groups } from './ip.js';
import { createPrf, type Prf } from './keyed.js';
import { normalizeValue } from './normalize.js';
import { GIVEN_NAME_CHARS, SERIAL_LETTERS, STREET_NAMES } from './token-words.js';

/** Options of a token. */
export interface TokenOptions {
  /** "Now" for birth dates in the current year, which are kept on or before the real one. Default: the clock. */
  readonly today?: Date;
}

type Tokenizer = (n: string, prf: Prf, today: Date) => string | undefined;

const LOWER = [...'abcdefghijklmnopqrstuvwxyz'];
const UPPER = LOWER.map((c) => c.toUpperCase());
const DIGITS = [...'0123456789'];

function daysInYear(y: number): number {
  return isRealDate(y, 2, 29) ? 366 : 365;
}

/** Day of the year (0-based) of a date, and back. */
function dayIndex(y: number, m: number, d: number): number {
  return (Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000;
}
function mmdd(y: number, index: number): string {
  const dt = new Date(Date.UTC(y, 0, 1 + index));
  return `${String(dt.getUTCMonth() + 1).padStart(2, '0')}${String(dt.getUTCDate()).padStart(2, '0')}`;
}

/** A birth date in the same year; in the current year no later than the real one, so it is never in the future. */
function tokenBirthDay(y: number, m: number, d: number, prf: Prf, today: Date): string {
  const real = dayIndex(y, m, d);
  const drawn = prf.int(daysInYear(y));
  return mmdd(y, drawn > real && y >= today.getUTCFullYear() ? prf.int(real + 1) : drawn);
}

/** A sequence number 001–999 with the parity (sex) of the real one. */
function tokenSequence(real: number, prf: Prf): string {
  const seq = real % 2 === 1 ? 2 * prf.int(500) + 1 : 2 * (1 + prf.int(499));
  return String(seq).padStart(3, '0');
}

/** ID number, 18 (GB 11643-1999) or 15 (1989) digits: area and birth year kept, the rest drawn; a wrong check character is tolerated. */
const idCard: Tokenizer = (n, prf, today) => {
  const long = /^([1-9]\d{5})(\d{4})(\d\d)(\d\d)(\d{3})[\dX]$/.exec(n);
  const short = /^([1-9]\d{5})(\d\d)(\d\d)(\d\d)(\d{3})$/.exec(n);
  const m = long ?? short;
  if (m === null) return undefined;
  const year = Number(m[2]!.length === 2 ? `19${m[2]!}` : m[2]!);
  const [month, day] = [Number(m[3]), Number(m[4])];
  if (year < 1800 || !isRealDate(year, month, day) || Date.UTC(year, month - 1, day) > today.getTime()) return undefined;
  const body = `${m[1]!}${m[2]!}${tokenBirthDay(year, month, day, prf, today)}${tokenSequence(Number(m[5]), prf)}`;
  return long === null ? body : body + idCardCheckDigit(body);
};

/** Bank card, 15–19 digits: BIN (first 6) and length kept, middle drawn, Luhn check digit. */
const bankCard: Tokenizer = (n, prf) => {
  if (!/^\d{15,19}$/.test(n)) return undefined;
  const payload = n.slice(0, 6) + prf.digits(n.length - 7);
  return payload + luhnCheckDigit(payload);
};

/** Mobile: the 3-digit prefix (operator block) kept, 8 digits drawn. */
const mobile: Tokenizer = (n, prf) => (isValidMobile(n) ? n.slice(0, 3) + prf.digits(8) : undefined);

/** Name of 2–6 Chinese characters: surname kept, each given-name character drawn from 100 common ones. */
const name: Tokenizer = (n, prf) => {
  const chars = [...n];
  if (chars.length < 2 || chars.length > 6 || !/^\p{Script=Han}+$/u.test(n)) return undefined;
  const keep = surnameLength(n, chars.length);
  return chars.slice(0, keep).join('') + Array.from({ length: chars.length - keep }, () => prf.pick(GIVEN_NAME_CHARS)).join('');
};

/** E-mail: a drawn local part (a letter, then 7–11 letters and digits) at the same domain. */
const email: Tokenizer = (n, prf) => {
  const m = /^[a-z0-9._%+-]+@([a-z0-9.-]+\.[a-z]{2,})$/.exec(n);
  if (m === null) return undefined;
  const rest = Array.from({ length: 7 + prf.int(5) }, () => prf.pick([...LOWER, ...DIGITS])).join('');
  return `${prf.pick(LOWER)}${rest}@${m[1]!}`;
};

/** Landline: area code and local length kept, local number drawn (first digit 2–8, as local numbers start). */
const landline: Tokenizer = (n, prf) => {
  const m = LANDLINE_RE.exec(n);
  return m === null ? undefined : `${m[1]!}-${2 + prf.int(7)}${prf.digits(m[2]!.length - 1)}`;
};

/** USCC: authority, type and division code (first 8) kept; a digit organization code with its GB 11714 check; GB 32100 check. */
const uscc: Tokenizer = (n, prf) => {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(n)) return undefined;
  const org = prf.digits(8);
  const first17 = n.slice(0, 8) + org + orgCodeCheck(org);
  return first17 + usccCheck(first17);
};

/** Passport: the document letters (E, G, DE, SE, PE) kept; the serial drawn in the same shape. */
const passport: Tokenizer = (n, prf) => {
  if (/^[EG]\d{8}$/.test(n)) return n[0]! + prf.digits(8);
  if (/^E[A-HJ-NP-Z]\d{7}$/.test(n)) return `E${prf.pick(SERIAL_LETTERS)}${prf.digits(7)}`;
  if (/^[DSP]E\d{7}$/.test(n)) return n.slice(0, 2) + prf.digits(7);
  return undefined;
};

/** HK/Macau travel permit: H or M and the renewal count kept, the 8-digit lifetime number drawn. */
const permit: Tokenizer = (n, prf) => {
  const m = /^([HM])\d{8}(\d{2})?$/.exec(n);
  return m === null ? undefined : `${m[1]!}${prf.digits(8)}${m[2] ?? ''}`;
};

/** A character of the same class: digit for digit, plate letter for letter. */
function sameClass(c: string, prf: Prf): string {
  return /\d/.test(c) ? prf.pick(DIGITS) : prf.pick(SERIAL_LETTERS);
}

const PLATE_RE = /^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z](?:[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]|[DF][A-HJ-NP-Z0-9]\d{4}|\d{5}[DF])$/;

/** Plate (GA 36-2018): province, authority letter, new-energy D/F and 挂/学/警/港/澳 kept; every other character drawn in its class. */
const plate: Tokenizer = (n, prf) => {
  if (!PLATE_RE.test(n)) return undefined;
  const chars = [...n];
  const nev = chars.length === 8;
  return chars.map((c, i) => {
    if (i < 2 || /[挂学警港澳]/.test(c)) return c;
    if (nev && ((i === 2 && /[DF]/.test(c)) || (i === 7 && /[DF]/.test(c)))) return c;
    return sameClass(c, prf);
  }).join('');
};

/** IPv4: first octet kept, the others drawn (the last from 1–254). */
const ipv4: Tokenizer = (n, prf) => {
  const o = ipv4Octets(n);
  return o === null ? undefined : `${o[0]!}.${prf.int(256)}.${prf.int(256)}.${1 + prf.int(254)}`;
};

/** IPv6: first two groups kept, six drawn; RFC 5952 text. */
const ipv6: Tokenizer = (n, prf) => {
  const g = ipv6Groups(n);
  return g === null ? undefined : formatIpv6([g[0]!, g[1]!, ...Array.from({ length: 6 }, () => prf.int(65_536))]);
};

/** Address the gazetteer can read to a prefecture: canonical province, prefecture and district, then a drawn street and number. */
const address: Tokenizer = (n, prf) => {
  const p = parseAddressPrefix(n);
  if (p?.city === undefined) return undefined;
  const city = isUnnamedCity(p.city) ? '' : p.city.name;
  return `${p.province.name}${city}${p.district?.name ?? ''}${prf.pick(STREET_NAMES)}${1 + prf.int(999)}号`;
};

/** Free text: digits, ASCII letters (keeping case) and Chinese characters drawn in their class; spaces and punctuation kept. */
const text: Tokenizer = (n, prf) => [...n].map((c) => {
  if (/\d/.test(c)) return prf.pick(DIGITS);
  if (/[a-z]/.test(c)) return prf.pick(LOWER);
  if (/[A-Z]/.test(c)) return prf.pick(UPPER);
  if (/\p{Script=Han}/u.test(c)) return prf.pick(GIVEN_NAME_CHARS);
  return c;
}).join('');

const TOKENIZERS: Readonly<Record<MaskKind, Tokenizer>> = {
  cn_id_card: idCard,
  bank_card: bankCard,
  cn_mobile: mobile,
  cn_name: name,
  email,
  cn_landline: landline,
  cn_uscc: uscc,
  cn_passport: passport,
  hk_macau_permit: permit,
  cn_plate: plate,
  ipv4,
  ipv6,
  cn_address: address,
  text,
};

/**
 * A format-preserving token: deterministic for (type, normalized value, key), valid for its type, one-way. Throws a
 * RangeError (without the value) when the value is not valid for the type, or the key is shorter than 16 bytes.
 *
 * @example isValidIdCard18(formatToken('cn_id_card', '11010519491231002X', key)) === true
 */
export function formatToken(type: MaskKind, value: string, key: Uint8Array, options: TokenOptions = {}): string {
  const n = normalizeValue(type, value);
  const prf = createPrf(key, type, n);
  const token = Object.hasOwn(TOKENIZERS, type) ? TOKENIZERS[type](n, prf, options.today ?? new Date()) : undefined;
  if (token === undefined) throw new RangeError(`formatToken: the value is not a valid ${String(type)}`);
  return token;
}
