/**
 * The text scanner: finds personal information in free text with exact validation (check digits, real dates,
 * allocated prefixes) and returns typed, scored findings with exact JavaScript string offsets.
 *
 * One pass over the text cuts it into ASCII tokens (letters, digits and the punctuation that identifiers use);
 * each token, or a short run of tokens joined by single spaces or hyphens ("138 1234 5678"), is classified. A
 * token is a whole: a number inside a longer run of digits or letters is never a match. Names and addresses are
 * found by their own passes (names.ts, addresses.ts).
 */
import { isIPv6 } from 'node:net';
import { findAddresses } from './addresses.js';
import { hasIdAreaPrefix, hasProvincePrefix, isValidHkMacauPermit, isValidIdCard15, isValidPassport, looksLikeIdCard18 } from './documents.js';
import { isValidIdCard18 } from './id-card.js';
import { isLuhnValid } from './luhn.js';
import { isValidMobile } from './mobile.js';
import { findNames } from './names.js';
import type { Finding, PiiType } from './pii-types.js';
import { isValidPlate, PLATE_PROVINCES } from './plate.js';
import { hasUsccLayout, isValidUscc } from './uscc.js';

export interface ScanOptions {
  /** Only these types (default: all). */
  readonly types?: ReadonlySet<PiiType>;
  /** Findings below this confidence are dropped (default 0: everything, with its confidence). */
  readonly minConfidence?: number;
  /** The date ID numbers' birth dates must not pass (default: now). */
  readonly today?: Date;
}

const STRUCTURED: ReadonlySet<PiiType> = new Set(['cn_id_card', 'cn_mobile', 'cn_landline', 'bank_card', 'cn_uscc', 'cn_passport', 'hk_macau_permit', 'cn_plate', 'email', 'ipv4', 'ipv6']);
/** The structured types only: everything found by exact validation, without the name and address passes. */
export const STRUCTURED_TYPES: ReadonlySet<PiiType> = STRUCTURED;

/** Token characters: ASCII letters and digits, and . _ % + - @ : inside identifiers. */
const TOKEN = new Uint8Array(128);
for (let c = 48; c <= 57; c++) TOKEN[c] = 1;
for (let c = 65; c <= 90; c++) TOKEN[c] = 1;
for (let c = 97; c <= 122; c++) TOKEN[c] = 1;
for (const ch of '._%+-@:') TOKEN[ch.charCodeAt(0)] = 2;

/** Character kinds inside a token (digits are counted apart). */
const K_LETTER = 1;
const K_AT = 2;
const K_COLON = 4;
const K_PLUS = 8;
const K_OTHER = 16;
const K_DOT = 32;
const K_DASH = 64;
const KIND = new Uint8Array(128);
for (let c = 65; c <= 90; c++) KIND[c] = K_LETTER;
for (let c = 97; c <= 122; c++) KIND[c] = K_LETTER;
KIND[64] = K_AT;
KIND[58] = K_COLON;
KIND[43] = K_PLUS;
KIND[95] = K_OTHER; // _
KIND[37] = K_OTHER; // %
KIND[46] = K_DOT;
KIND[45] = K_DASH;

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isAlnum = (c: number): boolean => c < 128 && TOKEN[c] === 1;

const CARD_CONTEXT = ['卡号', '银行卡', '信用卡', '储蓄卡', '借记卡', '账号', '帐号', '卡'];
const ID_CONTEXT = ['身份证', '证件号', '身份号'];
const PASSPORT_CONTEXT = ['护照'];
const PERMIT_CONTEXT = ['回乡证', '通行证', '港澳'];
const USCC_CONTEXT = ['信用代码', '税号', '纳税人识别号', '营业执照'];
const PLATE_CONTEXT = ['车牌', '号牌'];
const PHONE_CONTEXT = ['电话', '座机', '固话', '联系方式', '办公'];

/** True when one of `words` ends within `window` characters before `start`. */
function contextBefore(text: string, start: number, words: readonly string[], window = 12): boolean {
  const from = Math.max(0, start - window);
  const before = text.slice(from, start);
  for (const w of words) if (before.includes(w)) return true;
  return false;
}

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

/** A run of digit groups: the digits, the group lengths, and whether it began with '+'. */
interface Groups {
  readonly digits: string;
  readonly lengths: readonly number[];
  readonly plus: boolean;
}

class Scanner {
  readonly out: Finding[] = [];
  constructor(
    private readonly text: string,
    private readonly want: (t: PiiType) => boolean,
    private readonly today: Date,
  ) {}

  emit(type: PiiType, start: number, end: number, confidence: number): void {
    if (this.want(type)) this.out.push({ type, start, end, confidence });
  }

