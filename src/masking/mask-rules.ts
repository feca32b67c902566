/**
 * Configurable display masks: a rule per kind overrides the default mask (JR/T 0171 leaves the exact patterns to
 * the institution, so masking policy is configuration, not code). Rules arrive from `CUSTOS_MASKS` as JSON.
 */
import { hideAll, keepEnds } from './code-points.js';
import { isMaskKind, maskText, maskValue, type MaskKind } from './display-mask.js';
import { normalizeValue } from './normalize.js';

/** Keep this many code points at each end of the normalized value and hide the rest. */
export interface KeepRule {
  readonly keepHead: number;
  readonly keepTail: number;
}

/** A display rule: keep the ends, hide everything (`full`), or use the kind's default mask (`default`). */
export type MaskRule = KeepRule | { readonly style: 'full' } | { readonly style: 'default' };

/** Rules by kind; kinds without a rule use their default mask. */
export type MaskRules = Readonly<Partial<Record<MaskKind, MaskRule>>>;

/** A masker built from rules. */
export interface Masker {
  /** The value as its kind's rule shows it; never throws on odd values. */
  mask(kind: MaskKind, value: string): string;
}

/** The most code points a rule may keep at one end. */
export const MAX_KEEP = 64;

/** A key for error messages: quoted and cut short, since a bad key may be anything. */
function keyLabel(key: string): string {
  return JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
}

function isRecord(x: unknown): x is Readonly<Record<string, unknown>> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function checkKeep(kind: string, field: 'keepHead' | 'keepTail', n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_KEEP) {
    throw new RangeError(`mask rule ${keyLabel(kind)}: ${field} must be an integer from 0 to ${MAX_KEEP}`);
  }
  return n;
}

/** A checked copy of one rule; RangeError naming the kind and the field (never the value) when it is not a rule. */
function checkRule(kind: string, rule: unknown): MaskRule {
  const what = `mask rule ${keyLabel(kind)}`;
  if (!isRecord(rule)) throw new RangeError(`${what} must be an object: {"keepHead":n,"keepTail":n} or {"style":"full"|"default"}`);
  const fields = Object.keys(rule);
  if ('style' in rule) {
    if (rule.style !== 'full' && rule.style !== 'default') throw new RangeError(`${what}: style must be "full" or "default"`);
    if (fields.length !== 1) throw new RangeError(`${what}: a style rule has no other fields`);
    return { style: rule.style };
  }
  const extra = fields.find((f) => f !== 'keepHead' && f !== 'keepTail');
  if (extra !== undefined) throw new RangeError(`${what}: unknown field ${keyLabel(extra)}`);
  return { keepHead: checkKeep(kind, 'keepHead', rule.keepHead), keepTail: checkKeep(kind, 'keepTail', rule.keepTail) };
}

/** Checked copies of rules keyed by kind; RangeError naming the first bad key. */
function checkRules(rules: Readonly<Record<string, unknown>>): MaskRules {
  const out: Partial<Record<MaskKind, MaskRule>> = {};
  for (const [kind, rule] of Object.entries(rules)) {
    if (!isMaskKind(kind)) throw new RangeError(`mask rule ${keyLabel(kind)}: not a mask kind (a PII type or "text")`);
    out[kind] = checkRule(kind, rule);
  }
  return out;
}

/** Applies one checked rule. A keep rule counts code points of the normalized value (`+86 138…` → `138…`). */
function applyRule(kind: MaskKind, rule: MaskRule | undefined, value: string): string {
  if (rule === undefined || ('style' in rule && rule.style === 'default')) return maskValue(kind, value);
  if ('style' in rule) return hideAll(value.trim());
  return keepEnds(normalizeValue(kind, value), rule.keepHead, rule.keepTail);
}

/**
 * A masker with rules over the defaults. Rules are checked now: a RangeError names the kind and field of the first
 * bad one (negative, fractional or over 64 code points kept, an unknown kind or style).
 *
 * @example createMasker({ cn_mobile: { keepHead: 3, keepTail: 2 } }).mask('cn_mobile', '13812345678') === '138******78'
 */
export function createMasker(rules: MaskRules = {}): Masker {
  const checked = checkRules(rules);
  return {
    mask(kind, value) {
      if (!isMaskKind(kind)) return maskText(value);
      return applyRule(kind, checked[kind], value);
    },
  };
}

/**
 * Rules from configuration (`CUSTOS_MASKS`): a JSON object, or its text, keyed by kind. Throws a RangeError naming
 * the offending key; the message never repeats a configured value.
 *
 * @example parseMaskRules('{"email":{"style":"full"}}') // { email: { style: 'full' } }
 */
export function parseMaskRules(json: unknown): MaskRules {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json) as unknown;
    } catch {
      throw new RangeError('mask rules are not valid JSON');
    }
  }
  if (!isRecord(value)) throw new RangeError('mask rules must be a JSON object keyed by mask kind');
  return checkRules(value);
}
