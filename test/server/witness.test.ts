import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openNote, parseCheckpointBody, parseVerifierKey } from '../../src/ledger/index.js';
import { loadConfig, openRuntime } from '../../src/server/index.js';

describe('checkpoints handed to outside witnesses', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes every kept checkpoint to the witness file and POSTs it to the witness URL, each verifiable with the public key', async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-witness-'));
    const received: string[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const port = (server.address() as AddressInfo).port;
    try {
      const witnessFile = join(dir, 'witness.log');
      const rt = await openRuntime(
        loadConfig({
          CUSTOS_DATA: dir,
          CUSTOS_DEMO: 'false',
          CUSTOS_LEDGER_CHECKPOINT_EVERY: '5',
          CUSTOS_LEDGER_WITNESS_FILE: witnessFile,
          CUSTOS_LEDGER_WITNESS_URL: `http://127.0.0.1:${port}/witness`,
        }),
      );
      // The runtime's own first entries (the default policy's installation) count towards the twelve.
      const start = await rt.ledger.size();
      expect(start).toBeLessThan(5);
      for (let i = start; i < 12; i++) {
        await rt.ledger.append({ id: `e-${i}`, time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), actor: 'u1', action: 'view', system: 't', subjects: ['c1'], fields: [], outcome: 'masked' });
      }
      // Asking again without new entries hands out the kept checkpoint, not a new one to the witnesses.
      const a = await rt.ledger.checkpoint();
      const b = await rt.ledger.checkpoint();
      expect(b.note).toBe(a.note);
      await rt.close();
      const key = parseVerifierKey(await readFile(join(dir, 'ledger-key.pub'), 'utf8'))!;
      const notes = (await readFile(witnessFile, 'utf8')).split('\n\n\u2014').length - 1;
      expect(notes).toBe(3);
      expect(received).toHaveLength(3);
      const sizes = received.map((note) => {
        const opened = openNote(note, key);
        expect(opened.ok).toBe(true);
        return parseCheckpointBody(opened.ok ? opened.body : '')!.size;
      });
      expect(sizes).toEqual([5, 10, 12]);
    } finally {
      server.close();
    }
  });

  it('refuses a witness URL that is not http(s)', () => {
    expect(() => loadConfig({ CUSTOS_LEDGER_WITNESS_URL: 'file:///etc/passwd' })).toThrow(/CUSTOS_LEDGER_WITNESS_URL/);
  });
});
