/**
 * Digit-run classification for the text scanner: a run of digits, or digit groups joined by single spaces or
 * hyphens ("138 1234 5678", "010-12345678"), read in place and classified by length and check digits as a mobile or
 * landline number, an ID number, a bank card or an all-digit credit code. The token pass (scan-text.ts) finds the
 * runs; this file decides what they are.
 */
import { hasIdAreaPrefixAt, hasProvincePrefixAt, isValidIdCard15At, looksLikeIdCard18At } from './documents.js';
import { isValidIdCard18At } from './id-card.js';
import { isLuhnValidAt, luhnSum } from './luhn.js';
import { isValidMobileAt } from './mobile.js';
import { PII_TYPES, TokenFinding, type Finding, type FindingVisitor, type PiiType } from './pii-types.js';
import { isValidUsccAt } from './uscc.js';

/** Context words: one of them shortly before a value raises its confidence. */
const CARD_CONTEXT = ['卡号', '银行卡', '信用卡', '储蓄卡', '借记卡', '账号', '帐号', '卡'];
export const ID_CONTEXT = ['身份证', '证件号', '身份号'];
export const PASSPORT_CONTEXT = ['护照'];
export const PERMIT_CONTEXT = ['回乡证', '通行证', '港澳'];
export const USCC_CONTEXT = ['信用代码', '税号', '纳税人识别号', '营业执照'];
export const PLATE_CONTEXT = ['车牌', '号牌'];
const PHONE_CONTEXT = ['电话', '座机', '固话', '联系方式', '办公'];

/** Per code unit: bit i set when a word of CONTEXTS[i] starts with it. */
const CONTEXT_START = new Uint8Array(65536);
const CONTEXTS: readonly (readonly string[])[] = [CARD_CONTEXT, ID_CONTEXT, PASSPORT_CONTEXT, PERMIT_CONTEXT, USCC_CONTEXT, PLATE_CONTEXT, PHONE_CONTEXT];
CONTEXTS.forEach((words, i) => {
  for (const w of words) CONTEXT_START[w.charCodeAt(0)]! |= 1 << i;
});

/** True when one of `words` (one of CONTEXTS) ends within `window` characters before `start`. */
export function contextBefore(text: string, start: number, words: readonly string[], window = 12): boolean {
  const bit = 1 << CONTEXTS.indexOf(words);
  for (let k = Math.max(0, start - window); k < start; k++) {
    if ((CONTEXT_START[text.charCodeAt(k)]! & bit) === 0) continue;
    for (const w of words) if (k + w.length <= start && text.startsWith(w, k)) return true;
  }
  return false;
}

/** Per type, its index in PII_TYPES (the finding arrays hold types as indexes). */
const TYPE_INDEX = Object.fromEntries(PII_TYPES.map((t, i) => [t, i])) as Record<PiiType, number>;

