import { CustosError } from '../core/errors.js';
import { accessEventSchema, canonicalJson, type AccessEvent } from './event.js';
import { GENESIS, nextChain } from './hash-chain.js';
import { checkpointBody, signNote } from './note.js';
import { openBackend, type LedgerBackend, type StoredRow } from './ledger-backend.js';
import type { Checkpoint, EventQuery, Ledger, LedgerEntry, LedgerStorage, VerifyResult } from './ledger-types.js';
import type { LedgerSigner } from './signing-key.js';

export interface LedgerOptions {
  readonly storage: LedgerStorage;
  readonly signer: LedgerSigner;
  /** Checkpoint origin line, e.g. `custos.local/ledger`. */
  readonly origin: string;
  /** Most events written in one transaction. */
  readonly maxBatch?: number;
}

interface Pending {
  readonly event: AccessEvent;
  readonly resolve: (r: { index: number }) => void;
  readonly reject: (e: unknown) => void;
}

const VERIFY_PAGE = 10_000;

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
  let size = -1;
  let head: Buffer = GENESIS;
  let queue: Pending[] = [];
  let flushing = false;
  let closed = false;
  let idle: Promise<void> = Promise.resolve();
  let markIdle: () => void = () => {};

  async function loadHead(): Promise<void> {
    size = await backend.size();
    const last = await backend.lastChain();
    head = last === undefined ? GENESIS : Buffer.from(last, 'hex');
  }
  await loadHead();

  async function flush(): Promise<void> {
    flushing = true;
    idle = new Promise((r) => (markIdle = r));
    try {
      while (queue.length > 0) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        try {
          if (size < 0) await loadHead();
          let chain = head;
          const rows: StoredRow[] = batch.map((p, i) => {
            const leaf = canonicalJson(p.event);
            chain = nextChain(chain, leaf);
            return { idx: size + i, event_id: p.event.id, time: p.event.time, actor: p.event.actor, leaf, chain: chain.toString('hex'), subjects: p.event.subjects };
          });
          await backend.appendBatch(rows);
          const first = size;
          size += rows.length;
          head = chain;
          batch.forEach((p, i) => p.resolve({ index: first + i }));
        } catch (e) {
          // The state after a failed commit is re-read before the next batch.
          size = -1;
          batch.forEach((p) => p.reject(e));
        }
      }
    } finally {
      flushing = false;
      markIdle();
    }
  }

  return {
    append(event) {
      if (closed) return Promise.reject(new CustosError('CUSTOS_LEDGER_CLOSED', 503, 'The ledger is closed.'));
      const parsed = accessEventSchema.safeParse(event);
      if (!parsed.success) return Promise.reject(new CustosError('CUSTOS_LEDGER_BAD_EVENT', 400, `The event does not match the event format at ${parsed.error.issues[0]?.path.join('.') ?? '?'}.`));
      return new Promise((resolve, reject) => {
        queue.push({ event: parsed.data, resolve, reject });
        if (!flushing) setImmediate(() => void flush());
        flushing = true;
      });
    },

    async size() {
      return size >= 0 ? size : backend.size();
    },

    async events(query: EventQuery) {
      const limit = Math.min(Math.max(query.limit ?? 1000, 1), 10_000);
      const rows = await backend.query(query, limit);
      return rows.map((r): LedgerEntry => ({ index: r.idx, event: JSON.parse(r.leaf) as AccessEvent, leaf: r.leaf, chain: r.chain }));
    },

    async checkpoint(): Promise<Checkpoint> {
      await idle;
      if (size < 0) await loadHead();
      return { origin: options.origin, size, head: head.toString('base64'), note: checkpointNote(options.signer, options.origin, size, head) };
    },

    async verify(): Promise<VerifyResult> {
      let chain: Buffer = GENESIS;
      let expected = 0;
      for (;;) {
        const rows = await backend.range(expected, VERIFY_PAGE);
        for (const r of rows) {
          if (r.idx !== expected) return { ok: false, index: expected, reason: 'missing entry (deleted or reordered)' };
          let event: unknown;
          try {
            event = JSON.parse(r.leaf);
          } catch {
            return { ok: false, index: r.idx, reason: 'leaf is not valid JSON (changed leaf)' };
          }
          if (canonicalJson(event) !== r.leaf || (event as { id?: unknown }).id !== r.event_id) {
            return { ok: false, index: r.idx, reason: 'leaf is not the canonical event (changed leaf)' };
          }
          chain = nextChain(chain, r.leaf);
          if (chain.toString('hex') !== r.chain) return { ok: false, index: r.idx, reason: 'chain hash mismatch (changed, deleted or reordered entry)' };
          expected++;
        }
        if (rows.length < VERIFY_PAGE) break;
      }
      const total = await backend.size();
      if (total !== expected) return { ok: false, index: expected, reason: 'entries beyond a gap (deleted entry)' };
      return { ok: true, size: expected };
    },

    async close() {
      if (closed) return;
      closed = true;
      while (flushing || queue.length > 0) await idle;
      await backend.close();
    },
  };
}
