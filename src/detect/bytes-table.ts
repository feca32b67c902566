/**
 * The interning table of the event reader (event-line.ts): values kept once by their bytes, so that a value met
 * again costs no allocation and is the same string object (or the same frozen list).
 */

/**
 * Kinds of entry. ID_VALUE and TEXT_VALUE are also the reader's byte classes (a byte of an id is of both), so
 * they are bits; LIST_VALUE (a whole `fields` list) must be none of them.
 */
export const ID_VALUE = 1;
export const TEXT_VALUE = 2;
export const LIST_VALUE = 4;
const NO_LIST: readonly string[] = Object.freeze([]);

/**
 * Values kept once, by their bytes: open addressing on an FNV-1a hash, the bytes of each entry in one arena
 * (compared byte by byte on a hit), its kind (id, text or list) and its string or list. Bounded: past
 * `maxEntries` entries, or when a value's bytes would take the arena past `maxBytes`, new values are still read
 * (and returned) but not kept.
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

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  /** Entries kept and the bytes of their values (the arena's used part). */
  get kept(): { entries: number; bytes: number } {
    return { entries: this.size, bytes: this.used };
  }

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

  /** The entry equal to `bytes[from, to)` of kind `kind` (`h` its FNV-1a hash), or -1. */
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

  /** Keeps `s`, the value of `bytes[from, to)` of kind `kind` (id or text) that `find` did not find; its entry into `lastEntry`. */
  keepString(bytes: Uint8Array, from: number, to: number, h: number, kind: number, s: string): string {
    this.lastEntry = this.add(bytes, from, to, h, kind, s, NO_LIST);
    return s;
  }

  list(e: number): readonly string[] {
    return this.lists[e]!;
  }

  /** Keeps `list`, the value of `bytes[from, to)` that `find` did not find; its entry (-1: not kept) into `lastEntry`. */
  keepList(bytes: Uint8Array, from: number, to: number, h: number, list: readonly string[]): void {
    this.lastEntry = this.add(bytes, from, to, h, LIST_VALUE, '', list);
  }

  /** Keeps a new entry; returns it, or -1 when the table is full. */
  private add(bytes: Uint8Array, from: number, to: number, h: number, kind: number, s: string, list: readonly string[]): number {
    const n = to - from;
    if (this.size >= this.maxEntries || this.used + n > this.maxBytes) return -1;
    if (this.used + n > this.arena.length) {
      const bigger = new Uint8Array(Math.min(this.maxBytes, Math.max(this.arena.length * 2, this.used + n)));
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
