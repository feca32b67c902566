import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { canonicalLeafSource, eventShape } from './canonical-leaf.js';
import { EVENT_MEMBERS, eventLeafSource } from './event.js';
import { TreeBuilder } from './tree-builder.js';

/**
 * Whole-ledger verification on worker threads. The ledger is checked in pages of `VERIFY_PAGE` entries (a power
 * of two, so that each full page is one complete subtree); a thread checks a page's leaves (valid JSON, a
 * canonical event, the leaf hash equal to the stored level-0 tile hash) and returns the hashes of the page's
 * complete subtrees, so the caller only folds 32-byte hashes while it reads the next pages. The checks are the
 * code of canonical-leaf.ts, event.ts and tree-builder.ts, run from their source text (as the SQLite writer thread
 * does): a leaf the one-pass scanner (canonical-leaf.ts) accepts is canonical; any other is judged by the
 * reference, parse and rebuild (event.ts), which also names why.
 */
export const VERIFY_PAGE = 2 ** 13;

const VERIFY_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { hash } = require('node:crypto');
// esbuild (tsx) names functions through this helper in the sources below; a no-op here.
const __name = (f) => f;
${eventLeafSource()}
${canonicalLeafSource()}
const SHAPE = ${JSON.stringify(eventShape(EVENT_MEMBERS))};
// Why a leaf the scanner did not accept is bad, by the reference (parse and rebuild); undefined when it is good.
function referenceProblem(leaf) {
  let e;
  try { e = JSON.parse(leaf); } catch { return 'leaf is not valid JSON (changed leaf)'; }
  let same = false;
  try { same = e !== null && typeof e === 'object' && eventLeaf(e) === leaf; } catch {}
  return same ? undefined : 'leaf is not a canonical event (changed leaf)';
}
const TreeBuilder = (${TreeBuilder.toString()});
const sha = (b) => hash('sha256', b, 'buffer');
const frontier = (tree) => tree.seed().frontier.map((f) => f.hash);
function check(first, leaves, stored, cut) {
  const tree = new TreeBuilder(0, [], [], false, sha);
  let prefix;
  for (let i = 0; i < leaves.length; i++) {
    const leaf = leaves[i];
    if (!isCanonicalEventLeaf(leaf, SHAPE)) {
      const problem = referenceProblem(leaf);
      if (problem !== undefined) return { index: first + i, reason: problem };
    }
    const lh = hash('sha256', '\\u0000' + leaf, 'buffer');
    if (lh.compare(stored, i * 32, i * 32 + 32) !== 0) return { index: first + i, reason: 'leaf hash differs from the stored tree (changed or reordered entry)' };
    tree.push(lh);
    if (i + 1 === cut) prefix = frontier(tree);
  }
  return { subtrees: frontier(tree), prefix };
}
parentPort.on('message', (m) => {
  let r;
  try { r = check(m.first, m.leaves, m.stored, m.cut); }
  catch (e) { r = { error: String(e && e.message || e) }; }
  parentPort.postMessage({ id: m.id, ...r });
});
`;

/** What a thread found in one page: the hashes of its complete subtrees (left to right), or its first bad entry. */
export type PageResult =
  | { readonly subtrees: readonly Buffer[]; /** The same for the first `cut` entries, when asked. */ readonly prefix?: readonly Buffer[] }
  | { readonly index: number; readonly reason: string };

export interface VerifyPool {
  /**
   * Checks entries `first`, … (their leaves; `stored`: the stored level-0 hashes of the same indexes, 32 bytes
   * each, zeros where there are none) and, when `cut` is given, also returns the subtrees of the first `cut`.
   */
  check(first: number, leaves: readonly string[], stored: Buffer, cut?: number): Promise<PageResult>;
  close(): Promise<void>;
}

interface Reply {
  readonly id: number;
  readonly subtrees?: Uint8Array[];
  readonly prefix?: Uint8Array[];
  readonly index?: number;
  readonly reason?: string;
  readonly error?: string;
}

const asBuffer = (h: Uint8Array): Buffer => Buffer.from(h.buffer, h.byteOffset, h.byteLength);

/** Starts `threads` verification threads (default: one per core, at most 4). */
export function startVerifyPool(threads = Math.max(1, Math.min(4, availableParallelism()))): VerifyPool {
  const workers = Array.from({ length: threads }, () => new Worker(VERIFY_SOURCE, { eval: true }));
  const waiting = new Map<number, { ok: (r: PageResult) => void; fail: (e: Error) => void }>();
  let next = 0;
  let dead: Error | undefined;
  const failAll = (e: Error): void => {
    dead ??= e;
    for (const w of waiting.values()) w.fail(e);
    waiting.clear();
  };
  for (const w of workers) {
    w.on('message', (r: Reply) => {
      const job = waiting.get(r.id);
      if (job === undefined) return;
      waiting.delete(r.id);
      if (r.error !== undefined) job.fail(new Error(`ledger verification thread: ${r.error}`));
      else if (r.index !== undefined) job.ok({ index: r.index, reason: r.reason ?? 'bad entry' });
      else job.ok({ subtrees: (r.subtrees ?? []).map(asBuffer), ...(r.prefix !== undefined ? { prefix: r.prefix.map(asBuffer) } : {}) });
    });
    w.on('error', (e) => failAll(e instanceof Error ? e : new Error(String(e))));
    w.on('exit', () => failAll(dead ?? new Error('ledger verification thread stopped')));
  }
  return {
    check: (first, leaves, stored, cut) => {
      if (dead !== undefined) return Promise.reject(dead);
      const id = next++;
      return new Promise<PageResult>((ok, fail) => {
        waiting.set(id, { ok, fail });
        workers[id % workers.length]!.postMessage({ id, first, leaves, stored, cut });
      });
    },
    close: async () => {
      dead ??= new Error('ledger verification closed');
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
