/**
 * A fixed map from (owner, name) to a non-negative integer, for the org index's hot lookups (is this customer
 * assigned to this actor or on their tickets? which of the actor's tickets is this?). Pairs are added, then the
 * table is sealed: each owner gets its own region of open-addressing slots in one Int32Array, so the many
 * lookups of one event (a page of 30 customers) stay in a few kilobytes of cache. A `Map` per actor reads its
 * bucket, its entry and then the candidate key string, each somewhere else in the heap; on a replay of a
 * million events that was the detector's biggest cost.
 *
 * A slot holds the name itself, not a hash of it: a name of 1–12 characters each in U+0001–U+007F (every id the
 * simulator and the ledger write) is packed into three 28-bit words, 7 bits a character, zero-padded, which is
 * exact (two such names are equal exactly when their words are), and a slot is [word 0, word 1, word 2, value]:
 * one probe reads 16 bytes and nothing else. Before, a slot held a hash and where the name's characters lay in a
 * separate arena, and every hit read the arena too: a second cache miss per lookup. Any other name (longer,
 * with U+0000 or a character past U+007F) is kept in a `Map` beside the table, by owner and name.
 */
export class PairTable {
  private owners: number[] = [];
  private names: string[] = [];
  private values: number[] = [];
  /** Per owner: start of its region in `slots` (in slots) and its size (a power of two; 0: none). */
  private regionStart = new Int32Array(0);
  private regionSize = new Int32Array(0);
  private slots = new Int32Array(0);
  /** Names that do not pack into a slot's words, by owner and name. */
  private readonly others = new Map<string, number>();
  /** The words of the last name `pack` packed. */
  private w0 = 0;
  private w1 = 0;
  private w2 = 0;

  /** Adds (owner, name) with its value (a later add of the same pair wins); `owner` and `value` non-negative integers (value < 2^31). */
  add(owner: number, name: string, value: number): void {
    if (!this.pack(name)) {
      this.others.set(otherKey(owner, name), value);
      return;
    }
    this.owners.push(owner);
    this.names.push(name);
    this.values.push(value);
  }

  /** Builds the lookup regions from the pairs added; `get` answers only what was added before. */
  seal(): void {
    const count = this.owners.length;
    let owners = 0;
    for (const o of this.owners) owners = Math.max(owners, o + 1);
    const per = new Int32Array(owners);
    for (const o of this.owners) per[o]!++;
    this.regionStart = new Int32Array(owners);
    this.regionSize = new Int32Array(owners);
    let total = 0;
    for (let o = 0; o < owners; o++) {
      if (per[o] === 0) continue;
      let size = 8;
      while (size < 2 * per[o]!) size *= 2;
      this.regionStart[o] = total;
      this.regionSize[o] = size;
      total += size;
    }
    this.slots = new Int32Array(SLOT * total);
    for (let s = 0; s < total; s++) this.slots[SLOT * s + 3] = EMPTY;
    for (let i = 0; i < count; i++) {
      const owner = this.owners[i]!;
      this.pack(this.names[i]!);
      const s = this.find(owner);
      if (s >= 0) {
        this.slots[s + 3] = this.values[i]!;
        continue;
      }
      const mask = this.regionSize[owner]! - 1;
      const base = this.regionStart[owner]!;
      let k = this.hash() & mask;
      while (this.slots[SLOT * (base + k) + 3] !== EMPTY) k = (k + 1) & mask;
      const at = SLOT * (base + k);
      this.slots[at] = this.w0;
      this.slots[at + 1] = this.w1;
      this.slots[at + 2] = this.w2;
      this.slots[at + 3] = this.values[i]!;
    }
    this.owners = [];
    this.names = [];
    this.values = [];
  }

  /** The value of (owner, name), or -1. */
  get(owner: number, name: string): number {
    if (!this.pack(name)) return this.others.get(otherKey(owner, name)) ?? -1;
    const s = this.find(owner);
    return s < 0 ? -1 : this.slots[s + 3]!;
  }

  /**
   * Packs `name` into `w0`–`w2` (7 bits a character, four characters a word, zero-padded); false when it does
   * not pack (empty, longer than 12, or a character outside U+0001–U+007F).
   */
  private pack(name: string): boolean {
    const n = name.length;
    if (n === 0 || n > 12) return false;
    let w0 = 0;
    let w1 = 0;
    let w2 = 0;
    for (let i = 0; i < n; i++) {
      const c = name.charCodeAt(i);
      if (c === 0 || c > 127) return false;
      const shifted = c << (7 * (i & 3));
      if (i < 4) w0 |= shifted;
      else if (i < 8) w1 |= shifted;
      else w2 |= shifted;
    }
    this.w0 = w0;
    this.w1 = w1;
    this.w2 = w2;
    return true;
  }

  /** A hash of the packed words, its low bits well mixed. */
  private hash(): number {
    let h = Math.imul(this.w0, 0x9e3779b1) ^ Math.imul(this.w1, 0x85ebca77) ^ Math.imul(this.w2, 0xc2b2ae3d);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    return h ^ (h >>> 13);
  }

  /** The index in `slots` of (owner, the packed name), or -1. */
  private find(owner: number): number {
    if (!(owner >= 0 && owner < this.regionSize.length)) return -1;
    const size = this.regionSize[owner]!;
    if (size === 0) return -1;
    const mask = size - 1;
    const base = this.regionStart[owner]!;
    const slots = this.slots;
    const w0 = this.w0;
    const w1 = this.w1;
    const w2 = this.w2;
    for (let k = this.hash() & mask; ; k = (k + 1) & mask) {
      const s = SLOT * (base + k);
      if (slots[s] === w0 && slots[s + 1] === w1 && slots[s + 2] === w2 && slots[s + 3] !== EMPTY) return s;
      if (slots[s + 3] === EMPTY) return -1;
    }
  }
}

/** Int32s per slot: the name's three words, the value (EMPTY: a free slot). */
const SLOT = 4;
const EMPTY = -1;

const otherKey = (owner: number, name: string): string => `${owner}\u0000${name}`;