/** A typed array of the same kind as `a`, twice as long, starting with a copy of `a`. */
function doubled<T extends Uint8Array | Uint16Array | Int32Array>(a: T): T {
  const b = new (a.constructor as new (length: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

/** The finding arrays before the first finding (empty, never written: grow() replaces them). */
const NO_TYPES = new Uint8Array(0);
const NO_OFFSETS = new Int32Array(0);
const NO_CONFIDENCES = new Uint16Array(0);

/** At most this many digit groups: more would hold more digits than any type has. */
export const MAX_GROUPS = 20;

/** Findings and digit-run classification; the token pass (Scanner in scan-text.ts) extends it. */
export class DigitClassifier {
  /**
   * The findings, one entry per finding in each typed array (`count` of them): no object per finding while the pass
   * runs (nothing for the garbage collector to trace or copy); objects are built once at the end for scanText
   * (findings()), and scanEach's visitor gets the numbers (visit()).
   */
  count = 0;
  private foundType: Uint8Array;
  private foundStart: Int32Array;
  private foundEnd: Int32Array;
  /** Confidences as indexes into `confidences`, the distinct values in the order first seen (a few dozen at most). */
  private foundConfidence: Uint16Array;
  private readonly confidences: number[] = [];
  /** The digit groups being classified (digitGroups): where each starts, its length, how many, and a leading '+'. */
  protected readonly groupStart = new Int32Array(MAX_GROUPS);
  protected readonly groupLength = new Int32Array(MAX_GROUPS);
  protected groups = 0;
  protected plus = false;
  constructor(
    protected readonly text: string,
    private readonly types: ReadonlySet<PiiType> | undefined,
    /** True when every structured type is wanted: no per-finding type lookup then. */
    private readonly all: boolean,
    /** Findings below this confidence are not kept. */
    private readonly min: number,
    /** Today as dayNumber(): birth dates must not pass it. */
    protected readonly today: number,
  ) {
    // Nothing allocated until the first finding: a short text with none (most redact requests' fields) pays nothing.
    this.foundType = NO_TYPES;
    this.foundStart = NO_OFFSETS;
    this.foundEnd = NO_OFFSETS;
    this.foundConfidence = NO_CONFIDENCES;
  }

  /**
   * True while `out` is in order (by start, the longer first) with no finding overlapping the one before: the
   * order and overlap passes then have nothing to do. Checked here, on numbers at hand, not afterwards on the objects.
   */
  disjoint = true;
  private lastEnd = 0;

  emit(type: PiiType, start: number, end: number, confidence: number): void {
    if (confidence < this.min || !(this.all || this.types!.has(type))) return;
    if (start < this.lastEnd) this.disjoint = false;
    this.lastEnd = end;
    const k = this.count++;
    if (k === this.foundType.length) this.grow();
    this.foundType[k] = TYPE_INDEX[type];
    this.foundStart[k] = start;
    this.foundEnd[k] = end;
    let c = this.confidences.indexOf(confidence);
    if (c < 0) {
      // The confidences are the few values the classifiers compute; an index beyond 16 bits would be a defect.
      if (this.confidences.length === 0xffff) throw new Error('text scan: too many distinct confidences');
      c = this.confidences.push(confidence) - 1;
    }
    this.foundConfidence[k] = c;
  }

  /**
   * Makes room for more findings: on the first, room for one per 64 code units (dense customer-service text has one
   * per ~60) but at least 8 (a short text: a few findings at most); after that, twice the room, so a long text copies
   * each finding about once more.
   */
  private grow(): void {
    if (this.foundType.length === 0) {
      const capacity = Math.min(Math.max(8, this.text.length >>> 6), 1 << 20);
      this.foundType = new Uint8Array(capacity);
      this.foundStart = new Int32Array(capacity);
      this.foundEnd = new Int32Array(capacity);
      this.foundConfidence = new Uint16Array(capacity);
      return;
    }
    this.foundType = doubled(this.foundType);
    this.foundStart = doubled(this.foundStart);
    this.foundEnd = doubled(this.foundEnd);
    this.foundConfidence = doubled(this.foundConfidence);
  }

  /** The findings as objects, in the order found. */
  findings(): Finding[] {
    const { count, foundType, foundStart, foundEnd, foundConfidence } = this;
    // A frozen array holds its numbers as references: each finding gets one of these, not a number of its own. Copying
    // and freezing costs more than it saves for a few findings (a short field of a redact request): those read the list.
    const confidences = count > 64 ? Object.freeze([...this.confidences]) : this.confidences;
    const out = new Array<Finding>(count);
    for (let k = 0; k < count; k++) out[k] = new TokenFinding(PII_TYPES[foundType[k]!]!, foundStart[k]!, foundEnd[k]!, confidences[foundConfidence[k]!]!);
    return out;
  }

  /** Calls `visit` with each finding, in the order found. */
  visit(visit: FindingVisitor): void {
    const { count, foundType, foundStart, foundEnd, foundConfidence, confidences } = this;
    for (let k = 0; k < count; k++) visit(PII_TYPES[foundType[k]!]!, foundStart[k]!, foundEnd[k]!, confidences[foundConfidence[k]!]!);
  }

  /** A bank card of `len` digits at `start`..`end` that passed Luhn: confidence from the issuer prefix, a context word, grouping. */
  card(start: number, end: number, len: number, groups: number): void {
    const text = this.text;
    const d0 = text.charCodeAt(start);
    const context = contextBefore(text, start, CARD_CONTEXT);
    // UnionPay 62…, or a 16-digit Visa (4…) or Mastercard (5…).
    const known = (d0 === 54 && text.charCodeAt(start + 1) === 50) || ((d0 === 52 || d0 === 53) && len === 16);
    let confidence = known ? 0.8 : 0.4;
    if (context) confidence += 0.15;
    if (groups > 1) confidence += 0.05;
    this.emit('bank_card', start, end, Math.min(confidence, 0.99));
  }

  /** A landline number at `start`..`end`: surer with the area code apart (grouped) and after a context word. */
  landline(start: number, end: number, grouped: boolean): void {
    const context = contextBefore(this.text, start, PHONE_CONTEXT);
    this.emit('cn_landline', start, end, grouped ? (context ? 0.95 : 0.85) : context ? 0.8 : 0.45);
  }

  /** The character code of the k-th digit of the current groups (-1 past the end). */
  digitAt(k: number): number {
    for (let g = 0; g < this.groups; g++) {
      const l = this.groupLength[g]!;
      if (k < l) return this.text.charCodeAt(this.groupStart[g]! + k);
      k -= l;
    }
    return -1;
  }

  /**
   * Classifies the current digit groups, `start`..`end` in the text (separators: one space or hyphen; an area code
   * may sit in parentheses, `paren`). Digits are read in place.
   */
  digitGroups(start: number, end: number, paren: boolean): boolean {
    const text = this.text;
    const n = this.groups;
    const gs = this.groupStart;
    const gl = this.groupLength;
    const plus = this.plus;
    let total = 0;
    for (let g = 0; g < n; g++) total += gl[g]!;
    const l0 = gl[0]!;
    // Mobile: 11 digits (3-4-4 or whole), optionally after 86 / +86. `at`: where its first digit is, when its groups fit.
    const cc86 = total === 13 && this.digitAt(0) === 56 && this.digitAt(1) === 54;
    let at = -1;
    if (cc86 && (plus || n > 1) && (l0 === 2 || l0 === 13)) {
      if (l0 === 13) at = gs[0]! + 2;
      else if (n === 2 || (n === 4 && gl[1] === 3 && gl[2] === 4)) at = gs[1]!;
    } else if (cc86 && !plus && n === 1 && isValidMobileAt(text, gs[0]! + 2)) at = gs[0]! + 2;
    else if (total === 11 && (n === 1 || (n === 3 && l0 === 3 && gl[1] === 4))) at = gs[0]!;
    if (at >= 0 && isValidMobileAt(text, at)) {
      this.emit('cn_mobile', start, end, 0.95);
      return true;
    }
    // Landline: 0 + area code (3 digits for 010/02x, else 4) + 7–8 digit local number.
    if (!plus && this.digitAt(0) === 48) {
      const d1 = this.digitAt(1);
      const area = d1 === 49 || d1 === 50 ? 3 : 4;
      const local = total - area;
      const grouped = (n === 2 && l0 === area) || paren;
      if (local >= 7 && local <= 8 && this.digitAt(area) !== 48 && (grouped || n === 1)) {
        this.landline(start, end, grouped);
        return true;
      }
    }
    if (plus || total < 16 || total > 19) return false;
    // Bank card: 16–19 digits with Luhn, whole or in groups of four.
    for (let g = 0; g < n - 1; g++) if (gl[g] !== 4) return false;
    if (total === 18 && n === 1 && looksLikeIdCard18At(text, gs[0]!)) return false;
    let sum = 0;
    let doubled = false;
    for (let g = n - 1; g >= 0; g--) {
      sum += luhnSum(text, gs[g]!, gs[g]! + gl[g]!, doubled);
      if (gl[g]! % 2 === 1) doubled = !doubled;
    }
    if (sum % 10 !== 0) return false;
    this.card(start, end, total, n);
    return true;
  }

  /**
   * Classifies a token of digits only, in place, by its length first: only 10–13 (phones), 15 (old IDs), 16–19
   * (cards) and 18 (IDs, credit codes) can be anything. The same outcomes as {@link digitGroups} on one group.
   */
  digitRun(start: number, end: number): void {
    const text = this.text;
    const len = end - start;
    switch (len) {
      case 11:
        if (isValidMobileAt(text, start)) this.emit('cn_mobile', start, end, 0.95);
        else this.bareLandline(start, end);
        return;
      case 10:
      case 12:
        this.bareLandline(start, end);
        return;
      case 13:
        // 86 and a mobile number, written together.
        if (text.charCodeAt(start) === 56 && text.charCodeAt(start + 1) === 54 && isValidMobileAt(text, start + 2)) this.emit('cn_mobile', start, end, 0.95);
        return;
      case 15:
        if (isValidIdCard15At(text, start)) this.emit('cn_id_card', start, end, contextBefore(text, start, ID_CONTEXT) ? 0.9 : 0.45);
        return;
      case 18:
        this.digits18(start, end);
        return;
      case 16:
      case 17:
      case 19:
        if (isLuhnValidAt(text, start, end)) this.card(start, end, len, 1);
        return;
      default:
    }
  }

  /** 10–12 digits written together: a landline when they start with 0 and an area code of the right length. */
  bareLandline(start: number, end: number): void {
    const text = this.text;
    if (text.charCodeAt(start) !== 48) return;
    const d1 = text.charCodeAt(start + 1);
    const area = d1 === 49 || d1 === 50 ? 3 : 4;
    const local = end - start - area;
    if (local >= 7 && local <= 8 && text.charCodeAt(start + area) !== 48) this.landline(start, end, false);
  }

  /** 18 digits: an ID number; else a credit code with its context word; else a card; else a credit code without. */
  digits18(start: number, end: number): void {
    const text = this.text;
    if (isValidIdCard18At(text, start, this.today) && hasIdAreaPrefixAt(text, start)) {
      this.emit('cn_id_card', start, end, 0.99);
      return;
    }
    if (looksLikeIdCard18At(text, start)) return; // an ID with a wrong check digit is not an ID, and not anything else
    // An all-digit credit code is told from a card number by its context word only.
    const uscc = isValidUsccAt(text, start) && hasProvincePrefixAt(text, start + 2);
    if (uscc && contextBefore(text, start, USCC_CONTEXT)) {
      this.emit('cn_uscc', start, end, 0.95);
      return;
    }
    if (isLuhnValidAt(text, start, end)) {
      this.card(start, end, 18, 1);
      return;
    }
    if (uscc) this.emit('cn_uscc', start, end, 0.45);
  }
}
