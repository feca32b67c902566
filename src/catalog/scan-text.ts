/**
 * The text scanner: finds personal information in free text with exact validation (check digits, real dates,
 * allocated prefixes) and returns typed, scored findings with exact JavaScript string offsets.
 *
 * One pass over the text cuts it into ASCII tokens (letters, digits and the punctuation that identifiers use);
 * each token, or a short run of tokens joined by single spaces or hyphens ("138 1234 5678"), is classified. A
 * token is a whole: a number inside a longer run of digits or letters is never a match. Names and addresses are
 * found by their own passes (names.ts, addresses.ts).
 */
import { AddressFinder, addressStarts } from './addresses.js';
import { allDigitsAt, isDigit } from './digits.js';
import { hasIdAreaPrefixAt, isValidHkMacauPermitAt, isValidPassportAt, looksLikeIdCard18At } from './documents.js';
import { dayNumber, isValidIdCard18At } from './id-card.js';
import { isEmailAt } from './email.js';
import { isIPv4At, isIPv6At } from './ip.js';
import { NAME_CUE_START, NameFinder } from './names.js';
import type { Finding, FindingVisitor, PiiType } from './pii-types.js';
import { isValidPlate, PLATE_PROVINCES } from './plate.js';
import { contextBefore, DigitClassifier, MAX_GROUPS, PASSPORT_CONTEXT, PERMIT_CONTEXT, PLATE_CONTEXT, USCC_CONTEXT } from './scan-digits.js';
import { ordered, resolveOverlaps } from './scan-order.js';
import { hasUsccLayoutAt, isValidUsccAt } from './uscc.js';

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

/** Whether `types` holds every structured type (loops, not spread arrays: scanText is called per field and request). */
function allStructured(types: ReadonlySet<PiiType>): boolean {
  for (const t of STRUCTURED) if (!types.has(t)) return false;
  return true;
}

/** Whether `types` holds a structured type. */
function anyStructured(types: ReadonlySet<PiiType>): boolean {
  for (const t of types) if (STRUCTURED.has(t)) return true;
  return false;
}

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
/** Per code unit: token characters by kind (KIND, K_DIGIT for digits), 0 for the rest: one read per character of a token. */
const K_DIGIT = 128;
const TOKEN_KIND = new Uint8Array(65536);
for (let c = 0; c < 128; c++) TOKEN_KIND[c] = TOKEN[c] === 0 ? 0 : c >= 48 && c <= 57 ? K_DIGIT : KIND[c]!;

/** The kinds of non-digit character in `start`..`end` of `text` (0: digits only). */
function kindsOf(text: string, start: number, end: number): number {
  let kinds = 0;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) kinds |= c < 128 ? KIND[c]! : K_OTHER;
  }
  return kinds;
}

/** True when exactly two colons ('::', not part of a longer run) start at `k` of `text`. */
function isDoubleColonAt(text: string, k: number): boolean {
  return text.charCodeAt(k) === 58 && text.charCodeAt(k + 1) === 58 && text.charCodeAt(k + 2) !== 58 && text.charCodeAt(k - 1) !== 58;
}
const isAlnum = (c: number): boolean => c < 128 && TOKEN[c] === 1;

/** Per code unit: 1 for a province character that begins a plate. */
const PROVINCE_CODE = new Uint8Array(65536);
for (const ch of PLATE_PROVINCES) PROVINCE_CODE[ch.charCodeAt(0)] = 1;

/** The token pass: ASCII tokens are cut and classified here (digit runs by DigitClassifier), name and address cues handed to their finders. */
class Scanner extends DigitClassifier {
  /** Per code unit, what the pass does there (C_*). */
  private readonly classes: Uint8Array;
  constructor(
    text: string,
    types: ReadonlySet<PiiType> | undefined,
    min: number,
    today: number,
    /** Whether structured types are wanted; names and addresses are found by their finders, when wanted. */
    private readonly structured: boolean,
    private readonly names: NameFinder | undefined,
    private readonly addresses: AddressFinder | undefined,
  ) {
    super(text, types, types === undefined || allStructured(types), min, today);
    this.classes = charClasses(names !== undefined, addresses !== undefined);
  }

