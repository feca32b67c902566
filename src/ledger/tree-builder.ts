import { foldSubtrees, nodeHash } from './merkle.js';
import { nodesAtTileLevel, TILE_HEIGHT, TILE_WIDTH, tileId, type TileKey } from './tiles.js';

/** A tile as written: its key and its bytes (concatenated hashes). */
export interface TileRow extends TileKey {
  readonly hashes: Buffer;
}

interface OpenTile {
  index: number;
  hashes: Buffer[];
}

/**
 * The right edge of the tree in memory: the frontier (hashes of the complete subtrees of the binary
 * decomposition of the size, left to right) and the rightmost tile of each tile level. Pushing a leaf hash
 * updates both with O(1) amortised hashing; `takeChanged()` returns the tiles to write in the same
 * transaction as the entries.
 */
export class TreeBuilder {
  private sizeNow: number;
  private readonly frontier: { level: number; hash: Buffer }[];
  private readonly open: OpenTile[];
  private readonly changed = new Map<string, OpenTile & { level: number }>();

  /**
   * @param size leaves already in the tree
   * @param frontier hashes of `perfectSubtrees(0, size)`, left to right
   * @param openTiles for each tile level, the hashes already in its rightmost (partial) tile
   */
  constructor(
    size = 0,
    frontier: readonly { level: number; hash: Buffer }[] = [],
    openTiles: readonly Buffer[][] = [],
    private readonly keepTiles = true,
  ) {
    this.sizeNow = size;
    this.frontier = frontier.map((f) => ({ ...f }));
    this.open = [];
    for (let level = 0; nodesAtTileLevel(size, level) > 0 || level === 0; level++) {
      const n = nodesAtTileLevel(size, level);
      this.open.push({ index: Math.floor(n / TILE_WIDTH), hashes: (openTiles[level] ?? []).slice(0, n % TILE_WIDTH) });
    }
  }

  get size(): number {
    return this.sizeNow;
  }

  /** Appends one leaf hash. */
  push(leaf: Buffer): void {
    if (this.keepTiles) this.addToTile(0, leaf);
    this.frontier.push({ level: 0, hash: leaf });
    for (;;) {
      const n = this.frontier.length;
      const right = this.frontier[n - 1]!;
      const left = this.frontier[n - 2];
      if (left === undefined || left.level !== right.level) break;
      const merged = { level: left.level + 1, hash: nodeHash(left.hash, right.hash) };
      this.frontier.splice(n - 2, 2, merged);
      if (this.keepTiles && merged.level % TILE_HEIGHT === 0) this.addToTile(merged.level / TILE_HEIGHT, merged.hash);
    }
    this.sizeNow++;
  }

  /** The Merkle tree hash of the current tree. */
  root(): Buffer {
    return foldSubtrees(this.frontier.map((f) => f.hash));
  }

  /** The tiles changed since the last call, with their full current contents. */
  takeChanged(): TileRow[] {
    const out = [...this.changed.values()].map((t) => ({ level: t.level, index: t.index, hashes: Buffer.concat(t.hashes) }));
    this.changed.clear();
    return out;
  }

  private addToTile(level: number, hash: Buffer): void {
    let tile = this.open[level];
    if (tile === undefined) {
      tile = { index: 0, hashes: [] };
      this.open[level] = tile;
    }
    if (tile.hashes.length === TILE_WIDTH) {
      tile = { index: tile.index + 1, hashes: [] };
      this.open[level] = tile;
    }
    tile.hashes.push(hash);
    this.changed.set(tileId({ level, index: tile.index }), { level, index: tile.index, hashes: tile.hashes });
  }
}
