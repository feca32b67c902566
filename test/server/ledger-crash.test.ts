import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadOrCreateLedgerKey, openLedger } from '../../src/ledger/index.js';

const root = resolve(import.meta.dirname, '../..');

async function runUntilKilled(dir: string, round: number, killAfter: number): Promise<string[]> {
  // node itself (not the tsx launcher, whose child would outlive a SIGKILL to it)
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/fixtures/ledger-append-forever.ts'), dir, String(round)], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const acked: string[] = [];
  let buffered = '';
  await new Promise<void>((ok) => {
    child.stdout.on('data', (c: Buffer) => {
      buffered += c.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      acked.push(...lines);
      if (acked.length >= killAfter && !child.killed) child.kill('SIGKILL');
    });
    child.once('exit', () => ok());
  });
  return acked;
}

describe('the ledger after a crash', () => {
  it('keeps every acknowledged event and verifies after each of 20 SIGKILLs at random moments, resuming the tree each time', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-crash-'));
    const { signer } = await loadOrCreateLedgerKey(dir, 'custos.test/ledger');
    const acked: string[] = [];
    try {
      for (let round = 0; round < 20; round++) {
        const killAfter = 50 + Math.floor(Math.random() * 1500);
        const mine = await runUntilKilled(dir, round, killAfter);
        acked.push(...mine);
        const raw = new SQLite(join(dir, 'ledger.db'), { readonly: true });
        const stored = new Set((raw.prepare("SELECT json_extract(leaf, '$.id') AS id FROM ledger_entries WHERE json_extract(leaf, '$.id') LIKE ?").all(`r${round}-%`) as { id: string }[]).map((r) => r.id));
        raw.close();
        expect(mine.filter((id) => !stored.has(id)), `round ${round}: acknowledged but lost`).toEqual([]);
        const ledger = await openLedger({ storage: { kind: 'sqlite', file: join(dir, 'ledger.db') }, signer, origin: 'custos.test/ledger' });
        try {
          const size = await ledger.size();
          expect(size).toBeGreaterThanOrEqual(acked.length);
          const v = await ledger.verify();
          expect(v, `round ${round}: ${JSON.stringify(v)}`).toMatchObject({ ok: true, size });
          if (round === 19) {
            await ledger.append({ id: 'after-crash', time: new Date().toISOString(), actor: 'u1', action: 'view', system: 'crash', subjects: ['c1'], fields: [], outcome: 'masked' });
            expect((await ledger.checkpoint()).size).toBe(size + 1);
            expect(await ledger.verify()).toMatchObject({ ok: true, size: size + 1 });
          }
        } finally {
          await ledger.close();
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 300_000);
});
