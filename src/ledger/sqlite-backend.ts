import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { leafHash } from './merkle.js';
import { leafMatches, leafMayMatch, oldLayout, queryNeedle, type LedgerBackend, type StoredEntry } from './ledger-backend.js';
import { INDEX_SCHEMA, INDEX_VERSION, startSqliteIndexer, startSqliteWriter } from './sqlite-writer.js';
import { tileId } from './tiles.js';
import type { EventQuery } from './ledger-types.js';

/** Entries read per step when scanning. */
const PAGE = 2000;

/** The query indexes' file beside the ledger file: derived data, rebuilt from the ledger when missing or stale. */
export function indexFileFor(file: string): string {
  return `${file.replace(/\.db$/, '')}.index.db`;
}

/** How the indexer thread steps (startSqliteIndexer's defaults when left out); tests hold a tail unindexed with a long idle period. */
export interface IndexerOptions {
  readonly chunk?: number;
  readonly idleMs?: number;
}

/**
 * The embedded ledger. The ledger file holds only what is proved: the entries (index, leaf) and the Merkle
 * tiles, written together by a writer thread in one fsynced transaction per batch. The query indexes (by
 * subject, by actor, by minute of event time) live in a second file, kept by an indexer thread that follows
 * the ledger in large sorted chunks, off the append path. Queries read the indexed part through the indexes
 * and scan the not-yet-indexed tail, so answers are always complete.
 */
export function sqliteBackend(file: string, fsync: 'checkpoint' | 'batch' = 'batch', indexer: IndexerOptions = {}): LedgerBackend {
  mkdirSync(dirname(file), { recursive: true });
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  // This connection creates the tables and reads; the writer thread commits (its durability: sqlite-writer.ts).
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.exec(`
    CREATE TABLE IF NOT EXISTS ledger_entries (idx INTEGER PRIMARY KEY, leaf TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS ledger_tiles (level INTEGER NOT NULL, idx INTEGER NOT NULL, hashes BLOB NOT NULL, PRIMARY KEY (level, idx)) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ledger_checkpoints (size INTEGER PRIMARY KEY, time TEXT NOT NULL, note TEXT NOT NULL);
  `);
  const columns = (db.pragma('table_info(ledger_entries)') as { name: string }[]).map((c) => c.name);
  if (columns.includes('chain')) {
    db.close();
    throw oldLayout();
  }
  const ix = openIndex(indexFileFor(file), db);

  const tileStmt = db.prepare('SELECT hashes FROM ledger_tiles WHERE level = ? AND idx = ?');
  const tileRangeStmt = db.prepare('SELECT idx, hashes FROM ledger_tiles WHERE level = ? AND idx >= ? AND idx < ?');
  const lastCp = db.prepare('SELECT size, note FROM ledger_checkpoints ORDER BY size DESC LIMIT 1');
  const sizeStmt = db.prepare('SELECT idx FROM ledger_entries ORDER BY idx DESC LIMIT 1').pluck();
  const rangeStmt = db.prepare('SELECT idx, leaf FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx');
  const scanStmt = db.prepare('SELECT idx, leaf FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx LIMIT ?');
  const leafStmt = db.prepare('SELECT leaf FROM ledger_entries WHERE idx = ?').pluck();
  const leavesStmt = db.prepare('SELECT leaf FROM ledger_entries WHERE idx >= ? AND idx < ? ORDER BY idx').pluck();
  const lastInStmt = db.prepare('SELECT MAX(idx) FROM ledger_entries WHERE idx >= ? AND idx < ?').pluck();
  const throughStmt = ix.prepare('SELECT through FROM ledger_index_state WHERE k = 1').pluck();
  const subjectStmt = ix.prepare('SELECT idx FROM ledger_subjects WHERE subject = ? AND idx >= ? AND idx < ? ORDER BY idx LIMIT ?').pluck();
  const actorStmt = ix.prepare('SELECT idx FROM ledger_actors WHERE actor = ? AND idx >= ? AND idx < ? ORDER BY idx LIMIT ?').pluck();
  const minuteStmt = ix.prepare('SELECT MIN(first) AS lo, MAX(last) AS hi FROM ledger_minutes WHERE minute >= ? AND minute <= ?');

  const writer = startSqliteWriter(file, fsync);
  const indexing = startSqliteIndexer(file, indexFileFor(file), indexer.chunk, indexer.idleMs);
  const through = (): number => (throughStmt.get() as number | undefined) ?? 0;

  /** Scans entries in [from, to) in order, keeping those that match, until `out` holds `limit`. */
  function scan(q: EventQuery, from: number, to: number, limit: number, out: StoredEntry[]): void {
    const needle = queryNeedle(q);
    for (let at = from; at < to && out.length < limit; ) {
      const rows = scanStmt.all(at, to, PAGE) as StoredEntry[];
      for (const r of rows) if (out.length < limit && leafMayMatch(r.leaf, needle) && leafMatches(r.leaf, q)) out.push(r);
      if (rows.length < PAGE) break;
      at = rows[rows.length - 1]!.idx + 1;
    }
  }

  return {
    size: () => Promise.resolve(((sizeStmt.get() as number | undefined) ?? -1) + 1),
    appendBatch: async (rows, tiles) => {
      await writer.write(rows, tiles);
      if (rows.length > 0) indexing.poke(rows[rows.length - 1]!.idx + 1);
    },
    ownTree: {
      seedTree: (tree) => writer.seed(tree),
      appendLeaves: async (first, leaves) => {
        const root = await writer.writeLeaves(first, leaves);
        indexing.poke(first + leaves.length);
        return root;
      },
    },
    tiles: (keys) => {
      const out = new Map<string, Buffer>();
      for (const k of keys) {
        const r = tileStmt.get(k.level, k.index) as { hashes: Buffer } | undefined;
        if (r !== undefined) out.set(tileId(k), r.hashes);
      }
      return Promise.resolve(out);
    },
    tileRange: (level, from, to) => {
      const out = new Map<number, Buffer>();
      for (const r of tileRangeStmt.all(level, from, to) as { idx: number; hashes: Buffer }[]) out.set(r.idx, r.hashes);
      return Promise.resolve(out);
    },
    // Through the writer thread (a write on this connection would fsync on the event loop and wait for the writer's lock).
    saveCheckpoint: (size, note, time) => writer.saveCheckpoint(size, note, time),
    lastCheckpoint: () => Promise.resolve(lastCp.get() as { size: number; note: string } | undefined),
    query: (q, limit) => {
      const out: StoredEntry[] = [];
      // Read the watermark once: postings below it come from the indexes, everything at or above it is scanned.
      const w = through();
      const lo = q.from ?? '';
      const hi = q.to ?? '\uffff';
      // A time range is an index range: the minute buckets hold the first and last index of each minute.
      let from = 0;
      let to = w;
      if (q.from !== undefined || q.to !== undefined) {
        const b = minuteStmt.get(lo.slice(0, 16), hi.slice(0, 16)) as { lo: number | null; hi: number | null };
        if (b.lo === null || b.hi === null) to = 0;
        else {
          from = b.lo;
          to = Math.min(b.hi + 1, w);
        }
      }
      if (q.subject !== undefined || q.actor !== undefined) {
        const [stmt, key] = q.subject !== undefined ? [subjectStmt, q.subject] : [actorStmt, q.actor!];
        for (let after = from; out.length < limit && after < to; ) {
          const ids = stmt.all(key, after, to, PAGE) as number[];
          for (const id of ids) {
            const leaf = leafStmt.get(id) as string | undefined;
            if (leaf !== undefined && out.length < limit && leafMatches(leaf, q)) out.push({ idx: id, leaf });
          }
          if (ids.length < PAGE) break;
          after = ids[ids.length - 1]! + 1;
        }
      } else {
        scan(q, from, to, limit, out);
      }
      if (out.length < limit) scan(q, w, Number.MAX_SAFE_INTEGER, limit, out);
      return Promise.resolve(out);
    },
    range: (from, count) => Promise.resolve(rangeStmt.all(from, from + count) as StoredEntry[]),
    leaves: (from, count) => {
      // n distinct indexes in [from, from + count) are contiguous from `from` exactly when the largest is from + n - 1.
      const leaves = leavesStmt.all(from, from + count) as string[];
      const last = lastInStmt.get(from, from + count) as number | null;
      return Promise.resolve(leaves.length === 0 || last === from + leaves.length - 1 ? leaves : undefined);
    },
    indexLag: () => Promise.resolve(Math.max(0, ((sizeStmt.get() as number | undefined) ?? -1) + 1 - through())),
    close: async () => {
      await indexing.close();
      await writer.close();
      ix.close();
      db.close();
    },
  };
}