  /** Classifies a token holding letters (and digits, `_` or `%`): IDs ending in X, credit codes, travel documents, plates. */
  word(start: number, end: number): void {
    const len = end - start;
    // Only these lengths can be a type: plates (5–7 after the province character), travel documents (9, 11), IDs and codes (18).
    if (len !== 9 && len !== 11 && len !== 18 && (len < 5 || len > 7)) return;
    const text = this.text;
    if (len === 18 && allDigitsAt(text, start, end - 1) && (text.charCodeAt(end - 1) | 32) === 120) {
      // 17 digits and X or x.
      if (isValidIdCard18At(text, start, this.today) && hasIdAreaPrefixAt(text, start)) {
        this.emit('cn_id_card', start, end, 0.99);
        return;
      }
      if (looksLikeIdCard18At(text, start)) return;
    }
    let upper = true;
    for (let k = start; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c >= 97 && c <= 122) upper = false;
    }
    if (len === 18 && upper && hasUsccLayoutAt(text, start)) {
      const ok = isValidUsccAt(text, start);
      const context = contextBefore(text, start, USCC_CONTEXT);
      this.emit('cn_uscc', start, end, ok ? (context ? 0.98 : 0.9) : context ? 0.6 : 0.35);
      return;
    }
    if (isValidPassportAt(text, start, end)) {
      this.emit('cn_passport', start, end, contextBefore(text, start, PASSPORT_CONTEXT) ? 0.95 : 0.7);
      return;
    }
    if (isValidHkMacauPermitAt(text, start, end)) {
      this.emit('hk_macau_permit', start, end, contextBefore(text, start, PERMIT_CONTEXT) ? 0.95 : 0.65);
      return;
    }
    // Plates: the province character sits right before the token (optionally with a middle dot).
    if (len >= 5 && len <= 7 && upper) {
      let p = start - 1;
      const dot = p >= 0 ? text.charCodeAt(p) : 0;
      if (dot === 0xb7 || dot === 0x2022) p--; // · or •
      if (p >= 0 && PROVINCE_CODE[text.charCodeAt(p)] === 1) {
        let plateEnd = end;
        let plate = text[p]! + text.slice(start, end);
        if (len === 5 && '挂学警港澳'.includes(text[end] ?? '')) {
          plate += text[end]!;
          plateEnd++;
        }
        if (isValidPlate(plate) && !(p > 0 && PROVINCE_CODE[text.charCodeAt(p - 1)] === 1)) {
          this.emit('cn_plate', p, plateEnd, contextBefore(text, p, PLATE_CONTEXT) ? 0.97 : 0.85);
        }
      }
    }
  }

  /**
   * Classifies a token that may hold separators, by the kinds of non-digit character it holds (`kinds`, exact for
   * `start`..`end`; computed when not given).
   */
  token(start: number, end: number, kinds = kindsOf(this.text, start, end)): void {
    if (kinds === 0) this.digitRun(start, end);
    else if ((kinds & K_AT) !== 0) this.email(start, end);
    else if ((kinds & K_COLON) !== 0) this.colons(start, end);
    else if ((kinds & K_DOT) !== 0) this.ipv4(start, end);
    else if ((kinds & (K_DASH | K_PLUS)) !== 0) this.dashed(start, end);
    else this.word(start, end);
  }

  /** mailto:x@y.z or 邮箱:x@y.z arrive as one token; the address is the part after the last ':'. */
  email(start: number, end: number): void {
    const text = this.text;
    let from = end;
    while (from > start && text.charCodeAt(from - 1) !== 58) from--;
    if (isEmailAt(text, from, end)) this.emit('email', from, end, 0.95);
  }

  /** An IPv6 address, or a token cut at its colons (10:30:45 is a clock time; 身份证:110… holds an ID). */
  colons(start: number, end: number): void {
    const text = this.text;
    let colons = 0;
    let double = false;
    let hex = false;
    let other = false;
    let part = 0;
    let longest = 0;
    for (let k = start; k < end; k++) {
      const c = text.charCodeAt(k);
      if (c === 58) {
        colons++;
        part = 0;
        if (k + 1 < end && text.charCodeAt(k + 1) === 58) double = true;
        continue;
      }
      if (++part > longest) longest = part;
      if ((c >= 65 && c <= 70) || (c >= 97 && c <= 102)) hex = true;
      else if (c < 48 || c > 57) other = true;
    }
    // A clock time (10:30:45) is no address: IPv6 needs '::', a hex letter, or all eight groups.
    if ((double || hex || colons === 7) && isIPv6At(text, start, end)) {
      // Less sure: a short all-digit form (1::2, ::1), and '::' before one group (C++'s ::add is hex too).
      const weak = (!hex && !other && end - start < 9) || (colons === 2 && text.charCodeAt(start) === 58);
      this.emit('ipv6', start, end, weak ? 0.3 : 0.9);
      return;
    }
    if (longest < 6) return; // a clock time: no part can hold anything
    let at = start;
    for (let k = start; k <= end; k++) {
      if (k < end && text.charCodeAt(k) !== 58) continue;
      if (k - at >= 6) this.token(at, k);
      at = k + 1;
    }
  }

  /** Four octets 0–255 without leading zeros (1.2.3.256 and 01.2.3.4 are version strings). */
  ipv4(start: number, end: number): void {
    if (isIPv4At(this.text, start, end)) this.emit('ipv4', start, end, 0.9);
  }

  /** Digit groups joined by hyphens, optionally after '+' (+86-138-1234-5678, 010-12345678, 2023-11-22). */
  dashed(start: number, end: number): void {
    const text = this.text;
    const plus = text.charCodeAt(start) === 43;
    let n = 0;
    let total = 0;
    let at = plus ? start + 1 : start;
    for (let k = at; k <= end; k++) {
      const c = k < end ? text.charCodeAt(k) : 45;
      if (isDigit(c)) continue;
      // A letter, another '+', an empty group, or more groups than any type has digits: no type.
      if (c !== 45 || k === at || n === MAX_GROUPS) return;
      this.groupStart[n] = at;
      this.groupLength[n++] = k - at;
      total += k - at;
      at = k + 1;
    }
    // Phones have 10–13 digits with their prefixes, cards 16–19: a date (2023-11-22) stops here.
    if (total < 10 || total > 19 || total === 14 || total === 15) return;
    this.groups = n;
    this.plus = plus;
    this.digitGroups(start, end, false);
  }

  /**
   * Where a raw token starts once separator punctuation is trimmed: a leading '+' before a digit stays, and so does a
   * leading '::' (exactly two colons), which begins a compressed IPv6 address (::1, ::ffff:1.2.3.4).
   */
  trimStart(start: number, end: number): number {
    const text = this.text;
    while (start < end && TOKEN[text.charCodeAt(start)] === 2 && !(text.charCodeAt(start) === 43 && isDigit(text.charCodeAt(start + 1)))) {
      // The characters around a token are no token characters: no ':' before or after it is read here.
      if (isDoubleColonAt(text, start)) break;
      start++;
    }
    return start;
  }

  /** Where a raw token (from its trimmed start) ends once separator punctuation is trimmed. */
  trimEnd(start: number, end: number): number {
    const text = this.text;
    // A trailing '::' is part of a compressed IPv6 address (2409:f844::), and '::' alone is one (the unspecified address).
    const v6 = (end - start > 3 || end - start === 2) && text.charCodeAt(end - 1) === 58 && text.charCodeAt(end - 2) === 58;
    while (!v6 && end > start && TOKEN[text.charCodeAt(end - 1)] === 2) end--;
    return end;
  }

  /**
   * Digit tokens joined by single spaces ("138 1234 5678", "+86 138 1234 5678", "6222 0212 3456 7890 128"): tries
   * the whole run first; returns where it ended, or -1 if the run is no match.
   */
  spaced(start: number, firstEnd: number): number {
    const text = this.text;
    const plus = text.charCodeAt(start) === 43;
    let at = plus ? start + 1 : start;
    if (at === firstEnd) return -1;
    if (!allDigitsAt(text, at, firstEnd)) return -1;
    let n = 0;
    let end = firstEnd;
    for (;;) {
      this.groupStart[n] = at;
      this.groupLength[n++] = end - at;
      // Another group follows: one space, then digits up to a non-token boundary.
      const next = end + 1;
      if (n >= 6 || text.charCodeAt(end) !== 32 || !isDigit(text.charCodeAt(next))) break;
      let e = next;
      while (e < text.length && isDigit(text.charCodeAt(e))) e++;
      if (e < text.length && isAlnum(text.charCodeAt(e))) break;
      at = next;
      end = e;
    }
    if (n < 2) return -1;
    this.groups = n;
    this.plus = plus;
    return this.digitGroups(start, end, false) ? end : -1;
  }

  /**
   * One pass over the text. ASCII tokens are classified here; at the (Han) characters where a name cue or an
   * administrative name can start, the name and address finders look.
   */
  run(): void {
    const text = this.text;
    const n = text.length;
    const classes = this.classes;
    const structured = this.structured;
    // Without names and addresses, nothing starts at a non-ASCII character: no table read there.
    const cues = this.names !== undefined || this.addresses !== undefined;
    for (let i = 0; i < n; i++) {
      // Without them, every type takes 4+ ASCII characters in a row (1::2, 1.1.1.1, a spaced group "86 " is followed
      // by a digit, "(0755)1234567" is longer) except IPv6 addresses '::' and '::' + one character (::1), whose 2nd
      // character is ':': where the 4th character from here is not ASCII and the 2nd is no ':', nothing starts in the
      // next 4. The pass reads one character in 4 through Chinese text (and its neighbour).
      if (!cues) {
        while (i + 3 < n && text.charCodeAt(i + 3) >= 128 && text.charCodeAt(i + 1) !== 58) i += 4;
        while (i < n && text.charCodeAt(i) >= 128) i++;
        if (i >= n) break;
      }
      const c = text.charCodeAt(i);
      const k = c < 128 || cues ? classes[c]! : 0;
      // Most characters are nothing: one table read.
      if (k === 0) continue;
      if (k >= C_PAREN) {
        if (k !== C_PAREN) this.cue(i, k);
        else if (structured) i = this.parenthesised(i);
        continue;
      }
      // A token starts here only at a boundary (the previous character is not a token character). While reading
      // it, note which kinds of character it holds: most tokens in text (short numbers, words) can be no type at all.
      let e = i;
      let digits = 0;
      let kinds = 0;
      while (e < n) {
        // One table read per character (the table covers every code unit: no range test), no branch on its kind.
        const t = TOKEN_KIND[text.charCodeAt(e)]!;
        if (t === 0) break;
        digits += t >>> 7;
        kinds |= t;
        e++;
      }
      kinds &= ~K_DIGIT;
      if (!structured) {
        i = e - 1;
        continue;
      }
      const spacedNext = text.charCodeAt(e) === 32 && isDigit(text.charCodeAt(e + 1));
      // Every type needs 4+ digits (1.1.1.1), except IPv6 (a colon), e-mail (@), digit groups continued after a
      // space, and plates (letters and digits right after a province character).
      const plate = (kinds & K_LETTER) !== 0 && e - i >= 5 && e - i <= 7 && i > 0 && text.charCodeAt(i - 1) >= 0x4e00;
      // A clock time (19:56 or 21:45:14: pairs of digits between colons) is nothing, and chat logs have one per line.
      const clock = kinds === K_COLON && text.charCodeAt(i + 2) === 58 && ((e - i === 5 && digits === 4) || (e - i === 8 && digits === 6 && text.charCodeAt(i + 5) === 58));
      if (!clock && (digits >= 4 || (kinds & (K_AT | K_COLON)) !== 0 || (digits > 0 && spacedNext) || plate)) {
        const whole = TOKEN[c] === 1 && TOKEN[text.charCodeAt(e - 1)] === 1;
        const s = whole ? i : this.trimStart(i, e);
        const t = whole ? e : this.trimEnd(s, e);
        if (s < t) {
          // Spaced digit groups first (they extend past this token), then the token alone.
          const spacedEnd = spacedNext && t === e && (kinds & ~K_PLUS) === 0 ? this.spaced(s, t) : -1;
          if (spacedEnd > 0) {
            i = spacedEnd - 1;
            continue;
          }
          if (kinds === 0) this.digitRun(s, t);
          else if (whole) this.token(s, t, kinds);
          else this.token(s, t);
        }
      }
      i = e - 1;
    }
  }

  /** Where a name cue (C_NAME) or an administrative name (C_ADDRESS) can start at `i`, the finders look. */
  cue(i: number, kind: number): void {
    const names = this.names;
    if ((kind & C_NAME) !== 0 && names !== undefined && i >= names.next) names.at(i);
    const addresses = this.addresses;
    if ((kind & C_ADDRESS) !== 0 && addresses !== undefined && i >= addresses.next) addresses.at(i);
  }

  /** "(0755)1234567" and "(020) 12345678": an area code in parentheses before the local number. */
  parenthesised(i: number): number {
    const text = this.text;
    const m = /^\((0\d{2,3})\) ?(\d{7,8})(?![0-9A-Za-z])/.exec(text.slice(i, i + 16));
    if (m === null || (i > 0 && isAlnum(text.charCodeAt(i - 1)))) return i;
    const end = i + m[0].length;
    this.groupStart[0] = i + 1;
    this.groupLength[0] = m[1]!.length;
    this.groupStart[1] = end - m[2]!.length;
    this.groupLength[1] = m[2]!.length;
    this.groups = 2;
    this.plus = false;
    const ok = this.digitGroups(i, end, true);
    return ok ? end - 1 : i;
  }
}

