import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { indexKeysByParse, quickIndexKeys } from './index-keys.js';
import type { AppendRow } from './ledger-backend.js';
import { TreeBuilder, type TileRow, type TreeSeed } from './tree-builder.js';

/** The layout of the index file (PRAGMA user_version); an index file of another layout is rebuilt. */
export const INDEX_VERSION = 2;

/**
 * The query indexes of the embedded ledger (their own file; see sqlite-backend.ts). Postings hold no time: a time
 * range becomes an index range through the minute buckets, and each leaf is checked exactly anyway.
 */
export const INDEX_SCHEMA = `
  CREATE TABLE IF NOT EXISTS ledger_index_state (k INTEGER PRIMARY KEY CHECK (k = 1), through INTEGER NOT NULL, tip TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS ledger_subjects (subject TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (subject, idx)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS ledger_actors (actor TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (actor, idx)) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS ledger_minutes (minute TEXT PRIMARY KEY, first INTEGER NOT NULL, last INTEGER NOT NULL) WITHOUT ROWID;
`;

/** Rows per multi-row INSERT on the writer thread (fewer statements per batch; 2 parameters a row). */
const ROWS_PER_INSERT = 100;

/**
 * The indexer steps at once when the ledger is this many entries ahead of it; otherwise every idle period. Sorted
 * chunks of postings cost far less per entry than small ones (fewer index pages rewritten per posting), so under a
 * burst of appends it indexes in chunks of about this size (or what a period brings) rather than after every batch;
 * queries scan the part not indexed yet (sqlite-backend.ts), so answers stay complete.
 */
export const INDEX_STEP = 8192;

/** The writer thread takes batches that queued up while it committed into one transaction, up to about this many rows. */
const GROUP_ROWS = 10_000;

/**
 * The writer thread. better-sqlite3 is synchronous, so a commit (and its fsync, where one is due)
 * would otherwise stop every request on the event loop for the length of the fsync. The worker owns the one
 * write connection; the main thread reads through its own (WAL lets readers and the writer proceed together).
 * It also keeps the Merkle tree's right edge (TreeBuilder, run from its source text): the leaf and node hashing
 * of a batch happens here, off the event loop, and its tiles go into the batch's transaction. After any failed
 * batch it forgets the tree and refuses batches until the main thread seeds it again from what is stored.
 *
 * Group commit happens here: the main thread hands over batches as appends arrive, without waiting for the
 * previous commit, and every batch (and checkpoint) that queued up on the port while a transaction committed goes
 * into the next transaction together (receiveMessageOnPort drains the queue). Each batch is answered with the
 * root after its own last leaf, only once the transaction holding it is committed.
 *
 * Plain JavaScript, evaluated, so that it runs the same from the TypeScript sources, from dist/, and under the
 * test runner.
 */
