/**
 * The interning table of the event reader (event-line.ts): values kept once by their bytes, so that a value met
 * again costs no allocation and is the same string object (or the same frozen list).
 */

/** Kinds of entry besides the reader's byte classes (1: id, 2: text). */
export const LIST_VALUE = 4;
const NO_LIST: readonly string[] = Object.freeze([]);

/**
 * Values kept once, by their bytes: open addressing on an FNV-1a hash, the bytes of each entry in one arena
 * (compared byte by byte on a hit), its kind (id, text or list) and its string or list. Bounded: past `max`
 * entries, new values are still read (and returned) but not kept.
 */
export class BytesTable {
  private slots = new Int32Array(1024).fill(-1);
  /** Per entry: hash, kind, start in the arena, length (one cache line for the probe). */
  private meta = new Int32Array(4 * 1024);
  private size = 0;
  private strings: string[] = [];
  private lists: (readonly string[])[] = [];
  private arena = new Uint8Array(1 << 16);
  private used = 0;

  /** The entry of the value `intern` last returned (-1: a new value the table had no room to keep). */
  lastEntry = -1;

  constructor(private readonly max: number) {}

  /**
   * Whether entry `e` (of kind `kind`) has exactly the bytes at `bytes[from, …)` followed by `stop` (a quote,
   * or `]` for a list) before `end`: the index of that byte, else -1. On a match, `lastEntry` is `e`.
   */
  matchAt(e: number, bytes: Uint8Array, from: number, end: number, kind: number, stop: number): number {
    const m = e * 4;
    const meta = this.meta;
    const n = meta[m + 3]!;
    if (meta[m + 1] !== kind || from + n >= end || bytes[from + n] !== stop) return -1;
    const a = meta[m + 2]!;
    const arena = this.arena;
    for (let k = 0; k < n; k++) if (arena[a + k] !== bytes[from + k]) return -1;
    this.lastEntry = e;
    return from + n;
  }

  stringOf(e: number): string {
    return this.strings[e]!;
  }

  /** The entry equal to `bytes[from, to)` of kind `kind`, or -1. */
  find(bytes: Uint8Array, from: number, to: number, h: number, kind: number): number {
    const mask = this.slots.length - 1;
    const n = to - from;
    const meta = this.meta;
    for (let s = (h ^ kind) & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]!;
      if (e < 0) return -1;
      const m = e * 4;
      if (meta[m] === h && meta[m + 1] === kind && meta[m + 3] === n) {
        const a = meta[m + 2]!;
        let k = 0;
        while (k < n && this.arena[a + k] === bytes[from + k]) k++;
        if (k === n) return e;
      }
    }
  }

  /** The kept string equal to `bytes[from, to)` (of kind `kind`: id or text), keeping it when new. */
  intern(bytes: Uint8Array, text: string, from: number, to: number, h: number, kind: number, given: string | undefined, base: number): string {
    const e = this.find(bytes, from, to, h, kind);
    this.lastEntry = e;
    if (e >= 0) return this.strings[e]!;
    const s = given ?? detach(text.slice(from - base, to - base));
    this.lastEntry = this.add(bytes, from, to, h, kind, s, NO_LIST);
    return s;
  }

  list(e: number): readonly string[] {
    return this.lists[e]!;
  }

  keepList(bytes: Uint8Array, from: number, to: number, h: number, list: readonly string[]): readonly string[] {
    this.lastEntry = this.add(bytes, from, to, h, LIST_VALUE, '', list);
    return list;
  }

  /** Keeps a new entry; returns it, or -1 when the table is full. */
  private add(bytes: Uint8Array, from: number, to: number, h: number, kind: number, s: string, list: readonly string[]): number {
    if (this.size >= this.max) return -1;
    const n = to - from;
    if (this.used + n > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.used + n));
      bigger.set(this.arena.subarray(0, this.used));
      this.arena = bigger;
    }
    this.arena.set(bytes.subarray(from, to), this.used);
    const e = this.size++;
    if (4 * this.size > this.meta.length) {
      const bigger = new Int32Array(this.meta.length * 2);
      bigger.set(this.meta);
      this.meta = bigger;
    }
    this.meta.set([h, kind, this.used, n], 4 * e);
    this.strings.push(s);
    this.lists.push(list);
    this.used += n;
    if (this.size * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(e);
    return e;
  }

  private place(e: number): void {
    const mask = this.slots.length - 1;
    let s = (this.meta[4 * e]! ^ this.meta[4 * e + 1]!) & mask;
    while (this.slots[s]! >= 0) s = (s + 1) & mask;
    this.slots[s] = e;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size).fill(-1);
    for (let e = 0; e < this.size; e++) this.place(e);
  }
}

/**
 * A copy of a substring that does not keep its (large) parent chunk alive: V8 makes substrings of 13 characters
 * or more as views of their parent; flattening a short concatenation makes a string of its own.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