/**
 * The scan shared by scanText and scanEach: the token pass's findings when they came out in order and apart with no
 * name or address among them (the common case: left as numbers, no object built), else the merged, resolved list.
 */
function scan(text: string, options: ScanOptions): DigitClassifier | Finding[] {
  // A string built by concatenation is a tree of pieces until flattened; every character read would walk it.
  flatten(text);
  const types = options.types;
  const min = options.minConfidence ?? 0;
  const structured = types === undefined || anyStructured(types);
  // Names and addresses are kept apart until the end: the stable sort then orders ties as before (structured first).
  const names: Finding[] = [];
  const addresses: Finding[] = [];
  const nameFinder = types === undefined || types.has('cn_name') ? new NameFinder(text, names) : undefined;
  const addressFinder = types === undefined || types.has('cn_address') ? new AddressFinder(text, addresses) : undefined;
  const scanner = new Scanner(text, types, min, dayNumber(options.today ?? new Date()), structured, nameFinder, addressFinder);
  if (structured || nameFinder !== undefined || addressFinder !== undefined) scanner.run();
  // Structured findings alone, in order and apart: nothing to merge, order or resolve.
  if (scanner.disjoint && names.length === 0 && addresses.length === 0) return scanner;
  const kept = (list: Finding[]): Finding[] => (min > 0 ? list.filter((f) => f.confidence >= min) : list);
  return resolveOverlaps(ordered(ordered(scanner.findings(), kept(names)), kept(addresses)));
}

