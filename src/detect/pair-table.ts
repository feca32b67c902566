/**
 * A fixed map from (owner, name) to a non-negative integer, for the org index's hot lookups (is this customer
 * assigned to this actor or on their tickets? which of the actor's tickets is this?). Pairs are added, then the
 * table is sealed: each owner gets its own region of open-addressing slots [hash, value, start of the name] in
 * one Int32Array, the names' characters sit in one Uint16Array arena (length first). A lookup reads one slot per
 * probe and, only when the hash matches, the name's characters once; an owner's slots are contiguous, so the
 * many lookups of one event (a page of 30 customers) stay in a few kilobytes of cache. A `Map` per actor reads
 * its bucket, its entry and then the candidate key string, each somewhere else in the heap; on a replay of a
 * million events that was the detector's biggest cost. Names are compared exactly, character by character.
 */
export class PairTable {
  private owners: number[] = [];
  private names: string[] = [];
  private values: number[] = [];
  /** Per owner: start of its region in `slots` (in slots) and its size (a power of two; 0: none). */
  private regionStart = new Int32Array(0);
  private regionSize = new Int32Array(0);
  private slots = new Int32Array(0);
  private arena = new Uint16Array(0);
  /** Names longer than the arena's length prefix allows (never an id of the event contract), kept apart. */
  private readonly long = new Map<string, number>();

  /** Adds (owner, name) with its value (a later add of the same pair wins); `owner` and `value` non-negative integers. */
  add(owner: number, name: string, value: number): void {
    if (name.length > MAX_NAME) {
      this.long.set(`${owner}\u0000${name}`, value);
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
    for (let s = 0; s < total; s++) this.slots[SLOT * s + 2] = -1;
    let chars = 0;
    for (const n of this.names) chars += n.length + 1;
    this.arena = new Uint16Array(chars);
    let used = 0;
    for (let i = 0; i < count; i++) {
      const owner = this.owners[i]!;
      const name = this.names[i]!;
      const h = hashName(name);
      const s = this.find(owner, name, h);
      if (s >= 0) {
        this.slots[s + 1] = this.values[i]!;
        continue;
      }
      const mask = this.regionSize[owner]! - 1;
      const base = this.regionStart[owner]!;
      let k = h & mask;
      while (this.slots[SLOT * (base + k) + 2] !== -1) k = (k + 1) & mask;
      const at = SLOT * (base + k);
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

  /** The value of (owner, name), or -1. */
  get(owner: number, name: string): number {
    if (name.length > MAX_NAME) return this.long.get(`${owner}\u0000${name}`) ?? -1;
    const s = this.find(owner, name, hashName(name));
    return s < 0 ? -1 : this.slots[s + 1]!;
  }

  /** The index in `slots` of (owner, name), or -1. */
  private find(owner: number, name: string, h: number): number {
    if (!(owner >= 0 && owner < this.regionSize.length)) return -1;
    const size = this.regionSize[owner]!;
    if (size === 0) return -1;
    const mask = size - 1;
    const base = this.regionStart[owner]!;
    const slots = this.slots;
    const n = name.length;
    for (let k = h & mask; ; k = (k + 1) & mask) {
      const s = SLOT * (base + k);
      const a = slots[s + 2]!;
      if (a === -1) return -1;
      if (slots[s] === h) {
        const arena = this.arena;
        if (arena[a] === n) {
          let i = 0;
          while (i < n && arena[a + 1 + i] === name.charCodeAt(i)) i++;
          if (i === n) return s;
        }
      }
    }
  }
}

/** Int32s per slot: hash, value, start of the name in the arena (-1: empty). */
const SLOT = 3;
const MAX_NAME = 0xffff;

/** FNV-1a over the name's UTF-16 code units, with a final mix so that the low bits vary. */
function hashName(name: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 16);
}
