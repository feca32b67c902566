/**
 * The keys the embedded ledger's indexer files an entry under: its actor, its subjects (each once) and its event
 * time (whose first 16 characters name its minute bucket). Both functions are self-contained: the indexer thread
 * runs them from their source text (sqlite-writer.ts).
 */
export interface IndexKeys {
  readonly actor: string | undefined;
  readonly subjects: readonly string[];
  /** '' when the leaf has no string time. */
  readonly time: string;
}

/**
 * The reference: parse the leaf. Undefined when it is not JSON or not an object (nothing is filed).
 */
export function indexKeysByParse(leaf: string): IndexKeys | undefined {
  let e: unknown;
  try {
    e = JSON.parse(leaf);
  } catch {
    return undefined;
  }
  if (e === null || typeof e !== 'object') return undefined;
  const o = e as { actor?: unknown; subjects?: unknown; time?: unknown };
  const subjects: string[] = [];
  if (Array.isArray(o.subjects)) for (const s of new Set(o.subjects as unknown[])) if (typeof s === 'string') subjects.push(s);
  return { actor: typeof o.actor === 'string' ? o.actor : undefined, subjects, time: typeof o.time === 'string' ? o.time : '' };
}

/**
 * The same keys read straight off the text, for the leaves the ledger writes (a flat object of ids): no
 * backslash anywhere (so every key and string is literal), no object inside, and `"actor"`, `"subjects"` and
 * `"time"` each once, followed by a plain string (actor, time) or an array of plain strings (subjects). In such
 * a leaf, when it is JSON, those three are the members themselves and their values are what `JSON.parse` gives,
 * so the answer is the reference's. Undefined otherwise (the caller parses). On text that is not JSON at all (a
 * damaged leaf) it may answer where the reference files nothing: that only adds candidates, which every query
 * checks against the parsed leaf anyway.
 */
export function quickIndexKeys(leaf: string): IndexKeys | undefined {
  if (leaf.charCodeAt(0) !== 123 || leaf.indexOf('{', 1) !== -1 || leaf.indexOf('\\') !== -1) return undefined;
  /** Where the value of the member named `key` starts, when the key is there exactly once (else -1). */
  const member = (key: string): number => {
    const at = leaf.indexOf(key);
    if (at < 0 || leaf.indexOf(key, at + 1) !== -1 || leaf.charCodeAt(at + key.length) !== 58) return -1;
    return at + key.length + 1;
  };
  /** The plain string starting at `at` (a quote), or undefined. */
  let end = 0;
  const string = (at: number): string | undefined => {
    if (leaf.charCodeAt(at) !== 34) return undefined;
    const close = leaf.indexOf('"', at + 1);
    if (close < 0) return undefined;
    end = close + 1;
    return leaf.slice(at + 1, close);
  };
  const a = member('"actor"');
  const t = member('"time"');
  const s = member('"subjects"');
  if (a < 0 || t < 0 || s < 0 || leaf.charCodeAt(s) !== 91) return undefined;
  const actor = string(a);
  const time = string(t);
  if (actor === undefined || time === undefined) return undefined;
  const subjects: string[] = [];
  let at = s + 1;
  if (leaf.charCodeAt(at) === 93) return { actor, subjects, time };
  for (;;) {
    const x = string(at);
    if (x === undefined) return undefined;
    subjects.push(x);
    const c = leaf.charCodeAt(end);
    if (c === 93) return { actor, subjects: subjects.length < 2 ? subjects : [...new Set(subjects)], time };
    if (c !== 44) return undefined;
    at = end + 1;
  }
}