const WRITER_SOURCE = `
const { parentPort, receiveMessageOnPort, workerData } = require('node:worker_threads');
const { hash } = require('node:crypto');
const SQLite = require(workerData.driver);
// esbuild (tsx) names functions through this helper in the class source below; a no-op here.
const __name = (f) => f;
const TreeBuilder = (${TreeBuilder.toString()});
const sha = (b) => hash('sha256', b, 'buffer');
const db = new SQLite(workerData.file);
db.pragma('journal_mode = WAL');
// WAL with synchronous=NORMAL: a commit is in the WAL file (the OS holds it: it survives the process dying) but
// not fsynced; FULL fsyncs the WAL at the commit, which makes every earlier commit durable too.
const BATCH_SYNC = workerData.fsync === 'batch' ? 'FULL' : 'NORMAL';
db.pragma('synchronous = ' + BATCH_SYNC);
db.pragma('busy_timeout = 5000');
const K = ${ROWS_PER_INSERT};
const insertOne = db.prepare('INSERT INTO ledger_entries (idx, leaf) VALUES (?, ?)');
const insertMany = db.prepare('INSERT INTO ledger_entries (idx, leaf) VALUES ' + Array(K).fill('(?, ?)').join(', '));
const upsertTile = db.prepare('INSERT INTO ledger_tiles (level, idx, hashes) VALUES (?, ?, ?) ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes');
const saveCheckpoint = db.prepare('INSERT OR IGNORE INTO ledger_checkpoints (size, time, note) VALUES (?, ?, ?)');
const args = new Array(2 * K);
function insertLeaves(first, leaves) {
  let i = 0;
  for (; i + K <= leaves.length; i += K) {
    for (let j = 0; j < K; j++) { args[2 * j] = first + i + j; args[2 * j + 1] = leaves[i + j]; }
    insertMany.run(args);
  }
  for (; i < leaves.length; i++) insertOne.run(first + i, leaves[i]);
}
// parts: [{ first, leaves } | { checkpoint }], in order; tiles: the tiles they changed.
const insertRun = db.transaction((parts, tiles) => {
  for (const p of parts) {
    if (p.checkpoint !== undefined) saveCheckpoint.run(p.checkpoint.size, p.checkpoint.time, p.checkpoint.note);
    else insertLeaves(p.first, p.leaves);
  }
  for (const t of tiles) upsertTile.run(t.level, t.index, Buffer.from(t.hashes.buffer, t.hashes.byteOffset, t.hashes.byteLength));
});
// A transaction holding a checkpoint is fsynced whatever the mode: a signed checkpoint (handed to witnesses once
// saved) never covers entries that a power loss could take back.
function insertAll(parts, tiles) {
  const fsync = BATCH_SYNC !== 'FULL' && parts.some((p) => p.checkpoint !== undefined);
  if (fsync) db.pragma('synchronous = FULL');
  try { insertRun(parts, tiles); } finally { if (fsync) db.pragma('synchronous = ' + BATCH_SYNC); }
}
const fail = (m, e) => parentPort.postMessage({ id: m.id, ok: false, code: String(e && e.code || 'SQLITE_ERROR'), message: String(e && e.message || e) });
const unseeded = () => Object.assign(new Error('the writer holds no tree at this size (not seeded)'), { code: 'CUSTOS_LEDGER_TREE_STATE' });
function split(m) {
  const leaves = m.leaves;
  if (!Array.isArray(leaves) || leaves.length !== m.count) throw new Error('leaf batch framing');
  return leaves;
}
let tree = null;
// Batches hashed into the thread's tree, and checkpoints: one transaction for the whole run. When it fails and
// holds several, they are committed again one by one from the tree as it was, so that only the batch the storage
// refuses fails (those behind it are refused as unseeded, and handed over again by the main thread).
function commitGroup(group) {
  const before = group.length > 1 && tree !== null ? tree.seed() : null;
  const parts = [];
  let refused = group.length;
  let failure;
  try {
    for (let k = 0; k < group.length; k++) {
      const m = group[k];
      if (m.checkpoint !== undefined) { parts.push({ m, checkpoint: m.checkpoint }); continue; }
      if (tree === null || tree.size !== m.first) { refused = k; break; }
      const leaves = split(m);
      for (let i = 0; i < leaves.length; i++) tree.push(hash('sha256', '\\u0000' + leaves[i], 'buffer'));
      parts.push({ m, first: m.first, leaves, root: tree.root() });
    }
    if (parts.length > 0) insertAll(parts, tree === null ? [] : tree.takeChanged());
  } catch (e) {
    failure = e || new Error('ledger write failed');
  }
  if (failure !== undefined && before !== null) {
    tree = new TreeBuilder(before.size, before.frontier, before.open, true, sha);
    for (const m of group) commitGroup([m]);
    return;
  }
  if (failure !== undefined) {
    tree = null;
    for (let k = 0; k < refused; k++) fail(group[k], failure);
  } else for (const p of parts) parentPort.postMessage({ id: p.m.id, ok: true, root: p.root });
  if (refused < group.length) {
    tree = null;
    for (let k = refused; k < group.length; k++) fail(group[k], unseeded());
  }
}
function handle(m) {
  if (m.close) { db.close(); parentPort.postMessage({ id: m.id, ok: true }); return; }
  if (m.seed) { tree = new TreeBuilder(m.seed.size, m.seed.frontier, m.seed.open, true, sha); parentPort.postMessage({ id: m.id, ok: true }); return; }
  // A batch with its tiles made elsewhere: written as given; the thread's tree no longer matches the disk.
  tree = null;
  try {
    insertAll([{ first: m.first, leaves: split(m) }], m.tiles);
    parentPort.postMessage({ id: m.id, ok: true });
  } catch (e) {
    fail(m, e);
  }
}
const grouped = (m) => m.checkpoint !== undefined || (m.leaves !== undefined && m.tiles === undefined);
parentPort.on('message', (m) => {
  const queued = [m];
  for (let rows = m.count || 0; rows < ${GROUP_ROWS}; ) {
    const r = receiveMessageOnPort(parentPort);
    if (r === undefined) break;
    queued.push(r.message);
    rows += r.message.count || 0;
  }
  for (let i = 0; i < queued.length; ) {
    let j = i;
    while (j < queued.length && grouped(queued[j])) j++;
    if (j > i) commitGroup(queued.slice(i, j));
    else handle(queued[j++]);
    i = j;
  }
});
`;

/**
 * The indexer thread: follows the ledger file and keeps the query indexes in their own file, in chunks sorted by
 * key (sorted inserts cost a fraction of scattered ones). Derived data, so its commits are not fsynced: after a
 * crash it resumes from the last chunk that reached the disk. It stops at the first gap and never indexes past it.
 */
