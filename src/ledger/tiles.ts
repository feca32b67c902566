import { HASH_SIZE, perfectRoot, type Subtree } from './merkle.js';

/**
 * Tiles: how the tree is stored. A tile at tile level L and index t holds, concatenated, the hashes of
 * tree-level `TILE_HEIGHT·L` nodes `[t·TILE_WIDTH, t·TILE_WIDTH + w)` (w ≤ TILE_WIDTH; the rightmost tile of a
 * level is partial and rewritten as it grows). Tile level 0 holds the leaf hashes. Any complete subtree hash
 * is computed from one tile, so a proof reads one tile per TILE_HEIGHT tree levels: O(log n) reads.
 */
export const TILE_HEIGHT = 4;
export const TILE_WIDTH = 2 ** TILE_HEIGHT;

export interface TileKey {
  readonly level: number;
  readonly index: number;
}

/** Where a complete subtree's hash comes from: a run of `count` hashes at `offset` in one tile. */
export interface TileSlice extends TileKey {
  readonly offset: number;
  readonly count: number;
}

export const tileId = (k: TileKey): string => `${k.level}/${k.index}`;

/** The tile slice a complete subtree hash is computed from. */
export function sliceFor(s: Subtree): TileSlice {
  const level = Math.floor(s.level / TILE_HEIGHT);
  const count = 2 ** (s.level - level * TILE_HEIGHT);
  const first = s.index * count;
  return { level, index: Math.floor(first / TILE_WIDTH), offset: first % TILE_WIDTH, count };
}

/** The i-th hash in a tile's bytes. */
export function hashAt(tile: Buffer, i: number): Buffer {
  return tile.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE);
}

/** The hash of a complete subtree from its tile, or undefined if the tile does not hold it (missing or short). */
export function hashFromTile(tile: Buffer | undefined, slice: TileSlice): Buffer | undefined {
  if (tile === undefined || tile.length < (slice.offset + slice.count) * HASH_SIZE) return undefined;
  const run: Buffer[] = [];
  for (let i = 0; i < slice.count; i++) run.push(hashAt(tile, slice.offset + i));
  return perfectRoot(run);
}

/** Number of tree-level `TILE_HEIGHT·L` nodes that are complete in a tree of `size` leaves. */
export function nodesAtTileLevel(size: number, level: number): number {
  return Math.floor(size / TILE_WIDTH ** level);
}
