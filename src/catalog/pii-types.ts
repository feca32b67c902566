/** The kinds of personal information Custos finds, classifies and masks (CN-PII.md §4). */
export const PII_TYPES = [
  'cn_id_card',
  'cn_mobile',
  'cn_landline',
  'bank_card',
  'cn_uscc',
  'cn_passport',
  'hk_macau_permit',
  'cn_plate',
  'email',
  'ipv4',
  'ipv6',
  'cn_name',
  'cn_address',
] as const;
export type PiiType = (typeof PII_TYPES)[number];

/** One finding in a text: `start`/`end` are JavaScript string indices (UTF-16 code units), end exclusive. */
export interface Finding {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
  /** 0..1: how sure the detector is (a failed optional check or a missing context word lowers it). */
  readonly confidence: number;
}

/**
 * A finding of the text scan's token pass as scanText hands it out: an instance of this class whose own enumerable
 * properties are the four fields of {@link Finding}, and nothing else (JSON.stringify, spreading, Object.keys and
 * vitest's toEqual see those four). It is not a plain object: its prototype is TokenFinding.prototype, so
 * node:assert's deepStrictEqual against an object literal fails, and util.inspect prints `TokenFinding { … }`
 * (compare `{ ...finding }` where that matters). scanText's result can mix both kinds: when names or addresses are
 * wanted, or findings overlap, the token pass's findings (instances) are merged with the name and address findings
 * (object literals). A class with declared fields rather than an object literal, because V8 then keeps `confidence`
 * as a reference: findings with the same confidence share one number instead of boxing their own, which halves the
 * objects a scan of dense text allocates.
 */
export class TokenFinding implements Finding {
  readonly type: PiiType;
  readonly start: number;
  readonly end: number;
  readonly confidence: number;
  constructor(type: PiiType, start: number, end: number, confidence: number) {
    this.type = type;
    this.start = start;
    this.end = end;
    this.confidence = confidence;
  }
}

/** Receives one finding without an object being built for it (the bulk API: scanEach). */
export type FindingVisitor = (type: PiiType, start: number, end: number, confidence: number) => void;
