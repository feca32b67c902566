import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOrCreateLedgerKey, openLedger } from '../../src/ledger/index.js';

const root = resolve(import.meta.dirname, '../..');

describe('the ledger after a crash', () => {
  it('keeps every acknowledged event, verifies, and carries on appending after SIGKILL mid-stream', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-crash-'));
    try {
      // node itself (not the tsx launcher, whose child would outlive a SIGKILL to it)
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/fixtures/ledger-append-forever.ts'), dir], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
      const acked: string[] = [];
      let buffered = '';
      await new Promise<void>((ok) => {
        child.stdout.on('data', (c: Buffer) => {
          buffered += c.toString('utf8');
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          acked.push(...lines);
          if (acked.length >= 3000 && child.exitCode === null && !child.killed) child.kill('SIGKILL');
        });
        child.once('exit', () => ok());
      });
      expect(acked.length).toBeGreaterThanOrEqual(3000);

      const { signer } = await loadOrCreateLedgerKey(dir, 'custos.test/ledger');
      const ledger = await openLedger({ storage: { kind: 'sqlite', file: join(dir, 'ledger.db') }, signer, origin: 'custos.test/ledger' });
      try {
        const size = await ledger.size();
        expect(size).toBeGreaterThanOrEqual(acked.length);
        const stored = new Set((await ledger.events({ limit: 10_000 })).map((e) => e.event.id));
        const lost = acked.filter((id) => !stored.has(id));
        expect(lost).toEqual([]);
        const v = await ledger.verify();
        expect(v, JSON.stringify(v)).toMatchObject({ ok: true, size });
        // The tree resumes from storage: new entries prove against a new checkpoint.
        await ledger.append({ id: 'after-crash', time: new Date().toISOString(), actor: 'u1', action: 'view', system: 'crash', subjects: ['c1'], fields: [], outcome: 'masked' });
        const cp = await ledger.checkpoint();
        expect(cp.size).toBe(size + 1);
        expect(await ledger.verify()).toMatchObject({ ok: true, size: size + 1 });
      } finally {
        await ledger.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