/**
 * Opens (creating) the index file and checks it belongs to this ledger: the index records the leaf hash of the
 * last entry it covers, and if the ledger does not hold that entry (a restored or replaced ledger file) the
 * index is dropped and rebuilt from the start.
 */
function openIndex(path: string, ledger: SQLite.Database): SQLite.Database {
  const remove = (): void => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  };
  const open = (): SQLite.Database => {
    let ix = new SQLite(path);
    const version = ix.pragma('user_version', { simple: true }) as number;
    const empty = (ix.prepare("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").pluck().get() as number) === 0;
    if (version !== INDEX_VERSION && !empty) {
      // Another layout (an earlier version): derived data, so it is rebuilt.
      ix.close();
      remove();
      ix = new SQLite(path);
    }
    ix.pragma('journal_mode = WAL');
    ix.pragma('busy_timeout = 5000');
    ix.exec(INDEX_SCHEMA);
    ix.pragma(`user_version = ${INDEX_VERSION}`);
    return ix;
  };
  let ix: SQLite.Database;
  try {
    ix = open();
  } catch {
    // A damaged index is only derived data: start it again.
    remove();
    ix = open();
  }
  const state = ix.prepare('SELECT through, tip FROM ledger_index_state WHERE k = 1').get() as { through: number; tip: string } | undefined;
  if (state !== undefined && state.through > 0) {
    const leaf = ledger.prepare('SELECT leaf FROM ledger_entries WHERE idx = ?').pluck().get(state.through - 1) as string | undefined;
    if (leaf === undefined || leafHash(leaf).toString('hex') !== state.tip) {
      ix.exec('DELETE FROM ledger_subjects; DELETE FROM ledger_actors; DELETE FROM ledger_minutes; DELETE FROM ledger_index_state;');
    }
  }
  return ix;
}
