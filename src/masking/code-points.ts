/** Code-point helpers: masks count characters as code points so a Chinese name is never cut inside a surrogate pair. */

/** The character every mask hides with. */
export const MASK_CHAR = '*';

/**
 * Keeps `head` code points at the start and `tail` at the end and hides the rest, one `*` per hidden code point.
 * When the kept parts would cover the whole value, everything is hidden (a mask never shows the whole value).
 */
export function keepEnds(value: string, head: number, tail: number): string {
  if (!hasSurrogates(value)) {
    // One code unit per code point (every ID, card and phone number): cut the string itself.
    const n = value.length;
    if (n <= head + tail) return MASK_CHAR.repeat(n);
    return value.slice(0, head) + MASK_CHAR.repeat(n - head - tail) + value.slice(n - tail);
  }
  const chars = [...value];
  if (chars.length <= head + tail) return MASK_CHAR.repeat(chars.length);
  return chars.slice(0, head).join('') + MASK_CHAR.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

/** Every code point hidden: the mask for odd input that no type-specific mask can place. */
export function hideAll(value: string): string {
  return MASK_CHAR.repeat(codePointCount(value));
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** True when `value` holds a surrogate (a code point outside the BMP, or a lone half): code units are not code points then. */
export function hasSurrogates(value: string): boolean {
  return SURROGATE.test(value);
}

/** The number of code points of `value` (a lone surrogate counts as one, as `[...value]` does). */
export function codePointCount(value: string): number {
  return hasSurrogates(value) ? [...value].length : value.length;
}
