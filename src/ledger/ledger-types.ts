import type { AccessEvent } from './event.js';

/** Where the ledger lives: its own SQLite file (embedded) or PostgreSQL (optionally in one schema). */
export type LedgerStorage =
  | {
      readonly kind: 'sqlite';
      readonly file: string;
      /**
       * When commits are fsynced. 'batch' (default): every batch is fsynced before it is acknowledged (it survives
       * an OS crash or power loss). 'checkpoint': each batch's commit is written to the WAL before its appends are
       * acknowledged (it survives a crash or kill of the process), and the WAL is fsynced with every signed
       * checkpoint, so no checkpoint ever covers entries that are not on disk.
       */
      readonly fsync?: 'checkpoint' | 'batch';
    }
  | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string };

/** One stored entry: its position and the event's canonical bytes. */
export interface LedgerEntry {
  readonly index: number;
  readonly event: AccessEvent;
  /** Canonical JSON of the event (the leaf). */
  readonly leaf: string;
}

export interface EventQuery {
  readonly subject?: string;
  readonly actor?: string;
  /** ISO-8601 bounds on event time, inclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly limit?: number;
}

/** A signed statement of the ledger's size and head, for an outside witness to keep. */
export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  /** Base64 of the RFC 6962 Merkle tree hash of the first `size` entries. */
  readonly root: string;
  /** The signed note text: body lines, a blank line, then `— <key name> <base64(keyhash‖signature)>`. */
  readonly note: string;
}

/** RFC 6962 inclusion proof of one entry in the tree of `size` entries; hashes in hex. */
export interface InclusionProof {
  readonly index: number;
  readonly size: number;
  readonly leafHash: string;
  readonly root: string;
  readonly proof: readonly string[];
}

/** RFC 6962 consistency proof between two tree sizes; hashes in hex. */
export interface ConsistencyProof {
  readonly from: number;
  readonly to: number;
  readonly fromRoot: string;
  readonly toRoot: string;
  readonly proof: readonly string[];
}

export type VerifyResult = { readonly ok: true; readonly size: number; readonly root: string } | { readonly ok: false; readonly index: number; readonly reason: string };

export interface Ledger {
  /** Appends one event; resolves once its batch is durable (group commit). Rejects if it is not (callers fail closed). */
  append(event: AccessEvent): Promise<{ index: number }>;
  size(): Promise<number>;
  /** Entries not yet in the query indexes (SQLite builds them behind the writer; queries still find these by scanning). */
  indexLag(): Promise<number>;
  /** Entries matching a query, in ledger order (bounded by `limit`, default 1,000, at most 10,000). */
  events(query: EventQuery): Promise<LedgerEntry[]>;
  /** Entries `from`, `from + 1`, … in ledger order (at most `count`, at most 10,000), for replay. */
  entries(from: number, count: number): Promise<LedgerEntry[]>;
  /** A signed checkpoint of the current state (also kept, and handed to the outside witness). */
  checkpoint(): Promise<Checkpoint>;
  /** Inclusion proof of entry `index` in the tree of `size` entries (default: the current size). */
  inclusionProof(index: number, size?: number): Promise<InclusionProof>;
  /** Consistency proof that the tree of `from` entries is a prefix of the tree of `to` entries. */
  consistencyProof(from: number, to: number): Promise<ConsistencyProof>;
  /** Recomputes the Merkle tree over every entry and checks them against the stored tree and the last signed checkpoint. */
  verify(verifierKey?: string): Promise<VerifyResult>;
  close(): Promise<void>;
}
