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

/** Receives one finding without an object being built for it (the bulk API: scanEach). */
export type FindingVisitor = (type: PiiType, start: number, end: number, confidence: number) => void;
