import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateLedgerKey, openLedger, type AccessEvent, type Ledger } from '../../src/ledger/index.js';
import { canonicalJson, eventLeafHash, fromBase64, fromHex, toHex, verifyConsistency, verifyInclusion } from '../../web/src/lib/merkle.js';

/**
 * The console's own RFC 6962 proof checking (web/src/lib/merkle.ts, WebCrypto SHA-256, no server code) against
 * the proofs a real ledger hands out: every inclusion and consistency proof of a 37-entry ledger checks, and
 * any changed hash or index fails. Runs in Node's WebCrypto; needs no browser.
 */
describe('the console checks the ledger proofs itself', () => {
  let dir: string;
  let ledger: Ledger;
  const N = 37;
  const events: AccessEvent[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-web-proofs-'));
    const { signer } = await loadOrCreateLedgerKey(dir, 'custos.test/ledger');
    ledger = await openLedger({ storage: { kind: 'sqlite', file: join(dir, 'ledger.db') }, signer, origin: 'custos.test/ledger' });
    for (let i = 0; i < N; i++) {
      const e: AccessEvent = {
        id: `e-${i}`, time: new Date(Date.UTC(2026, 2, 2, 9, 0, i)).toISOString(), actor: `u00${i % 7}`, action: i % 3 === 0 ? 'search' : 'view',
        system: 'crm', subjects: [`c${1000 + i}`], fields: ['name', 'mobile'], outcome: 'masked', ...(i % 4 === 0 ? { purpose: 'customer_service', ticket: `T-${i}` } : {}),
      };
      events.push(e);
      await ledger.append(e);
    }
  });
  afterAll(async () => {
    await ledger?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('hashes each event to the leaf the ledger stored (canonical JSON)', async () => {
    const entries = await ledger.entries(0, N);
    for (const entry of entries) {
      expect(canonicalJson(entry.event)).toBe(entry.leaf);
      const proof = await ledger.inclusionProof(entry.index, N);
      expect(toHex(await eventLeafHash(entry.event))).toBe(proof.leafHash);
    }
  });

  it('accepts every inclusion proof in trees of every size, and rejects a changed hash or index', async () => {
    const entries = await ledger.entries(0, N);
    for (const size of [1, 2, 3, 7, 8, 9, 16, 31, 37]) {
      for (const entry of entries.filter((e) => e.index < size)) {
        const p = await ledger.inclusionProof(entry.index, size);
        const leaf = await eventLeafHash(entry.event);
        const path = p.proof.map((h) => fromHex(h)!);
        const root = fromHex(p.root)!;
        expect(await verifyInclusion(entry.index, size, leaf, path, root)).toBe(true);
        if (path.length > 0) {
          const bad = path.map((h, i) => (i === path.length - 1 ? Uint8Array.from(h, (b, j) => (j === 0 ? b ^ 1 : b)) : h));
          expect(await verifyInclusion(entry.index, size, leaf, bad, root)).toBe(false);
          expect(await verifyInclusion((entry.index + 1) % size, size, leaf, path, root)).toBe(false);
        }
      }
    }
  });

  it('accepts every consistency proof between two sizes, and rejects a wrong root or a cut proof', async () => {
    const cp = await ledger.checkpoint();
    expect(cp.size).toBe(N);
    const head = fromBase64(cp.root)!;
    expect(toHex(head)).toBe((await ledger.inclusionProof(0, N)).root);
    for (let m = 1; m <= N; m++) {
      for (const n of [m, m + 1, Math.min(N, m * 2), N]) {
        if (n > N || n < m) continue;
        const c = await ledger.consistencyProof(m, n);
        const proof = c.proof.map((h) => fromHex(h)!);
        const from = fromHex(c.fromRoot)!;
        const to = fromHex(c.toRoot)!;
        expect(await verifyConsistency(m, n, from, to, proof)).toBe(true);
        if (m < n) {
          expect(await verifyConsistency(m, n, to, to, proof)).toBe(false);
          expect(await verifyConsistency(m, n, from, from, proof)).toBe(false);
          expect(await verifyConsistency(m, n, from, to, proof.slice(1))).toBe(false);
        }
      }
    }
  });
});
