import { CustosError } from '../core/errors.js';
import { canonicalJson, eventLeaf, eventProblem, type AccessEvent } from './event.js';
import { EMPTY_ROOT, foldSubtrees, HASH_SIZE, leafHash } from './merkle.js';
import { checkpointBody, openNote, parseCheckpointBody, parseVerifierKey, signNote } from './note.js';
import { consistencyRanges, inclusionRanges } from './proofs.js';
import { TILE_WIDTH } from './tiles.js';
import { hashesFrom, loadTree, rangeHashes, rootAt, tileKeys, tilesFor } from './stored-tree.js';
import { TreeBuilder } from './tree-builder.js';
import { openBackend, type AppendRow, type LedgerBackend } from './ledger-backend.js';
import type { Checkpoint, ConsistencyProof, EventQuery, InclusionProof, Ledger, LedgerEntry, LedgerStorage, VerifyResult } from './ledger-types.js';
import type { LedgerSigner } from './signing-key.js';
import { startVerifyPool, VERIFY_PAGE, type PageResult, type VerifyPool } from './verify-pool.js';

export interface LedgerOptions {
  readonly storage: LedgerStorage;
  readonly signer: LedgerSigner;
  /** Checkpoint origin line, e.g. `custos.local/ledger`. */
  readonly origin: string;
  /** Most events written in one transaction. */
  readonly maxBatch?: number;
  /** Appends `append` hands to a store that keeps its own tree while the batches before are being written (default 512). */
  readonly eagerBatch?: number;
  /** A signed checkpoint is kept every this many events (default 1,000), and on every `checkpoint()` call. */
  readonly checkpointEvery?: number;
  /** Called with each kept checkpoint, to hand it to an outside witness (a file, a webhook). Failures are logged by the caller, never block appends. */
  readonly onCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
}

/** Batches handed to a store that keeps the tree (SQLite's writer thread) and not answered yet, at most. */
const MAX_SENT = 8;
/** Appends `append` hands over itself while `flushOwn` waits on the store (a burst's first part starts early). */
const EAGER_BATCH = 512;

interface Pending {
  /** The event's canonical bytes, taken when it was offered (a caller changing its object later changes nothing). */
  readonly leaf: string;
  /** The keys the store indexes the entry by, where it takes them from the event (not where it keeps the tree itself). */
  readonly keys: Pick<AccessEvent, 'actor' | 'time' | 'subjects'> | undefined;
  readonly resolve: (r: { index: number }) => void;
  readonly reject: (e: unknown) => void;
}


/** The leaf of a valid event, or undefined when its `detail` has no JSON form (a non-finite number, a function). */
function leafOf(event: AccessEvent): string | undefined {
  if (event.detail !== undefined) {
    try {
      const json = canonicalJson(event.detail);
      if (canonicalJson(JSON.parse(json)) !== json) return undefined;
    } catch {
      return undefined;
    }
  }
  return eventLeaf(event);
}

/** The checkpoint body (C2SP tlog-checkpoint layout) and its signed note. */
export function checkpointNote(signer: LedgerSigner, origin: string, size: number, head: Buffer): string {
  return signNote(checkpointBody(origin, size, head), signer.name, signer.keyHash, (m) => signer.sign(m));
}

/**
 * Opens the ledger. Appends are group-committed: appends that arrive while a batch is being written go into
 * the next batch, and each append resolves only after its batch's transaction has committed.
 *
 * @example const ledger = await openLedger({ storage: { kind: 'sqlite', file: 'data/ledger.db' }, signer, origin });
 */
