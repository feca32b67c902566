/**
 * A fixed map from (owner, name) to a non-negative integer, for the org index's hot lookups (is this customer
 * assigned to this actor or on their tickets? which of the actor's tickets is this?). Open addressing over one
 * Int32Array of slots [hash, owner, value, start of the name], the names' characters in one Uint16Array arena
 * (length first): a lookup reads one slot (a cache line) per probe and, only when the hash and the owner match,
 * the name's characters once. A `Map` per actor reads its bucket, its entry and then the candidate key string,
 * each somewhere else in the heap, and compares the key before knowing whether the hash matches; on a replay
 * of a million events this was the detector's biggest cost. Names are compared exactly, character by character.
 */
export class PairTable {
  private slots = new Int32Array(4 * 1024).fill(-1);
  private size = 0;
  private arena = new Uint16Array(1 << 14);
  private used = 0;
  /** Names longer than the arena's length prefix allows (never an id of the event contract), kept apart. */
  private readonly long = new Map<string, number>();

  /** Sets the value of (owner, name); `owner` and `value` are non-negative integers below 2^31. */
  set(owner: number, name: string, value: number): void {
    const n = name.length;
    if (n > MAX_NAME) {
      this.long.set(`${owner}\u0000${name}`, value);
      return;
    }
    const h = hashPair(owner, name);
    const s = this.find(owner, name, h);
    if (s >= 0) {
      this.slots[s + 2] = value;
      return;
    }
    if (2 * (this.size + 1) > this.slots.length / 4) this.rehash(this.slots.length * 2);
    if (this.used + n + 1 > this.arena.length) {
      const bigger = new Uint16Array(Math.max(2 * this.arena.length, this.used + n + 1));
      bigger.set(this.arena.subarray(0, this.used));
      this.arena = bigger;
    }
    const start = this.used;
    this.arena[start] = n;
    for (let i = 0; i < n; i++) this.arena[start + 1 + i] = name.charCodeAt(i);
    this.used += n + 1;
    this.place(h, owner, value, start);
    this.size++;
  }

  /** The value of (owner, name), or -1. */
  get(owner: number, name: string): number {
    if (name.length > MAX_NAME) return this.long.get(`${owner}\u0000${name}`) ?? -1;
    const s = this.find(owner, name, hashPair(owner, name));
    return s < 0 ? -1 : this.slots[s + 2]!;
  }

  /** The index in `slots` of (owner, name), or -1. */
  private find(owner: number, name: string, h: number): number {
    const slots = this.slots;
    const mask = slots.length / 4 - 1;
    const n = name.length;
    for (let k = h & mask; ; k = (k + 1) & mask) {
      const s = 4 * k;
      const o = slots[s + 1]!;
      if (o === -1) return -1;
      if (o === owner && slots[s] === h) {
        const a = slots[s + 3]!;
        const arena = this.arena;
        if (arena[a] === n) {
          let i = 0;
          while (i < n && arena[a + 1 + i] === name.charCodeAt(i)) i++;
          if (i === n) return s;
        }
      }
    }
  }

  private place(h: number, owner: number, value: number, start: number): void {
    const slots = this.slots;
    const mask = slots.length / 4 - 1;
    let k = h & mask;
    while (slots[4 * k + 1] !== -1) k = (k + 1) & mask;
    slots[4 * k] = h;
    slots[4 * k + 1] = owner;
    slots[4 * k + 2] = value;
    slots[4 * k + 3] = start;
  }

  private rehash(length: number): void {
    const old = this.slots;
    this.slots = new Int32Array(length).fill(-1);
    for (let s = 0; s < old.length; s += 4) if (old[s + 1] !== -1) this.place(old[s]!, old[s + 1]!, old[s + 2]!, old[s + 3]!);
  }
}

const MAX_NAME = 0xffff;

/** FNV-1a over the name's UTF-16 code units and the owner, with a final mix so that the low bits vary. */
function hashPair(owner: number, name: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ owner, 0x01000193);
  return h ^ (h >>> 16);
}
