/** Code-point helpers: masks count characters as code points so a Chinese name is never cut inside a surrogate pair. */

/** The character every mask hides with. */
export const MASK_CHAR = '*';

/**
 * Keeps `head` code points at the start and `tail` at the end and hides the rest, one `*` per hidden code point.
 * When the kept parts would cover the whole value, everything is hidden (a mask never shows the whole value).
 */
export function keepEnds(value: string, head: number, tail: number): string {
  const chars = [...value];
  if (chars.length <= head + tail) return MASK_CHAR.repeat(chars.length);
  return chars.slice(0, head).join('') + MASK_CHAR.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
}

/** Every code point hidden: the mask for odd input that no type-specific mask can place. */
export function hideAll(value: string): string {
  return MASK_CHAR.repeat([...value].length);
}
