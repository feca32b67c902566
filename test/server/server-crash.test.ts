import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crashRound } from '../helpers/server-crash.js';

describe('the server killed mid-traffic', () => {
  it('keeps every answered record view on the ledger, which verifies, across 20 SIGKILLs at random moments', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-server-crash-'));
    try {
      let total = 0;
      let size = 0;
      for (let round = 0; round < 20; round++) {
        const r = await crashRound(dir, 150 + Math.floor(Math.random() * 900));
        expect(r.lost, `round ${round}: answered views missing from the ledger`).toBe(0);
        expect(r.verified, `round ${round}`).toEqual({ ok: true, size: r.ledgerSize });
        expect(r.ledgerSize).toBeGreaterThanOrEqual(size);
        size = r.ledgerSize;
        total += r.acknowledged;
      }
      // The rounds did real work: views were answered before the kills.
      expect(total).toBeGreaterThan(100);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