/**
 * Finds personal information in `text`, in order of position.
 *
 * @example scanText('客户张伟，手机138 1234 5678') → [{ type: 'cn_name', start: 2, end: 4, … }, { type: 'cn_mobile', start: 7, end: 20, … }]
 */
export function scanText(text: string, options: ScanOptions = {}): Finding[] {
  const found = scan(text, options);
  return Array.isArray(found) ? found : found.findings();
}

/**
 * The same findings as scanText, in the same order, handed to `visit` one by one without an object per finding
 * (for bulk work: JSON Lines output, redaction, counting).
 *
 * @example scanEach('手机13812345678', {}, (type, start, end) => …) calls it once with ('cn_mobile', 2, 13, 0.95)
 */
export function scanEach(text: string, options: ScanOptions, visit: FindingVisitor): void {
  const found = scan(text, options);
  if (!Array.isArray(found)) found.visit(visit);
  else for (const f of found) visit(f.type, f.start, f.end, f.confidence);
}

/** Character classes of the pass: token characters, '(' before an area code, name cue and admin name starts. */
const C_ALNUM = 1;
const C_PUNCT = 2;
const C_PAREN = 4;
const C_NAME = 8;
const C_ADDRESS = 16;
const classTables: (Uint8Array | undefined)[] = [];