export async function openLedger(options: LedgerOptions): Promise<Ledger> {
  const backend: LedgerBackend = await openBackend(options.storage);
  const maxBatch = options.maxBatch ?? 1000;
  const eagerBatch = options.eagerBatch ?? EAGER_BATCH;
  const every = options.checkpointEvery ?? 1000;
  let size = -1;
  let tree = new TreeBuilder();
  /** The Merkle root of the durable entries (the tree in memory may be ahead by one prepared batch). */
  let committedRoot: Buffer = EMPTY_ROOT;
  let lastKept: Checkpoint | undefined;
  let queue: Pending[] = [];
  let flushing = false;
  let closed = false;
  let idle: Promise<void> = Promise.resolve();
  let markIdle: () => void = () => {};

  async function loadHead(): Promise<void> {
    const n = await backend.size();
    tree = await loadTree(backend, n);
    committedRoot = tree.root();
    // A store that keeps the tree itself gets it as stored (again after any failed batch).
    if (backend.ownTree !== undefined) await backend.ownTree.seedTree(tree.seed());
    size = n;
  }
  await loadHead();

  /** The checkpoint being kept, while its save and witness hand-over run (one per size). */
  let keeping: { readonly size: number; readonly done: Promise<Checkpoint> } | undefined;

  /**
   * Signs, keeps and hands out a checkpoint of the durable entries. One per size: asking again without new
   * entries returns the one already kept (so readers cannot make the ledger spam its witnesses).
   */
  function keepCheckpoint(): Promise<Checkpoint> {
    if (lastKept !== undefined && lastKept.size === size) return Promise.resolve(lastKept);
    if (keeping !== undefined && keeping.size === size) return keeping.done;
    const root = committedRoot;
    const cp: Checkpoint = { origin: options.origin, size, root: root.toString('base64'), note: checkpointNote(options.signer, options.origin, size, root) };
    const done = (async () => {
      await backend.saveCheckpoint(cp.size, cp.note, new Date().toISOString());
      if (lastKept === undefined || lastKept.size < cp.size) lastKept = cp;
      if (options.onCheckpoint) {
        try {
          await options.onCheckpoint(cp);
        } catch {
          // The witness is outside; its failure must not stop the ledger.
        }
      }
      return cp;
    })();
    keeping = { size: cp.size, done };
    void done.finally(() => {
      if (keeping?.done === done) keeping = undefined;
    }).catch(() => undefined);
    return done;
  }

  /** A batch is durable: the size and root move on, its appends resolve, and a checkpoint is kept when one is due (not waited for). */
  function committed(batch: readonly Pending[], first: number, root: Buffer): void {
    size = first + batch.length;
    committedRoot = root;
    batch.forEach((p, i) => p.resolve({ index: first + i }));
    if (Math.floor(size / every) > Math.floor(first / every)) keepCheckpoint().catch(() => undefined);
  }

  /** Fails everything waiting (storage unreadable: callers fail closed). */
  function rejectQueue(e: unknown): void {
    const waiting = queue;
    queue = [];
    waiting.forEach((p) => p.reject(e));
  }

  /** A batch ready to write, hashed into the tree in memory (which is ahead of the disk by it), not yet durable. */
  interface Prepared {
    readonly batch: readonly Pending[];
    readonly first: number;
    /** Writes the batch; resolves with the root after it. */
    readonly write: () => Promise<Buffer>;
  }

  /** Hashes the batch into the tree, after everything prepared before it. */
  function prepare(batch: readonly Pending[], first: number): Prepared {
    const rows = new Array<AppendRow>(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const { keys, leaf } = batch[i]!;
      tree.push(leafHash(leaf));
      rows[i] = { idx: first + i, leaf, actor: keys!.actor, time: keys!.time, subjects: keys!.subjects };
    }
    const tiles = tree.takeChanged();
    const rootAfter = tree.root();
    return { batch, first, write: () => backend.appendBatch(rows, tiles).then(() => rootAfter) };
  }

  type Outcome = { readonly root: Buffer } | { readonly failure: unknown };
  const settle = (write: Promise<Buffer>): Promise<Outcome> =>
    write.then(
      (root) => ({ root }),
      (e: unknown) => ({ failure: e ?? new Error('ledger write failed') }),
    );

  /**
   * Group commit, pipelined, where the store hashes on the event loop (PostgreSQL): while one batch is being made
   * durable, the next is hashed. A batch is written only after the one before it committed, so a failure never
   * leaves a gap: the failed batch is rejected, the one prepared behind it goes back to the queue, and the state
   * is re-read from storage before going on.
   */
  async function flushPrepared(): Promise<void> {
    let writing: { readonly prep: Prepared; readonly done: Promise<Outcome> } | undefined;
    while (queue.length > 0 || writing !== undefined) {
      let next: Prepared | undefined;
      if (queue.length > 0) {
        try {
          if (size < 0 && writing === undefined) await loadHead();
          if (size >= 0) {
            const batch = queue.slice(0, maxBatch);
            queue = queue.slice(batch.length);
            next = prepare(batch, writing === undefined ? size : writing.prep.first + writing.prep.batch.length);
          }
        } catch (e) {
          rejectQueue(e);
        }
      }
      if (writing !== undefined) {
        const done = await writing.done;
        const { prep } = writing;
        writing = undefined;
        if ('root' in done) committed(prep.batch, prep.first, done.root);
        else {
          prep.batch.forEach((p) => p.reject(done.failure));
          if (next !== undefined) queue = [...next.batch, ...queue];
          next = undefined;
          size = -1;
          continue;
        }
      }
      if (next !== undefined) writing = { prep: next, done: settle(next.write()) };
    }
  }

  /** Wakes `flushOwn` when appends arrive while it waits for the store (set only while it waits). */
  let wake: (() => void) | undefined;
  /** Whether `flushOwn` waits on the store's answer (then `append` may hand batches over itself). */
  let waiting = false;
  /** Batches handed to a store that keeps its own tree, oldest first, not yet answered (see `flushOwn`). */
  const sent: { readonly batch: readonly Pending[]; readonly first: number; readonly done: Promise<Outcome> }[] = [];

  /** Hands queued appends to the store in batches, up to MAX_SENT unanswered (only while the head is known). */
  function handOver(own: NonNullable<LedgerBackend['ownTree']>): void {
    if (size < 0) return;
    const last = sent[sent.length - 1];
    let first = last !== undefined ? last.first + last.batch.length : size;
    while (queue.length > 0 && sent.length < MAX_SENT) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      sent.push({ batch, first, done: settle(own.appendLeaves(first, batch.map((p) => p.leaf))) });
      first += batch.length;
    }
  }

  /**
   * Group commit where the store keeps the tree and hashes on its own thread (SQLite): batches are handed over as
   * appends arrive, up to MAX_SENT unanswered, without waiting for the commit before; the store puts all that
   * reached it during a commit into its next transaction. While this waits on the store, `append` hands over every
   * EAGER_BATCH appends itself, so the store hashes and writes a burst's first part while the event loop still
   * makes the rest. Answers come back in order. The store refuses every batch after a failed one until it is
   * seeded again: the failed batch (and any committed with it) is rejected, those refused behind it go back to the
   * queue, and the tree is re-read from storage once all have answered.
   */
  async function flushOwn(own: NonNullable<LedgerBackend['ownTree']>): Promise<void> {
    let retry: Pending[] = [];
    while (queue.length > 0 || sent.length > 0 || retry.length > 0) {
      if (sent.length === 0) {
        if (retry.length > 0) queue = [...retry, ...queue];
        retry = [];
        if (size < 0) {
          try {
            await loadHead();
          } catch (e) {
            rejectQueue(e);
            continue;
          }
        }
      }
      handOver(own);
      if (sent.length === 0) continue;
      const head = sent[0]!;
      // The oldest batch's answer, or new appends to hand over meanwhile (gathered until the event loop's next turn).
      const arrived = size >= 0 && sent.length < MAX_SENT ? new Promise<undefined>((r) => (wake = () => setImmediate(() => r(undefined)))) : undefined;
      waiting = true;
      const done = await (arrived === undefined ? head.done : Promise.race([head.done, arrived]));
      waiting = false;
      wake = undefined;
      if (done === undefined) continue;
      sent.shift();
      if ('root' in done) committed(head.batch, head.first, done.root);
      else if (size >= 0 || (done.failure as { code?: unknown } | null)?.code !== 'CUSTOS_LEDGER_TREE_STATE') {
        head.batch.forEach((p) => p.reject(done.failure));
        size = -1;
      } else retry.push(...head.batch);
    }
  }

  async function flush(): Promise<void> {
    flushing = true;
    idle = new Promise((r) => (markIdle = r));
    try {
      // Appends that arrive between the loop's last look at the queue and here are taken by another turn.
      do await (backend.ownTree !== undefined ? flushOwn(backend.ownTree) : flushPrepared());
      while (queue.length > 0);
    } finally {
      flushing = false;
      markIdle();
    }
  }

  /**
   * Reads every entry in order, page by page, while the verification threads check the pages read before (see
   * verify-pool.ts); folds the pages' subtree hashes into the root of all entries and of the first `cut`. Returns
   * the first bad entry in index order instead, if any.
   */
  async function checkEntries(pool: VerifyPool, cut: number | undefined): Promise<{ count: number; root: Buffer; atCut: Buffer | undefined } | { index: number; reason: string }> {
    /** The tree over the roots of the full pages checked so far (a full page is one complete subtree). */
    const pages = new TreeBuilder(0, [], [], false);
    const frontier = (): Buffer[] => pages.seed().frontier.map((f) => Buffer.from(f.hash));
    const inflight: { count: number; cut: number | undefined; job: Promise<PageResult>; stop: { index: number; reason: string } | undefined }[] = [];
    let atCut: Buffer | undefined = cut === 0 ? EMPTY_ROOT : undefined;
    let tail: readonly Buffer[] = [];
    let count = 0;
    let first = 0;
    let reading = true;
    while (reading || inflight.length > 0) {
      while (reading && inflight.length < 4) {
        // Contiguous leaves read cheaply where the store can; else (or to find a gap) entries with their indexes.
        let stop: { index: number; reason: string } | undefined;
        let leaves = await backend.leaves?.(first, VERIFY_PAGE);
        let read = leaves?.length ?? 0;
        if (leaves === undefined) {
          const rows = await backend.range(first, VERIFY_PAGE);
          const gap = rows.findIndex((r, i) => r.idx !== first + i);
          if (gap >= 0) stop = { index: first + gap, reason: 'missing entry (deleted)' };
          leaves = (gap >= 0 ? rows.slice(0, gap) : rows).map((r) => r.leaf);
          read = rows.length;
        }
        // The stored leaf hashes (tile level 0) name a changed or moved entry at its own index.
        const tiles = await backend.tileRange(0, first / TILE_WIDTH, (first + VERIFY_PAGE) / TILE_WIDTH);
        const stored = Buffer.alloc(leaves.length * HASH_SIZE);
        for (const [t, hashes] of tiles) {
          const at = (t * TILE_WIDTH - first) * HASH_SIZE;
          if (at < stored.length) hashes.copy(stored, at);
        }
        const c = cut !== undefined && cut > first && cut <= first + leaves.length ? cut - first : undefined;
        const job = pool.check(first, leaves, stored, c);
        // Settled even when an earlier page's failure ends the pass before it is awaited.
        job.catch(() => undefined);
        inflight.push({ count: leaves.length, cut: c, job, stop });
        first += VERIFY_PAGE;
        if (stop !== undefined || read < VERIFY_PAGE) reading = false;
      }
      const page = inflight.shift()!;
      const r = await page.job;
      if ('reason' in r) return r;
      if (page.cut !== undefined) atCut = foldSubtrees([...frontier(), ...(r.prefix ?? [])]);
      if (page.count === VERIFY_PAGE) pages.push(r.subtrees[0]!);
      else tail = r.subtrees;
      count += page.count;
      if (page.stop !== undefined) return page.stop;
    }
    return { count, root: foldSubtrees([...frontier(), ...tail]), atCut };
  }

  return {
    append(event) {
      if (closed) return Promise.reject(new CustosError('CUSTOS_LEDGER_CLOSED', 503, 'The ledger is closed.'));
      const problem = eventProblem(event);
      const leaf = problem === undefined ? leafOf(event) : undefined;
      if (leaf === undefined) return Promise.reject(new CustosError('CUSTOS_LEDGER_BAD_EVENT', 400, `The event does not match the event format at ${problem ?? 'detail'}.`));
      const keys = backend.ownTree === undefined ? { actor: event.actor, time: event.time, subjects: [...event.subjects] } : undefined;
      return new Promise((resolve, reject) => {
        queue.push({ leaf, keys, resolve, reject });
        if (!flushing) setImmediate(() => void flush());
        else {
          if (waiting && queue.length >= eagerBatch) handOver(backend.ownTree!);
          if (wake !== undefined) {
            wake();
            wake = undefined;
          }
        }
        flushing = true;
      });
    },

    async size() {
      return size >= 0 ? size : backend.size();
    },

    indexLag: () => backend.indexLag(),

    async events(query: EventQuery) {
      const limit = Math.min(Math.max(query.limit ?? 1000, 1), 10_000);
      const rows = await backend.query(query, limit);
      return rows.map((r): LedgerEntry => ({ index: r.idx, event: JSON.parse(r.leaf) as AccessEvent, leaf: r.leaf }));
    },

    async entries(from: number, count: number) {
      if (!(Number.isSafeInteger(from) && from >= 0 && Number.isSafeInteger(count) && count >= 0)) {
        throw new CustosError('CUSTOS_LEDGER_BAD_RANGE', 400, 'Entries are read from an index ≥ 0, a count ≥ 0 at a time.');
      }
      const rows = await backend.range(from, Math.min(count, 10_000));
      return rows.map((r): LedgerEntry => ({ index: r.idx, event: JSON.parse(r.leaf) as AccessEvent, leaf: r.leaf }));
    },

    async checkpoint(): Promise<Checkpoint> {
      await idle;
      if (size < 0) await loadHead();
      return keepCheckpoint();
    },

    async inclusionProof(index: number, atSize?: number): Promise<InclusionProof> {
      await idle;
      const n = atSize ?? size;
      if (!(Number.isSafeInteger(index) && Number.isSafeInteger(n) && index >= 0 && index < n && n <= size)) {
        throw new CustosError('CUSTOS_LEDGER_BAD_RANGE', 400, `An inclusion proof needs 0 ≤ index < size ≤ ${size}.`);
      }
      // One tile read for the proof and the root together, and the leaf alongside it (in the same read where the
      // store can: one round trip to a database server instead of two).
      const parts = tilesFor([...inclusionRanges(index, n), { start: 0, end: n }]);
      const keys = tileKeys(parts);
      const read = backend.proofReads
        ? await backend.proofReads(index, keys)
        : await Promise.all([backend.range(index, 1), backend.tiles(keys)]).then(([[entry], tiles]) => ({ leaf: entry?.leaf, tiles }));
      if (read.leaf === undefined) throw new CustosError('CUSTOS_LEDGER_TREE_MISSING', 500, `The ledger lacks entry ${index}; run custos ledger verify.`);
      const hashes = hashesFrom(parts, read.tiles);
      const root = hashes.pop()!;
      return { index, size: n, leafHash: leafHash(read.leaf).toString('hex'), root: root.toString('hex'), proof: hashes.map((h) => h.toString('hex')) };
    },

    async consistencyProof(from: number, to: number): Promise<ConsistencyProof> {
      await idle;
      if (!(Number.isSafeInteger(from) && Number.isSafeInteger(to) && from >= 1 && from <= to && to <= size)) {
        throw new CustosError('CUSTOS_LEDGER_BAD_RANGE', 400, `A consistency proof needs 1 ≤ from ≤ to ≤ ${size}.`);
      }
      const hashes = await rangeHashes(backend, [...(from === to ? [] : consistencyRanges(from, to)), { start: 0, end: from }, { start: 0, end: to }]);
      const toRoot = hashes.pop()!;
      const fromRoot = hashes.pop()!;
      return { from, to, fromRoot: fromRoot.toString('hex'), toRoot: toRoot.toString('hex'), proof: hashes.map((h) => h.toString('hex')) };
    },

    async verify(verifierKey?: string): Promise<VerifyResult> {
      const cp = await backend.lastCheckpoint();
      let cpBody: { size: number; root: Buffer } | undefined;
      if (cp !== undefined) {
        const key = parseVerifierKey(verifierKey ?? options.signer.verifierKey());
        if (key === undefined) return { ok: false, index: 0, reason: 'the verifier key is malformed or its key hash does not match' };
        const opened = openNote(cp.note, key);
        const body = opened.ok ? parseCheckpointBody(opened.body) : undefined;
        if (body === undefined || body.size !== cp.size) return { ok: false, index: cp.size, reason: `checkpoint at size ${cp.size} has a bad signature or body (wrong key, or a forged checkpoint)` };
        cpBody = body;
      }
      const pool = startVerifyPool();
      let pass: Awaited<ReturnType<typeof checkEntries>>;
      try {
        pass = await checkEntries(pool, cpBody?.size);
      } finally {
        await pool.close();
      }
      if ('reason' in pass) return { ok: false, index: pass.index, reason: pass.reason };
      const { count: expected, root: freshRoot, atCut: rootAtCheckpoint } = pass;
      if ((await backend.size()) !== expected) return { ok: false, index: expected, reason: 'missing entry (deleted; entries follow the gap)' };
      const edge = (await backend.tileRange(0, Math.floor(expected / TILE_WIDTH), Math.floor(expected / TILE_WIDTH) + 1)).get(Math.floor(expected / TILE_WIDTH));
      if (edge !== undefined && edge.length > (expected % TILE_WIDTH) * HASH_SIZE) {
        return { ok: false, index: expected, reason: 'truncated: the stored tree holds leaf hashes past the last entry' };
      }
      if (cpBody !== undefined) {
        if (cpBody.size > expected) return { ok: false, index: expected, reason: `truncated: the signed checkpoint covers ${cpBody.size} entries, the ledger holds ${expected}` };
        if (!rootAtCheckpoint!.equals(cpBody.root)) return { ok: false, index: cpBody.size - 1, reason: 'entries before the last signed checkpoint differ from what it signed (rewritten history)' };
      }
      let storedRoot: Buffer;
      try {
        storedRoot = await rootAt(backend, expected);
      } catch {
        return { ok: false, index: expected, reason: 'the stored Merkle tree is incomplete' };
      }
      if (!storedRoot.equals(freshRoot)) return { ok: false, index: expected, reason: 'the stored Merkle tree does not match the entries' };
      return { ok: true, size: expected, root: freshRoot.toString('hex') };
    },

    async close() {
      if (closed) return;
      closed = true;
      while (flushing || queue.length > 0) await idle;
      await backend.close();
    },
  };
}
