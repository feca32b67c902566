import { createHash } from 'node:crypto';

/** The chain value before the first entry. */
export const GENESIS = Buffer.alloc(32);

/**
 * The next chain value: SHA-256(prev ‖ SHA-256(0x00 ‖ leaf)), where the inner hash is the RFC 6962 leaf hash
 * (so the same leaf hashes serve the Merkle tree).
 */
export function nextChain(prev: Buffer, leaf: string): Buffer {
  const leafHash = createHash('sha256').update(Buffer.from([0])).update(leaf, 'utf8').digest();
  return createHash('sha256').update(prev).update(leafHash).digest();
}
