/**
 * A fixed map from (owner, name) to a non-negative integer, for the org index's hot lookups (is this customer
 * assigned to this actor or on their tickets? which of the actor's tickets is this?). Pairs are added, then the
 * table is sealed: each owner gets its own region of open-addressing slots in one Int32Array, so the many
 * lookups of one event (a page of 30 customers) stay in a few kilobytes of cache. A `Map` per actor reads its
 * bucket, its entry and then the candidate key string, each somewhere else in the heap; on a replay of a
 * million events that was the detector's biggest cost.
 *
 * Two kinds of slot, never compared by hash alone:
 * - A name of 1–12 characters each in U+0001–U+007F (the simulator's ids, and short ids of the ledger) is packed
 *   into three 28-bit words, 7 bits a character, zero-padded, which is exact (two such names are equal exactly
 *   when their words are); its slot is [word 0, word 1, word 2, value]: one probe reads 16 bytes and nothing else.
 * - Any other name of up to 65,535 characters (longer ids: the event contract allows 128 characters, so UUIDs,
 *   14-digit customer keys, outside ticket ids; the empty name; characters past U+007F) sits in a second table
 *   of per-owner regions, slots [hash, value, start of the name], its characters in one Uint16Array arena,
 *   compared character by character on a hash match. No lookup allocates.
 * A name past 65,535 characters (never an id of the contract) is kept in a `Map` by owner and name.
 */
export class PairTable {
  private owners: number[] = [];
  private names: string[] = [];
  private values: number[] = [];
  private regions = NO_REGIONS;
  private slots = new Int32Array(0);
  /** Names that do not pack into a slot's words. */
  private readonly others = new HashedPairs();
  /** The words of the last name `pack` packed. */
  private w0 = 0;
  private w1 = 0;
  private w2 = 0;

  /** Adds (owner, name) with its value (a later add of the same pair wins); `owner` and `value` non-negative integers (value < 2^31). */
  add(owner: number, name: string, value: number): void {
    if (!this.pack(name)) {
      this.others.add(owner, name, value);
      return;
    }
    this.owners.push(owner);
    this.names.push(name);
    this.values.push(value);
  }

  /** Builds the lookup regions from the pairs added; `get` answers only what was added before. */
  seal(): void {
    this.others.seal();
    this.regions = regionsOf(this.owners);
    this.slots = new Int32Array(PACKED_SLOT * this.regions.total);
    for (let s = 0; s < this.regions.total; s++) this.slots[PACKED_SLOT * s + 3] = EMPTY;
    for (let i = 0; i < this.owners.length; i++) {
      const owner = this.owners[i]!;
      this.pack(this.names[i]!);
      const s = this.find(owner);
      if (s >= 0) {
        this.slots[s + 3] = this.values[i]!;
        continue;
      }
      const mask = this.regions.size[owner]! - 1;
      const base = this.regions.start[owner]!;
      let k = this.hash() & mask;
      while (this.slots[PACKED_SLOT * (base + k) + 3] !== EMPTY) k = (k + 1) & mask;
      const at = PACKED_SLOT * (base + k);
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
    if (!this.pack(name)) return this.others.get(owner, name);
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
    const size = this.regions.sizeOf(owner);
    if (size === 0) return -1;
    const mask = size - 1;
    const base = this.regions.start[owner]!;
    const slots = this.slots;
    const w0 = this.w0;
    const w1 = this.w1;
    const w2 = this.w2;
    for (let k = this.hash() & mask; ; k = (k + 1) & mask) {
      const s = PACKED_SLOT * (base + k);
      if (slots[s] === w0 && slots[s + 1] === w1 && slots[s + 2] === w2 && slots[s + 3] !== EMPTY) return s;
      if (slots[s + 3] === EMPTY) return -1;
    }
  }
}

/**
 * The names that do not pack: per-owner regions of slots [hash, value, start of the name in the arena (EMPTY: a
 * free slot)], the names' characters in one Uint16Array arena (length first), compared exactly on a hash match.
 */
class HashedPairs {
  private owners: number[] = [];
  private names: string[] = [];
  private values: number[] = [];
  private regions = NO_REGIONS;
  private slots = new Int32Array(0);
  private arena = new Uint16Array(0);
  /** Names longer than the arena's length prefix allows (never an id of the event contract), kept apart. */
  private readonly long = new Map<string, number>();

