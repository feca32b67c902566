import { describe, expect, it } from 'vitest';
import { HASH_SIZE, leafHash, perfectSubtrees, rootOf } from './merkle.js';
import { hashAt, nodesAtTileLevel, TILE_HEIGHT, TILE_WIDTH } from './tiles.js';
import { TreeBuilder, type TileRow } from './tree-builder.js';

const leaves = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => leafHash(`leaf ${i}`));

/** Every stored tile, as the writes of `takeChanged()` leave them (later writes replace earlier ones). */
function store(tiles: Map<string, Buffer>, rows: readonly TileRow[]): void {
  for (const t of rows) tiles.set(`${t.level}/${t.index}`, t.hashes);
}

describe('TreeBuilder (the right edge of the tree, and its tiles)', () => {
  it('writes out the tile height of tiles.ts (it is self-contained, so it cannot import it)', () => {
    expect(TILE_HEIGHT).toBe(4);
    expect(TILE_WIDTH).toBe(16);
  });

  it('gives the RFC 6962 root at every size, and tiles holding exactly the tree-level 4·L nodes', () => {
    const hs = leaves(600);
    const tree = new TreeBuilder();
    const tiles = new Map<string, Buffer>();
    expect(tree.root()).toEqual(rootOf([]));
    for (let n = 1; n <= hs.length; n++) {
      tree.push(hs[n - 1]!);
      if (n % 7 === 0 || n === hs.length) store(tiles, tree.takeChanged());
      expect(tree.root().equals(rootOf(hs.slice(0, n)))).toBe(true);
    }
    for (let level = 0; nodesAtTileLevel(hs.length, level) > 0; level++) {
      const span = TILE_WIDTH ** level;
      for (let i = 0; i < nodesAtTileLevel(hs.length, level); i++) {
        const tile = tiles.get(`${level}/${Math.floor(i / TILE_WIDTH)}`)!;
        expect(hashAt(tile, i % TILE_WIDTH).equals(rootOf(hs.slice(i * span, (i + 1) * span)))).toBe(true);
      }
      const last = tiles.get(`${level}/${Math.floor((nodesAtTileLevel(hs.length, level) - 1) / TILE_WIDTH)}`)!;
      expect(last.length / HASH_SIZE).toBe(nodesAtTileLevel(hs.length, level) % TILE_WIDTH || TILE_WIDTH);
    }
  });

  it('goes on from a seed exactly as the tree it was taken from, also across a structured clone (another thread)', () => {
    const hs = leaves(300);
    for (const cut of [0, 1, 15, 16, 17, 255, 256, 257, 299]) {
      const a = new TreeBuilder();
      for (const h of hs.slice(0, cut)) a.push(h);
      a.takeChanged();
      const seed = structuredClone(a.seed());
      expect(seed.frontier.map((f) => f.level)).toEqual(perfectSubtrees(0, cut).map((s) => s.level));
      const b = new TreeBuilder(seed.size, seed.frontier, seed.open);
      for (const h of hs.slice(cut)) {
        a.push(h);
        b.push(h);
      }
      expect(b.root().equals(a.root())).toBe(true);
      expect(b.takeChanged().map((t) => [t.level, t.index, t.hashes.toString('hex')])).toEqual(a.takeChanged().map((t) => [t.level, t.index, t.hashes.toString('hex')]));
    }
  });
});