  /** Classifies a run of digit groups (separators: one space or hyphen; an area code may sit in parentheses). */
  digitGroups(g: Groups, start: number, end: number, paren: boolean): boolean {
    const { digits, lengths } = g;
    const n = lengths.length;
    const text = this.text;
    // Mobile: 11 digits (3-4-4 or whole), optionally after 86 / +86.
    let mobile = digits;
    let lens = lengths;
    if ((g.plus || n > 1) && digits.startsWith('86') && digits.length === 13 && (lengths[0] === 2 || lengths[0] === 13)) {
      mobile = digits.slice(2);
      lens = lengths[0] === 2 ? lengths.slice(1) : [11];
    } else if (!g.plus && n === 1 && digits.length === 13 && digits.startsWith('86') && isValidMobile(digits.slice(2))) {
      mobile = digits.slice(2);
      lens = [11];
    }
    if (mobile.length === 11 && (lens.length === 1 || (lens.length === 3 && lens[0] === 3 && lens[1] === 4)) && isValidMobile(mobile)) {
      this.emit('cn_mobile', start, end, 0.95);
      return true;
    }
    // Landline: 0 + area code (3 digits for 010/02x, else 4) + 7–8 digit local number.
    if (digits[0] === '0' && !g.plus) {
      const area = digits[1] === '1' || digits[1] === '2' ? 3 : 4;
      const local = digits.length - area;
      const grouped = (n === 2 && lengths[0] === area) || paren;
      if (local >= 7 && local <= 8 && digits[area] !== '0' && (grouped || n === 1)) {
        const context = contextBefore(text, start, PHONE_CONTEXT);
        this.emit('cn_landline', start, end, grouped ? (context ? 0.95 : 0.85) : context ? 0.8 : 0.45);
        return true;
      }
    }
    if (g.plus) return false;
    // Bank card: 16–19 digits with Luhn, whole or in groups of four.
    const cardGroups = n === 1 || lengths.slice(0, -1).every((l) => l === 4);
    if (digits.length >= 16 && digits.length <= 19 && cardGroups) {
      if (digits.length === 18 && n === 1 && looksLikeIdCard18(digits)) return false;
      if (isLuhnValid(digits)) {
        const context = contextBefore(text, start, CARD_CONTEXT);
        const known = digits.startsWith('62') || ((digits[0] === '4' || digits[0] === '5') && digits.length === 16);
        let confidence = known ? 0.8 : 0.4;
        if (context) confidence += 0.15;
        if (n > 1) confidence += 0.05;
        this.emit('bank_card', start, end, Math.min(confidence, 0.99));
        return true;
      }
    }
    return false;
  }

  /** Classifies one token without separators (digits, letters, or both). */
  word(tok: string, start: number, end: number, allDigits: boolean): void {
    const text = this.text;
    const len = tok.length;
    if (len === 18 && /^\d{17}[\dXx]$/.test(tok)) {
      if (isValidIdCard18(tok, this.today) && hasIdAreaPrefix(tok)) {
        this.emit('cn_id_card', start, end, 0.99);
        return;
      }
      if (looksLikeIdCard18(tok)) return; // an ID with a wrong check digit is not an ID, and not anything else
    }
    if (allDigits) {
      // An all-digit credit code is told from a card number by its context word only.
      if (len === 18 && isValidUscc(tok) && hasProvincePrefix(tok.slice(2)) && contextBefore(text, start, USCC_CONTEXT)) {
        this.emit('cn_uscc', start, end, 0.95);
        return;
      }
      if (len === 15 && isValidIdCard15(tok)) {
        this.emit('cn_id_card', start, end, contextBefore(text, start, ID_CONTEXT) ? 0.9 : 0.45);
        return;
      }
      if (this.digitGroups({ digits: tok, lengths: [len], plus: false }, start, end, false)) return;
      if (len === 18 && hasUsccLayout(tok) && isValidUscc(tok) && hasProvincePrefix(tok.slice(2))) {
        this.emit('cn_uscc', start, end, 0.45);
      }
      return;
    }
    const upper = tok.toUpperCase() === tok;
    if (len === 18 && upper && hasUsccLayout(tok)) {
      const ok = isValidUscc(tok);
      const context = contextBefore(text, start, USCC_CONTEXT);
      this.emit('cn_uscc', start, end, ok ? (context ? 0.98 : 0.9) : context ? 0.6 : 0.35);
      return;
    }
    if (isValidPassport(tok)) {
      this.emit('cn_passport', start, end, contextBefore(text, start, PASSPORT_CONTEXT) ? 0.95 : 0.7);
      return;
    }
    if (isValidHkMacauPermit(tok)) {
      this.emit('hk_macau_permit', start, end, contextBefore(text, start, PERMIT_CONTEXT) ? 0.95 : 0.65);
      return;
    }
    // Plates: the province character sits right before the token (optionally with a middle dot).
    if (len >= 5 && len <= 7 && upper) {
      let p = start - 1;
      if (text[p] === '·' || text[p] === '•') p--;
      if (p >= 0 && PLATE_PROVINCES.includes(text[p]!)) {
        let plateEnd = end;
        let plate = text[p]! + tok;
        if (len === 5 && '挂学警港澳'.includes(text[end] ?? '')) {
          plate += text[end]!;
          plateEnd++;
        }
        const before = p > 0 ? text.charCodeAt(p - 1) : 0;
        if (isValidPlate(plate) && !(before >= 0x4e00 && before <= 0x9fff && PLATE_PROVINCES.includes(text[p - 1]!))) {
          this.emit('cn_plate', p, plateEnd, contextBefore(text, p, PLATE_CONTEXT) ? 0.97 : 0.85);
        }
      }
    }
  }

