import { sha256 } from './merkle.js';

/** A tile as written: its key and its bytes (concatenated hashes). */
export interface TileRow {
  readonly level: number;
  readonly index: number;
  readonly hashes: Buffer;
}

/** What a TreeBuilder is made from: the constructor's arguments (and what `seed()` returns). */
export interface TreeSeed {
  readonly size: number;
  /** Hashes of `perfectSubtrees(0, size)`, left to right. */
  readonly frontier: readonly { readonly level: number; readonly hash: Uint8Array }[];
  /** For each tile level, the hashes already in its rightmost (partial) tile. */
  readonly open: readonly (readonly Uint8Array[])[];
}

interface OpenTile {
  readonly level: number;
  readonly index: number;
  readonly hashes: Uint8Array[];
  dirty: boolean;
}

/**
 * The right edge of the tree in memory: the frontier (hashes of the complete subtrees of the binary
 * decomposition of the size, kept by tree level) and the rightmost tile of each tile level. Pushing a leaf hash
 * updates both with O(1) amortised hashing; `takeChanged()` returns the tiles to write in the same
 * transaction as the entries.
 *
 * Self-contained on purpose: it uses nothing outside the class but its constructor's arguments (SHA-256 is
 * passed in), because the SQLite writer thread runs this same class from its source text (sqlite-writer.ts).
 * Tiles are TILE_HEIGHT = 4 tree levels high, written out here (a test holds it to tiles.ts).
 */
export class TreeBuilder {
  private sizeNow: number;
  /** frontier[k]: the complete subtree at tree level k of the size's binary decomposition, if bit k of the size is set. */
  private readonly frontier: (Uint8Array | undefined)[] = [];
  private readonly open: OpenTile[] = [];
  private changed: OpenTile[] = [];
  private readonly scratch = new Uint8Array(65).fill(1);

  /**
   * @param size leaves already in the tree
   * @param frontier hashes of `perfectSubtrees(0, size)`, left to right
   * @param openTiles for each tile level, the hashes already in its rightmost (partial) tile
   * @param keepTiles false when only the root is wanted (verification)
   * @param sha SHA-256 of a byte string
   */
  constructor(
    size = 0,
    frontier: TreeSeed['frontier'] = [],
    openTiles: TreeSeed['open'] = [],
    private readonly keepTiles = true,
    private readonly sha: (data: Uint8Array) => Uint8Array = sha256,
  ) {
    this.sizeNow = size;
    for (const f of frontier) this.frontier[f.level] = f.hash;
    for (let level = 0; level === 0 || Math.floor(size / 16 ** level) > 0; level++) {
      const n = Math.floor(size / 16 ** level);
      this.open.push({ level, index: Math.floor(n / 16), hashes: (openTiles[level] ?? []).slice(0, n % 16), dirty: false });
    }
  }

  get size(): number {
    return this.sizeNow;
  }

  /** Appends one leaf hash. */
  push(leaf: Uint8Array): void {
    if (this.keepTiles) this.addToTile(0, leaf);
    let carry = leaf;
    let level = 0;
    for (let n = this.sizeNow; n % 2 === 1; n = (n - 1) / 2) {
      carry = this.node(this.frontier[level]!, carry);
      this.frontier[level] = undefined;
      level++;
      if (this.keepTiles && level % 4 === 0) this.addToTile(level / 4, carry);
    }
    this.frontier[level] = carry;
    this.sizeNow++;
  }

  /** The Merkle tree hash of the current tree (SHA-256 of nothing when empty). */
  root(): Buffer {
    let acc: Uint8Array | undefined;
    for (const f of this.frontier) if (f !== undefined) acc = acc === undefined ? f : this.node(f, acc);
    const r = acc ?? this.sha(new Uint8Array(0));
    return Buffer.from(r.buffer, r.byteOffset, r.byteLength);
  }

  /** The tiles changed since the last call, with their full current contents. */
  takeChanged(): TileRow[] {
    const out = this.changed.map((t) => {
      t.dirty = false;
      return { level: t.level, index: t.index, hashes: Buffer.concat(t.hashes) };
    });
    this.changed = [];
    return out;
  }

  /** What this tree is made from again (to hand it to another thread). */
  seed(): TreeSeed {
    const frontier: { level: number; hash: Uint8Array }[] = [];
    for (let level = this.frontier.length - 1; level >= 0; level--) {
      const hash = this.frontier[level];
      if (hash !== undefined) frontier.push({ level, hash });
    }
    return { size: this.sizeNow, frontier, open: this.open.map((t) => t.hashes.slice()) };
  }

  /** SHA-256(0x01 ‖ left ‖ right). */
  private node(left: Uint8Array, right: Uint8Array): Uint8Array {
    this.scratch.set(left, 1);
    this.scratch.set(right, 33);
    return this.sha(this.scratch);
  }

  private addToTile(level: number, hash: Uint8Array): void {
    let tile = this.open[level];
    if (tile === undefined || tile.hashes.length === 16) {
      tile = { level, index: tile === undefined ? 0 : tile.index + 1, hashes: [], dirty: false };
      this.open[level] = tile;
    }
    tile.hashes.push(hash);
    if (!tile.dirty) {
      tile.dirty = true;
      this.changed.push(tile);
    }
  }
}
