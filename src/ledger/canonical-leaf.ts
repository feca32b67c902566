/**
 * A fast, one-pass check that a leaf is a canonical event, for whole-ledger verification. The reference is
 * `eventLeaf(JSON.parse(leaf)) === leaf` (event.ts): parse, rebuild, compare. This scanner reads the leaf once
 * and answers true only where the reference answers true; where it is unsure (an escape in a nested key, nesting
 * deeper than it follows, anything malformed) it answers false and the caller asks the reference. So it can make
 * verification faster, never more lenient: a test holds it to the reference on many valid and malformed leaves.
 *
 * What the reference accepts, written out: a JSON object, no whitespace, members in strictly increasing key
 * order (code units, as `Array.prototype.sort` orders them; so no duplicates), every key one of the event's
 * members and every required member present, every value canonical JSON: strings as `JSON.stringify` writes
 * them, numbers as `JSON.stringify(Number(text))` writes them, `true`/`false`/`null`, arrays and objects
 * (sorted keys) of canonical values.
 *
 * The functions use nothing from outside but their arguments and globals: the verification threads run them
 * from their source text (`canonicalLeafSource`, verify-pool.ts).
 */

/** The event's members in key order, and which are required (see `eventShape`). */
export interface EventShape {
  readonly names: readonly string[];
  readonly required: readonly boolean[];
  readonly requiredCount: number;
}

/** The shape of an event from its members (name → required). */
export function eventShape(members: ReadonlyMap<string, boolean>): EventShape {
  const names = [...members.keys()].sort();
  const required = names.map((n) => members.get(n) === true);
  return { names, required, requiredCount: required.filter((r) => r).length };
}

/** Past the end of the string token at `i` (s[i] is '"') when it is written as JSON.stringify writes it, else -1. */
export function skipString(s: string, i: number): number {
  const n = s.length;
  let j = i + 1;
  let escaped = false;
  for (;;) {
    if (j >= n) return -1;
    const c = s.charCodeAt(j);
    if (c === 34) break;
    if (c === 92) {
      escaped = true;
      j += 2;
    } else if (c < 32) return -1;
    else if (c >= 0xd800 && c <= 0xdfff) {
      // Only a pair is written raw; JSON.stringify escapes a lone surrogate.
      if (c > 0xdbff || j + 1 >= n) return -1;
      const d = s.charCodeAt(j + 1);
      if (d < 0xdc00 || d > 0xdfff) return -1;
      j += 2;
    } else j++;
  }
  if (escaped) {
    // Rare: an escape. Canonical exactly when JSON.stringify writes the value back as it stands.
    const token = s.slice(i, j + 1);
    try {
      if (JSON.stringify(JSON.parse(token)) !== token) return -1;
    } catch {
      return -1;
    }
  }
  return j + 1;
}

/** Past the end of the canonical JSON value at `i`, else -1. */
export function skipValue(s: string, i: number, depth: number): number {
  if (i >= s.length || depth > 64) return -1;
  const c = s.charCodeAt(i);
  if (c === 34) return skipString(s, i);
  if (c === 123 || c === 91) {
    const close = c === 123 ? 125 : 93;
    let j = i + 1;
    if (s.charCodeAt(j) === close) return j + 1;
    // Object keys: strictly increasing; a key with an escape is left to the reference.
    let last: string | undefined;
    for (;;) {
      if (c === 123) {
        if (s.charCodeAt(j) !== 34) return -1;
        const end = skipString(s, j);
        if (end < 0) return -1;
        const key = s.slice(j + 1, end - 1);
        if (key.includes('\\') || (last !== undefined && !(last < key)) || s.charCodeAt(end) !== 58) return -1;
        last = key;
        j = end + 1;
      }
      j = skipValue(s, j, depth + 1);
      if (j < 0) return -1;
      const d = s.charCodeAt(j++);
      if (d === close) return j;
      if (d !== 44) return -1;
    }
  }
  if (s.startsWith('true', i) || s.startsWith('null', i)) return i + 4;
  if (s.startsWith('false', i)) return i + 5;
  // A number: the longest run of number characters, canonical when it is what JSON.stringify writes for it.
  let j = i;
  for (; j < s.length; j++) {
    const d = s.charCodeAt(j);
    if (!((d >= 48 && d <= 57) || d === 45 || d === 43 || d === 46 || d === 101 || d === 69)) break;
  }
  if (j === i) return -1;
  const token = s.slice(i, j);
  return JSON.stringify(Number(token)) === token ? j : -1;
}

/**
 * True only when the leaf is a canonical event (see above). Top-level keys are matched in place against the
 * member names in order, so a key out of order, repeated or unknown finds no name.
 */
export function isCanonicalEventLeaf(leaf: string, shape: EventShape): boolean {
  const s = leaf;
  const { names, required } = shape;
  if (s.charCodeAt(0) !== 123) return false;
  let i = 1;
  let m = 0;
  let have = 0;
  try {
    for (;;) {
      if (s.charCodeAt(i) !== 34) return false;
      while (m < names.length && !(s.startsWith(names[m]!, i + 1) && s.charCodeAt(i + 1 + names[m]!.length) === 34)) m++;
      if (m === names.length) return false;
      if (required[m]) have++;
      i += names[m]!.length + 2;
      m++;
      if (s.charCodeAt(i) !== 58) return false;
      i = skipValue(s, i + 1, 0);
      if (i < 0) return false;
      const d = s.charCodeAt(i++);
      if (d === 125) return i === s.length && have === shape.requiredCount;
      if (d !== 44) return false;
    }
  } catch {
    return false;
  }
}

/** The scanner as source text (defining `skipString`, `skipValue`, `isCanonicalEventLeaf`), for the verification threads. */
export function canonicalLeafSource(): string {
  return [skipString, skipValue, isCanonicalEventLeaf].map((f) => f.toString()).join('\n');
}
