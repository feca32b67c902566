import { sha256 } from './merkle.js';

/** The chain value before the first entry. */
export const GENESIS = Buffer.alloc(32);

/**
 * The next chain value: SHA-256(prev ‖ leafHash), where leafHash is the entry's RFC 6962 leaf hash
 * H(0x00 ‖ leaf), the same one the Merkle tree uses (computed once per entry).
 */
export function nextChain(prev: Buffer, leafHash: Buffer): Buffer {
  return sha256(Buffer.concat([prev, leafHash]));
}
