/**
 * A fast, one-pass check that a leaf is a canonical event, for whole-ledger verification. The reference is
 * `eventLeaf(JSON.parse(leaf)) === leaf` (event.ts): parse, rebuild, compare. This scanner reads the leaf once
 * and answers true only where the reference answers true; where it is unsure (an escape in a key, nesting deeper
 * than it follows, anything malformed) it answers false and the caller asks the reference. So it can make
 * verification faster, never more lenient: a test holds it to the reference on many valid and malformed leaves.
 *
 * What the reference accepts, written out: a JSON object, no whitespace, members in strictly increasing key
 * order (code units, as `Array.prototype.sort` orders them; so no duplicates), every key one of the event's
 * members and every required member present, every value canonical JSON: strings as `JSON.stringify` writes
 * them, numbers as `JSON.stringify(Number(text))` writes them, `true`/`false`/`null`, arrays and objects
 * (sorted keys) of canonical values.
 *
 * Self-contained (nothing from outside but its arguments and globals): the verification threads run it from its
 * source text (verify-pool.ts).
 *
 * @param members each member of the event format, true where it is required
 */
export function isCanonicalEventLeaf(leaf: string, members: ReadonlyMap<string, boolean>, required: number): boolean {
  const s = leaf;
  const n = s.length;
  let i = 0;
  /** Past the end of the string token at i (s[i] is '"'), or -1. Writes the token's value to `text` when it has no escape. */
  let text: string | undefined;
  const string = (): boolean => {
    const start = i + 1;
    let j = start;
    let escaped = false;
    for (;;) {
      if (j >= n) return false;
      const c = s.charCodeAt(j);
      if (c === 34) break;
      if (c < 32) return false;
      if (c === 92) {
        escaped = true;
        j += 2;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        // Only a pair is written raw; JSON.stringify escapes a lone surrogate.
        if (c > 0xdbff || j + 1 >= n) return false;
        const d = s.charCodeAt(j + 1);
        if (d < 0xdc00 || d > 0xdfff) return false;
        j += 2;
        continue;
      }
      j++;
    }
    if (!escaped) text = s.slice(start, j);
    else {
      // Rare: an escape. Canonical exactly when JSON.stringify writes the value back as it stands.
      text = undefined;
      const token = s.slice(i, j + 1);
      let value: unknown;
      try {
        value = JSON.parse(token);
      } catch {
        return false;
      }
      if (JSON.stringify(value) !== token) return false;
    }
    i = j + 1;
    return true;
  };
  const value = (depth: number): boolean => {
    if (i >= n || depth > 64) return false;
    const c = s.charCodeAt(i);
    if (c === 34) return string();
    if (c === 123) return object(depth);
    if (c === 91) {
      i++;
      if (s.charCodeAt(i) === 93) {
        i++;
        return true;
      }
      for (;;) {
        if (!value(depth + 1)) return false;
        const d = s.charCodeAt(i++);
        if (d === 93) return true;
        if (d !== 44) return false;
      }
    }
    if (s.startsWith('true', i)) {
      i += 4;
      return true;
    }
    if (s.startsWith('false', i)) {
      i += 5;
      return true;
    }
    if (s.startsWith('null', i)) {
      i += 4;
      return true;
    }
    // A number: the longest run of number characters, canonical when it is what JSON.stringify writes for it.
    let j = i;
    for (; j < n; j++) {
      const d = s.charCodeAt(j);
      if (!((d >= 48 && d <= 57) || d === 45 || d === 43 || d === 46 || d === 101 || d === 69)) break;
    }
    if (j === i) return false;
    const token = s.slice(i, j);
    if (JSON.stringify(Number(token)) !== token) return false;
    i = j;
    return true;
  };
  // Keys: plain strings only (an escaped key is left to the reference), strictly increasing.
  const object = (depth: number): boolean => {
    i++;
    if (s.charCodeAt(i) === 125) {
      i++;
      return true;
    }
    let last: string | undefined;
    for (;;) {
      if (s.charCodeAt(i) !== 34 || !string() || text === undefined) return false;
      const key = text;
      if (last !== undefined && !(last < key)) return false;
      last = key;
      if (s.charCodeAt(i++) !== 58 || !value(depth + 1)) return false;
      const d = s.charCodeAt(i++);
      if (d === 125) return true;
      if (d !== 44) return false;
    }
  };
  try {
    if (s.charCodeAt(0) !== 123) return false;
    i = 1;
    let last: string | undefined;
    let have = 0;
    for (;;) {
      if (s.charCodeAt(i) !== 34 || !string() || text === undefined) return false;
      const key = text;
      const req = members.get(key);
      if (req === undefined || (last !== undefined && !(last < key))) return false;
      last = key;
      if (req) have++;
      if (s.charCodeAt(i++) !== 58 || !value(0)) return false;
      const d = s.charCodeAt(i++);
      if (d === 125) return i === n && have === required;
      if (d !== 44) return false;
    }
  } catch {
    return false;
  }
}
