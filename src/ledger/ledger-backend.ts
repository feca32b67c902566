import { CustosError } from '../core/errors.js';
import type { TileKey } from './tiles.js';
import type { TileRow, TreeSeed } from './tree-builder.js';
import type { EventQuery, LedgerStorage } from './ledger-types.js';

/** One entry to append: its position and leaf, and the keys it is found by (taken from the event). */
export interface AppendRow {
  readonly idx: number;
  readonly leaf: string;
  readonly actor: string;
  readonly time: string;
  readonly subjects: readonly string[];
}

/** One entry as stored: its position and its leaf (the event's canonical bytes). */
export interface StoredEntry {
  readonly idx: number;
  readonly leaf: string;
}

/** The storage behind a ledger: one durable transaction per batch, ordered reads. */
export interface LedgerBackend {
  /** One past the largest stored index (the size, when the entries are contiguous). */
  size(): Promise<number>;
  /** Entries and the Merkle tiles they changed, in one durable transaction. */
  appendBatch(rows: readonly AppendRow[], tiles: readonly TileRow[]): Promise<void>;
  /**
   * Present where the store keeps the tree's right edge itself, hashing off the event loop (SQLite's writer
   * thread). `seedTree` hands it the tree as stored; `appendLeaves` then hashes entries `first`, … into it and
   * writes them with the tiles they change in one durable transaction, resolving with the root after them. After
   * a rejection the store needs a new seed (it refuses batches until then).
   */
  readonly ownTree?: {
    seedTree(tree: TreeSeed): Promise<void>;
    appendLeaves(first: number, leaves: readonly string[]): Promise<Buffer>;
  };
  /**
   * Optional: the leaf at `index` (undefined when absent) and the tiles by key, as `range` and `tiles` give them,
   * in one read (for a store behind a network round trip: an inclusion proof's reads).
   */
  proofReads?(index: number, keys: readonly TileKey[]): Promise<{ leaf: string | undefined; tiles: Map<string, Buffer> }>;
  /** Stored tiles by key (missing ones are absent from the map), keyed `level/index`. */
  tiles(keys: readonly TileKey[]): Promise<Map<string, Buffer>>;
  /** Stored tiles of one level with index in [from, to), by index. */
  tileRange(level: number, from: number, to: number): Promise<Map<number, Buffer>>;
  /** Keeps a signed checkpoint. */
  saveCheckpoint(size: number, note: string, time: string): Promise<void>;
  /** The checkpoint with the largest size, if any. */
  lastCheckpoint(): Promise<{ size: number; note: string } | undefined>;
  /** Entries matching the query, in index order, at most `limit`. */
  query(q: EventQuery, limit: number): Promise<StoredEntry[]>;
  /** Entries with idx in [from, from + count), in order. */
  range(from: number, count: number): Promise<StoredEntry[]>;
  /**
   * Optional, for whole-ledger reads: the leaves with idx in [from, from + count), in order, when those present are
   * contiguous from `from` (else undefined: the caller reads `range` to find the gap). Cheaper than `range`.
   */
  leaves?(from: number, count: number): Promise<string[] | undefined>;
  /**
   * Optional: brings the store's own upkeep up to date now and resolves when done (PostgreSQL: the planner
   * statistics and visibility map of the ledger's tables, otherwise kept in the background as entries are appended).
   */
  maintain?(): Promise<void>;
  /** How many entries the query indexes do not cover yet (0 where they are kept in the append transaction). */
  indexLag(): Promise<number>;
  close(): Promise<void>;
}

/** Whether a parsed leaf answers the query (used where an index does not decide alone). */
export function leafMatches(leaf: string, q: EventQuery): boolean {
  let e: { actor?: unknown; time?: unknown; subjects?: unknown };
  try {
    e = JSON.parse(leaf) as typeof e;
  } catch {
    return false;
  }
  if (q.actor !== undefined && e.actor !== q.actor) return false;
  if (q.subject !== undefined && !(Array.isArray(e.subjects) && e.subjects.includes(q.subject))) return false;
  const time = typeof e.time === 'string' ? e.time : '';
  if (q.from !== undefined && time < q.from) return false;
  if (q.to !== undefined && time > q.to) return false;
  return true;
}

/**
 * What a leaf must contain to match a subject or actor query, for a scan to skip the leaves that cannot before
 * parsing them: the value between quotes (undefined for other queries: nothing is skipped).
 */
export function queryNeedle(q: EventQuery): string | undefined {
  const value = q.subject ?? q.actor;
  return value === undefined ? undefined : `"${value}"`;
}

/**
 * Whether `leafMatches` could be true, cheaply: a leaf without a backslash holds every string exactly as its
 * value, so if it holds the query's subject or actor as a string, it holds the needle.
 */
export function leafMayMatch(leaf: string, needle: string | undefined): boolean {
  return needle === undefined || leaf.includes(needle) || leaf.includes('\\');
}

/** The ledger was written by an earlier, incompatible layout of this build. */
export function oldLayout(): CustosError {
  return new CustosError(
    'CUSTOS_LEDGER_OLD_LAYOUT',
    500,
    'The ledger store was written by an older pre-release layout (with a chain column). Export what you need with that build, then start a new ledger.',
  );
}

export async function openBackend(storage: LedgerStorage): Promise<LedgerBackend> {
  if (storage.kind === 'sqlite') {
    const { sqliteBackend } = await import('./sqlite-backend.js');
    return sqliteBackend(storage.file, storage.fsync ?? 'batch');
  }
  const { postgresBackend } = await import('./postgres-backend.js');
  return postgresBackend(storage.url, storage.schema);
}
