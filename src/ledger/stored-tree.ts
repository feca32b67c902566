/**
 * Reading the ledger's stored Merkle tree: hashes of leaf ranges, roots and the tree builder's state come from the
 * stored tiles (O(log n) tile reads), never from a rebuild over the leaves.
 */
import { CustosError } from '../core/errors.js';
import { EMPTY_ROOT, foldSubtrees, HASH_SIZE, perfectSubtrees } from './merkle.js';
import type { LeafRange } from './proofs.js';
import { hashAt, hashFromTile, nodesAtTileLevel, sliceFor, tileId, TILE_WIDTH, type TileKey, type TileSlice } from './tiles.js';
import { TreeBuilder } from './tree-builder.js';
import type { LedgerBackend } from './ledger-backend.js';

/** Hashes of leaf ranges (each aligned as RFC 6962 proofs make them), from the stored tiles: O(log n) tile reads. */
export async function rangeHashes(backend: Pick<LedgerBackend, 'tiles'>, ranges: readonly LeafRange[]): Promise<Buffer[]> {
  const parts = tilesFor(ranges);
  return hashesFrom(parts, await backend.tiles(tileKeys(parts)));
}

/** The tile slices each range's hash is made of. */
export function tilesFor(ranges: readonly LeafRange[]): TileSlice[][] {
  return ranges.map((r) => perfectSubtrees(r.start, r.end).map(sliceFor));
}

/** The tiles to read for those slices, each once. */
export function tileKeys(parts: readonly (readonly TileSlice[])[]): TileKey[] {
  return [...new Map(parts.flat().map((sl) => [tileId(sl), { level: sl.level, index: sl.index }])).values()];
}

/** The ranges' hashes from the tiles read. */
export function hashesFrom(parts: readonly (readonly TileSlice[])[], tiles: ReadonlyMap<string, Buffer>): Buffer[] {
  return parts.map((slices) =>
    foldSubtrees(
      slices.map((sl) => {
        const h = hashFromTile(tiles.get(tileId(sl)), sl);
        if (h === undefined) throw new CustosError('CUSTOS_LEDGER_TREE_MISSING', 500, `The ledger's stored tree lacks tile ${tileId(sl)}; run custos ledger verify.`);
        return h;
      }),
    ),
  );
}

/** The Merkle root of the first `n` entries, from the stored tiles. */
export async function rootAt(backend: Pick<LedgerBackend, 'tiles'>, n: number): Promise<Buffer> {
  return n === 0 ? EMPTY_ROOT : (await rangeHashes(backend, [{ start: 0, end: n }]))[0]!;
}

/** The tree builder of the first `n` entries (its right edge and open tiles), from the stored tiles. */
export async function loadTree(backend: Pick<LedgerBackend, 'tiles'>, n: number): Promise<TreeBuilder> {
  const subtrees = perfectSubtrees(0, n);
  const open: TileKey[] = [];
  for (let level = 0; level === 0 || nodesAtTileLevel(n, level) > 0; level++) open.push({ level, index: Math.floor(nodesAtTileLevel(n, level) / TILE_WIDTH) });
  const frontier = await rangeHashes(backend, subtrees.map((t) => ({ start: t.index * 2 ** t.level, end: (t.index + 1) * 2 ** t.level })));
  const tiles = await backend.tiles(open);
  const openHashes = open.map((k) => {
    const t = tiles.get(tileId(k));
    const out: Buffer[] = [];
    for (let i = 0; t !== undefined && (i + 1) * HASH_SIZE <= t.length; i++) out.push(hashAt(t, i));
    return out;
  });
  return new TreeBuilder(n, subtrees.map((t, i) => ({ level: t.level, hash: frontier[i]! })), openHashes);
}