/** The class table for a scan with or without names and addresses (built on first use; addresses load the gazetteer). */
function charClasses(names: boolean, addresses: boolean): Uint8Array {
  const key = (names ? 1 : 0) | (addresses ? 2 : 0);
  const cached = classTables[key];
  if (cached !== undefined) return cached;
  const table = new Uint8Array(65536);
  for (let c = 0; c < 128; c++) table[c] = TOKEN[c] === 1 ? C_ALNUM : TOKEN[c] === 2 ? C_PUNCT : c === 40 ? C_PAREN : 0;
  const starts = addresses ? addressStarts() : undefined;
  for (let c = 128; c < 65536; c++) {
    if (names && NAME_CUE_START[c] === 1) table[c]! |= C_NAME;
    if (starts !== undefined && starts[c] === 1) table[c]! |= C_ADDRESS;
  }
  // Cues are looked for only at non-ASCII characters (ASCII ones are read as tokens).
  for (let c = 0; c < 128; c++) if (NAME_CUE_START[c] === 1 || starts?.[c] === 1) throw new Error('a name cue or an administrative name starts with an ASCII character');
  classTables[key] = table;
  return table;
}

/** Makes V8 store `s` as one flat sequence (converting to a number reads it whole, which flattens it in place). */
function flatten(s: string): void {
  if (s.length > 1024) void Number(s);
}