  /**
   * Classifies a token that may hold separators. `kinds` says which non-digit characters the raw token held (a
   * superset of the trimmed token's), so the checks for absent ones are skipped.
   */
  token(start: number, end: number, kinds = K_LETTER | K_AT | K_COLON | K_PLUS | K_OTHER | K_DOT | K_DASH): void {
    const text = this.text;
    const tok = text.slice(start, end);
    if (kinds === 0) {
      this.word(tok, start, end, true);
      return;
    }
    if ((kinds & K_AT) !== 0 && tok.includes('@')) {
      // mailto:x@y.z or 邮箱:x@y.z arrive as one token; the address is the part after the last ':'.
      const colon = tok.lastIndexOf(':');
      const from = colon >= 0 ? colon + 1 : 0;
      const addr = tok.slice(from);
      if (EMAIL.test(addr)) this.emit('email', start + from, end, 0.95);
      return;
    }
    if ((kinds & K_COLON) !== 0 && tok.includes(':')) {
      // A clock time (10:30:45) is no address: IPv6 needs '::', a hex letter, or all eight groups.
      if ((tok.includes('::') || /[a-fA-F]/.test(tok) || tok.split(':').length === 8) && isIPv6(tok)) {
        this.emit('ipv6', start, end, /^[0-9:]+$/.test(tok) && tok.length < 9 ? 0.3 : 0.9);
        return;
      }
      let at = start;
      for (const part of tok.split(':')) {
        if (part.length >= 6) this.token(at, at + part.length);
        at += part.length + 1;
      }
      return;
    }
    if ((kinds & K_DOT) !== 0 && tok.includes('.')) {
      if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(tok)) {
        const ok = tok.split('.').every((o) => (o.length === 1 || o[0] !== '0') && Number(o) <= 255);
        if (ok) this.emit('ipv4', start, end, 0.9);
      }
      return;
    }
    if ((kinds & (K_DASH | K_PLUS)) !== 0 && (tok.includes('-') || tok.includes('+'))) {
      const plus = tok[0] === '+';
      const parts = (plus ? tok.slice(1) : tok).split('-');
      if (parts.every((p) => /^\d+$/.test(p))) {
        this.digitGroups({ digits: parts.join(''), lengths: parts.map((p) => p.length), plus }, start, end, false);
      } else if (!plus && parts.length === 2 && /^\d{17}$/.test(parts.join('').slice(0, 17))) {
        return;
      }
      return;
    }
    this.word(tok, start, end, /^\d+$/.test(tok));
  }

  /** Trims separator punctuation from a raw token's ends (a leading '+' before a digit stays). */
  trimmed(start: number, end: number): [number, number] {
    const text = this.text;
    while (start < end && TOKEN[text.charCodeAt(start)] === 2 && !(text[start] === '+' && isDigit(text.charCodeAt(start + 1)))) start++;
    // A trailing '::' is part of a compressed IPv6 address (2409:f844::).
    const v6 = end - start > 3 && text.charCodeAt(end - 1) === 58 && text.charCodeAt(end - 2) === 58;
    while (!v6 && end > start && TOKEN[text.charCodeAt(end - 1)] === 2) end--;
    return [start, end];
  }

  /**
   * Digit tokens joined by single spaces ("138 1234 5678", "+86 138 1234 5678", "6222 0212 3456 7890 128",
   * "(0755) 1234567"): tries the whole run first; returns where it ended, or -1 if the run is no match.
   */
  spaced(start: number, firstEnd: number, paren: boolean): number {
    const text = this.text;
    const lengths: number[] = [];
    let digits = '';
    const plus = text[start] === '+';
    let at = start + (plus ? 1 : 0);
    let end = firstEnd;
    let runEnd: number;
    for (;;) {
      const part = text.slice(at, end);
      if (!/^\d+$/.test(part)) return -1;
      digits += part;
      lengths.push(part.length);
      runEnd = end;
      // Another group follows: one space (or ') ' after an area code), then digits up to a non-token boundary.
      const next = end + 1;
      if (lengths.length >= 6 || text[end] !== ' ' || !isDigit(text.charCodeAt(next))) break;
      let e = next;
      while (e < text.length && isDigit(text.charCodeAt(e))) e++;
      if (e < text.length && isAlnum(text.charCodeAt(e))) break;
      at = next;
      end = e;
    }
    if (lengths.length < 2 && !paren) return -1;
    if (paren && lengths.length === 1) {
      // "(020)12345678": the area code is the parenthesised digits right before.
      return -1;
    }
    return this.digitGroups({ digits, lengths, plus }, paren ? start - 1 : start, runEnd, paren) ? runEnd : -1;
  }

  run(): void {
    const text = this.text;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 128 || TOKEN[c] === 0) {
        if (c === 40 /* ( */) i = this.parenthesised(i);
        continue;
      }
      // A token starts here only at a boundary (the previous character is not a token character). While reading
      // it, note which kinds of character it holds: most tokens in text (short numbers, words) can be no type at all.
      let e = i;
      let digits = 0;
      let kinds = 0;
      while (e < n) {
        const d = text.charCodeAt(e);
        if (d >= 128 || TOKEN[d] === 0) break;
        if (d >= 48 && d <= 57) digits++;
        else kinds |= KIND[d]!;
        e++;
      }
      const spacedNext = text.charCodeAt(e) === 32 && isDigit(text.charCodeAt(e + 1));
      // Every type needs 4+ digits (1.1.1.1), except IPv6 (a colon), e-mail (@), digit groups continued after a
      // space, and plates (letters and digits right after a province character).
      const plate = (kinds & K_LETTER) !== 0 && e - i >= 5 && e - i <= 7 && i > 0 && text.charCodeAt(i - 1) >= 0x4e00;
      if (digits >= 4 || (kinds & (K_AT | K_COLON)) !== 0 || (digits > 0 && spacedNext) || plate) {
        const [s, t] = this.trimmed(i, e);
        if (s < t) {
          // Spaced digit groups first (they extend past this token), then the token alone.
          const spacedEnd = spacedNext && t === e && (kinds & ~K_PLUS) === 0 ? this.spaced(s, t, false) : -1;
          if (spacedEnd > 0) {
            i = spacedEnd - 1;
            continue;
          }
          this.token(s, t, kinds);
        }
      }
      i = e - 1;
    }
  }

  /** "(0755)1234567" and "(020) 12345678": an area code in parentheses before the local number. */
  parenthesised(i: number): number {
    const text = this.text;
    const m = /^\((0\d{2,3})\) ?(\d{7,8})(?![0-9A-Za-z])/.exec(text.slice(i, i + 16));
    if (m === null || (i > 0 && isAlnum(text.charCodeAt(i - 1)))) return i;
    const digits = m[1]! + m[2]!;
    const ok = this.digitGroups({ digits, lengths: [m[1]!.length, m[2]!.length], plus: false }, i, i + m[0].length, true);
    return ok ? i + m[0].length - 1 : i;
  }
}