  add(owner: number, name: string, value: number): void {
    if (name.length > MAX_HASHED_NAME) {
      this.long.set(longKey(owner, name), value);
      return;
    }
    this.owners.push(owner);
    this.names.push(name);
    this.values.push(value);
  }

  seal(): void {
    this.regions = regionsOf(this.owners);
    this.slots = new Int32Array(HASHED_SLOT * this.regions.total);
    for (let s = 0; s < this.regions.total; s++) this.slots[HASHED_SLOT * s + 2] = EMPTY;
    let chars = 0;
    for (const n of this.names) chars += n.length + 1;
    this.arena = new Uint16Array(chars);
    let used = 0;
    for (let i = 0; i < this.owners.length; i++) {
      const owner = this.owners[i]!;
      const name = this.names[i]!;
      const h = hashName(name);
      const s = this.find(owner, name, h);
      if (s >= 0) {
        this.slots[s + 1] = this.values[i]!;
        continue;
      }
      const mask = this.regions.size[owner]! - 1;
      const base = this.regions.start[owner]!;
      let k = h & mask;
      while (this.slots[HASHED_SLOT * (base + k) + 2] !== EMPTY) k = (k + 1) & mask;
      const at = HASHED_SLOT * (base + k);
      this.slots[at] = h;
      this.slots[at + 1] = this.values[i]!;
      this.slots[at + 2] = used;
      this.arena[used] = name.length;
      for (let c = 0; c < name.length; c++) this.arena[used + 1 + c] = name.charCodeAt(c);
      used += name.length + 1;
    }
    this.owners = [];
    this.names = [];
    this.values = [];
  }

  get(owner: number, name: string): number {
    if (name.length > MAX_HASHED_NAME) return this.long.get(longKey(owner, name)) ?? -1;
    const s = this.find(owner, name, hashName(name));
    return s < 0 ? -1 : this.slots[s + 1]!;
  }

  /** The index in `slots` of (owner, name), or -1. */
  private find(owner: number, name: string, h: number): number {
    const size = this.regions.sizeOf(owner);
    if (size === 0) return -1;
    const mask = size - 1;
    const base = this.regions.start[owner]!;
    const slots = this.slots;
    const arena = this.arena;
    const n = name.length;
    for (let k = h & mask; ; k = (k + 1) & mask) {
      const s = HASHED_SLOT * (base + k);
      const a = slots[s + 2]!;
      if (a === EMPTY) return -1;
      if (slots[s] === h && arena[a] === n) {
        let i = 0;
        while (i < n && arena[a + 1 + i] === name.charCodeAt(i)) i++;
        if (i === n) return s;
      }
    }
  }
}

/** Per owner: the start of its region (in slots) and its size (a power of two, at least twice its pairs; 0: none). */
class Regions {
  constructor(
    readonly start: Int32Array,
    readonly size: Int32Array,
    readonly total: number,
  ) {}

  /** The size of `owner`'s region; 0 for an owner with no pairs, or not a valid index. */
  sizeOf(owner: number): number {
    return owner >= 0 && owner < this.size.length ? this.size[owner]! : 0;
  }
}

const NO_REGIONS = new Regions(new Int32Array(0), new Int32Array(0), 0);

function regionsOf(pairOwners: readonly number[]): Regions {
  let owners = 0;
  for (const o of pairOwners) owners = Math.max(owners, o + 1);
  const per = new Int32Array(owners);
  for (const o of pairOwners) per[o]!++;
  const start = new Int32Array(owners);
  const size = new Int32Array(owners);
  let total = 0;
  for (let o = 0; o < owners; o++) {
    if (per[o] === 0) continue;
    let n = 8;
    while (n < 2 * per[o]!) n *= 2;
    start[o] = total;
    size[o] = n;
    total += n;
  }
  return new Regions(start, size, total);
}

/** Int32s per packed slot: the name's three words, the value (EMPTY: a free slot). */
const PACKED_SLOT = 4;
/** Int32s per hashed slot: hash, value, start of the name in the arena (EMPTY: a free slot). */
const HASHED_SLOT = 3;
const EMPTY = -1;
const MAX_HASHED_NAME = 0xffff;

/** FNV-1a over the name's UTF-16 code units, with a final mix so that the low bits vary. */
function hashName(name: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 16);
}

const longKey = (owner: number, name: string): string => `${owner}\u0000${name}`;
