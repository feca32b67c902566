import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { StoredRow } from './ledger-backend.js';
import type { TileRow } from './tree-builder.js';

/**
 * The SQLite ledger's writer, on its own thread. better-sqlite3 is synchronous, so a durable commit
 * (synchronous=FULL: the WAL is fsynced) would otherwise stop every request on the event loop for the length
 * of the fsync. The worker owns one write connection; the main thread keeps reading through its own (WAL
 * lets readers and the writer proceed together). Plain JavaScript, evaluated, so that it runs the same
 * from the TypeScript sources, from dist/, and under the test runner.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');
const insertEntry = db.prepare('INSERT INTO ledger_entries (idx, event_id, time, actor, leaf, chain) VALUES (?, ?, ?, ?, ?, ?)');
const insertSubject = db.prepare('INSERT OR IGNORE INTO ledger_subjects (subject, idx) VALUES (?, ?)');
const upsertTile = db.prepare('INSERT INTO ledger_tiles (level, idx, hashes) VALUES (?, ?, ?) ON CONFLICT (level, idx) DO UPDATE SET hashes = excluded.hashes');
const insertAll = db.transaction((rows, tiles) => {
  for (const r of rows) {
    insertEntry.run(r.idx, r.event_id, r.time, r.actor, r.leaf, r.chain);
    for (const s of r.subjects) insertSubject.run(s, r.idx);
  }
  for (const t of tiles) upsertTile.run(t.level, t.index, Buffer.from(t.hashes.buffer, t.hashes.byteOffset, t.hashes.byteLength));
});
parentPort.on('message', (m) => {
  if (m.close) { db.close(); parentPort.postMessage({ id: m.id, ok: true }); return; }
  try { insertAll(m.rows, m.tiles); parentPort.postMessage({ id: m.id, ok: true }); }
  catch (e) { parentPort.postMessage({ id: m.id, ok: false, code: String(e && e.code || 'SQLITE_ERROR'), message: String(e && e.message || e) }); }
});
`;

interface Reply {
  readonly id: number;
  readonly ok: boolean;
  readonly code?: string;
  readonly message?: string;
}

export interface SqliteWriter {
  /** Resolves once the rows are committed and fsynced; rejects (and writes nothing) otherwise. */
  write(rows: readonly StoredRow[], tiles: readonly TileRow[]): Promise<void>;
  close(): Promise<void>;
}

/** Starts the writer thread for a ledger file whose tables already exist. */
export function startSqliteWriter(file: string): SqliteWriter {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver } });
  worker.unref();
  const waiting = new Map<number, { ok: () => void; fail: (e: Error) => void }>();
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
    if (r.ok) w.ok();
    else w.fail(Object.assign(new Error(`ledger write failed: ${r.message ?? 'unknown'}`), { code: r.code }));
  });
  worker.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
  worker.on('exit', () => failAll(dead ?? new Error('ledger writer stopped')));

  function send(msg: { rows?: readonly StoredRow[]; tiles?: readonly TileRow[]; close?: true }): Promise<void> {
    if (dead !== undefined) return Promise.reject(dead);
    const id = next++;
    return new Promise<void>((ok, fail) => {
      waiting.set(id, { ok, fail });
      worker.ref();
      worker.postMessage({ id, ...msg });
    }).finally(() => {
      if (waiting.size === 0) worker.unref();
    });
  }

  return {
    write: (rows, tiles) => send({ rows, tiles }),
    close: async () => {
      if (dead === undefined) {
        await send({ close: true }).catch(() => undefined);
        dead = new Error('ledger writer closed');
        await worker.terminate();
      }
    },
  };
}