/**
 * Finds personal information in `text`, in order of position.
 *
 * @example scanText('客户张伟，手机138 1234 5678') → [{ type: 'cn_name', start: 2, end: 4, … }, { type: 'cn_mobile', start: 7, end: 20, … }]
 */
export function scanText(text: string, options: ScanOptions = {}): Finding[] {
  // A string built by concatenation is a tree of pieces until flattened; every character read would walk it.
  flatten(text);
  const types = options.types;
  const want = types === undefined ? () => true : (t: PiiType) => types.has(t);
  const scanner = new Scanner(text, want, options.today ?? new Date());
  if (types === undefined || [...types].some((t) => STRUCTURED.has(t))) scanner.run();
  const out = scanner.out;
  if (want('cn_name')) findNames(text, out);
  if (want('cn_address')) findAddresses(text, out);
  const min = options.minConfidence ?? 0;
  const kept = min > 0 ? out.filter((f) => f.confidence >= min) : out;
  return resolveOverlaps(kept.sort((a, b) => a.start - b.start || b.end - a.end));
}

/** Makes V8 store `s` as one flat sequence (converting to a number reads it whole, which flattens it in place). */
function flatten(s: string): void {
  if (s.length > 1024) void Number(s);
}

/** Where findings overlap, the longer (then the surer) one wins; an address keeps the numbers inside it out. */
function resolveOverlaps(sorted: Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const f of sorted) {
    const last = out[out.length - 1];
    if (last === undefined || f.start >= last.end) {
      out.push(f);
      continue;
    }
    const better = f.end - f.start > last.end - last.start || (f.end - f.start === last.end - last.start && f.confidence > last.confidence);
    if (better) out[out.length - 1] = f;
  }
  return out;
}