const INDEXER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { hash } = require('node:crypto');
const SQLite = require(workerData.driver);
const led = new SQLite(workerData.ledger, { readonly: true, fileMustExist: true });
led.pragma('busy_timeout = 5000');
const ix = new SQLite(workerData.index);
ix.pragma('journal_mode = WAL');
ix.pragma('synchronous = NORMAL');
ix.pragma('busy_timeout = 5000');
ix.pragma('cache_size = -131072');
ix.exec(workerData.schema);
const CHUNK = workerData.chunk;
// esbuild (tsx) names functions through this helper in the sources below; a no-op here.
const __name = (f) => f;
const quickIndexKeys = ${quickIndexKeys.toString()};
const indexKeysByParse = ${indexKeysByParse.toString()};
const read = led.prepare('SELECT idx, leaf FROM ledger_entries WHERE idx >= ? ORDER BY idx LIMIT ?').raw();
const state = ix.prepare('SELECT through FROM ledger_index_state WHERE k = 1').pluck();
// Postings go in ${ROWS_PER_INSERT} rows a statement (the rest one by one).
const K = ${ROWS_PER_INSERT};
const postings = (table, key) => [
  ix.prepare('INSERT OR IGNORE INTO ' + table + ' (' + key + ', idx) VALUES (?, ?)'),
  ix.prepare('INSERT OR IGNORE INTO ' + table + ' (' + key + ', idx) VALUES ' + Array(K).fill('(?, ?)').join(', ')),
];
const putSubjects = postings('ledger_subjects', 'subject');
const putActors = postings('ledger_actors', 'actor');
const args = new Array(2 * K);
function putAll([one, many], pairs) {
  let i = 0;
  for (; i + K <= pairs.length; i += K) {
    for (let j = 0; j < K; j++) { args[2 * j] = pairs[i + j][0]; args[2 * j + 1] = pairs[i + j][1]; }
    many.run(args);
  }
  for (; i < pairs.length; i++) one.run(pairs[i][0], pairs[i][1]);
}
const putMinute = ix.prepare('INSERT INTO ledger_minutes (minute, first, last) VALUES (?, ?, ?) ON CONFLICT (minute) DO UPDATE SET first = min(first, excluded.first), last = max(last, excluded.last)');
const putState = ix.prepare('INSERT INTO ledger_index_state (k, through, tip) VALUES (1, ?, ?) ON CONFLICT (k) DO UPDATE SET through = excluded.through, tip = excluded.tip');
const byKey = (a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]);
const write = ix.transaction((subjects, actors, minutes, through, tip) => {
  putAll(putSubjects, subjects);
  putAll(putActors, actors);
  for (const [m, r] of minutes) putMinute.run(m, r[0], r[1]);
  putState.run(through, tip);
});
function step() {
  const from = state.get() ?? 0;
  const rows = read.all(from, CHUNK);
  const subjects = [], actors = [], minutes = new Map();
  let n = 0;
  for (const [idx, leaf] of rows) {
    if (idx !== from + n) break;
    // The keys off the text where the leaf is plainly one the ledger writes; parsed otherwise (index-keys.ts).
    const k = quickIndexKeys(leaf) ?? indexKeysByParse(leaf);
    if (k !== undefined) {
      if (k.actor !== undefined) actors.push([k.actor, idx]);
      for (const s of k.subjects) subjects.push([s, idx]);
      const m = k.time.slice(0, 16);
      const b = minutes.get(m);
      if (b === undefined) minutes.set(m, [idx, idx]); else b[1] = idx;
    }
    n++;
  }
  if (n === 0) return 0;
  subjects.sort(byKey);
  actors.sort(byKey);
  write(subjects, actors, minutes, from + n, hash('sha256', '\\u0000' + rows[n - 1][1], 'hex'));
  return n;
}
let timer = null, closing = false, indexed = 0;
function loop() {
  timer = null;
  if (closing) return;
  let n = 0;
  try { n = step(); indexed = state.get() ?? 0; } catch (e) { parentPort.postMessage({ error: String(e && e.message || e) }); }
  if (n === CHUNK) timer = setImmediate(loop); else timer = setTimeout(loop, workerData.idleMs);
}
parentPort.on('message', (m) => {
  if (m.close) { closing = true; if (timer) { clearTimeout(timer); clearImmediate(timer); } led.close(); ix.close(); parentPort.postMessage({ closed: true }); return; }
  // The ledger holds m.size entries: a full step's worth behind, index now; else the idle period's timer does.
  if (m.size - indexed >= ${INDEX_STEP} && timer !== null) { clearTimeout(timer); clearImmediate(timer); timer = setImmediate(loop); }
});
loop();
`;

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly code?: string;
  readonly message?: string;
  /** The Merkle root after a batch whose tree the thread kept. */
  readonly root?: Uint8Array;
}

export interface SqliteWriter {
  /** Resolves once the rows and the given tiles are committed and fsynced; rejects (and writes nothing) otherwise. */
  write(rows: readonly AppendRow[], tiles: readonly TileRow[]): Promise<void>;
  /** Hands the thread the tree as stored, for `writeLeaves`. */
  seed(tree: TreeSeed): Promise<void>;
  /**
   * Leaves `first`, `first + 1`, … hashed into the thread's tree, written with the tiles they change in one
   * fsynced transaction; resolves with the root after them. Rejects (writing nothing) when the thread's tree is
   * not at `first`, or the write fails; the thread then needs a new seed.
   */
  writeLeaves(first: number, leaves: readonly string[]): Promise<Buffer>;
  /** Keeps a checkpoint, in the transaction of the batches that reach the thread with it (or its own). */
  saveCheckpoint(size: number, note: string, time: string): Promise<void>;
  close(): Promise<void>;
}

const driverPath = (): string => createRequire(import.meta.url).resolve('better-sqlite3');

/** Starts the writer thread for a ledger file whose tables already exist. */
export function startSqliteWriter(file: string, fsync: 'checkpoint' | 'batch' = 'batch'): SqliteWriter {
  const worker = new Worker(WRITER_SOURCE, { eval: true, workerData: { file, driver: driverPath(), fsync } });
  worker.unref();
  const waiting = new Map<number, { ok: (r: Reply) => void; fail: (e: Error) => void }>();
  let next = 0;
  let dead: Error | undefined;

  const failAll = (e: Error): void => {
    dead = e;
    for (const w of waiting.values()) w.fail(e);
    waiting.clear();
  };
  worker.on('message', (r: Reply) => {
    const w = waiting.get(r.id);
    if (w === undefined) return;
    waiting.delete(r.id);
    if (r.ok) w.ok(r);
    else w.fail(Object.assign(new Error(`ledger write failed: ${r.message ?? 'unknown'}`), { code: r.code }));
  });
  worker.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
  worker.on('exit', () => failAll(dead ?? new Error('ledger writer stopped')));

  function send(msg: {
    first?: number;
    count?: number;
    leaves?: readonly string[];
    tiles?: readonly TileRow[];
    seed?: TreeSeed;
    checkpoint?: { size: number; note: string; time: string };
    close?: true;
  }): Promise<Reply> {
    if (dead !== undefined) return Promise.reject(dead);
    const id = next++;
    return new Promise<Reply>((ok, fail) => {
      waiting.set(id, { ok, fail });
      worker.ref();
      worker.postMessage({ id, ...msg });
    }).finally(() => {
      if (waiting.size === 0) worker.unref();
    });
  }

  // The leaves as an array: cloning the strings costs the main thread a fraction of joining them into one (the
  // leaves are built piecewise, so a join copies every piece) and the thread then splitting it.
  const frame = (first: number, leaves: readonly string[]): { first: number; count: number; leaves: readonly string[] } => ({ first, count: leaves.length, leaves });

  return {
    write: async (rows, tiles) => {
      if (rows.length > 0) await send({ ...frame(rows[0]!.idx, rows.map((r) => r.leaf)), tiles });
    },
    seed: async (tree) => {
      await send({ seed: tree });
    },
    writeLeaves: async (first, leaves) => {
      const { root } = await send(frame(first, leaves));
      if (root === undefined) throw new Error('ledger write failed: no root from the writer');
      return Buffer.from(root.buffer, root.byteOffset, root.byteLength);
    },
    saveCheckpoint: async (size, note, time) => {
      await send({ checkpoint: { size, note, time } });
    },
    close: async () => {
      if (dead === undefined) {
        await send({ close: true }).catch(() => undefined);
        dead = new Error('ledger writer closed');
        await worker.terminate();
      }
    },
  };
}

export interface SqliteIndexer {
  /** Entries up to `size` are durable: index them soon (at once when they make a full step). */
  poke(size: number): void;
  close(): Promise<void>;
}

/** Starts the indexer thread (`chunk` entries per step). */
export function startSqliteIndexer(ledger: string, index: string, chunk = 100_000, idleMs = 100): SqliteIndexer {
  const worker = new Worker(INDEXER_SOURCE, { eval: true, workerData: { ledger, index, driver: driverPath(), schema: INDEX_SCHEMA, chunk, idleMs } });
  // The indexer never keeps the process alive: what it has not done, it does on the next start.
  worker.unref();
  let closed = false;
  return {
    poke: (size) => {
      if (!closed) worker.postMessage({ size });
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        const done = (): void => resolve();
        worker.once('message', done);
        worker.once('exit', done);
        worker.postMessage({ close: true });
        setTimeout(done, 5000).unref();
      });
      await worker.terminate();
    },
  };
}
