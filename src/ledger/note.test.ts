import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { leafHash } from './merkle.js';
import { checkpointNote } from './ledger-service.js';
import { keyHashOf, openNote, parseCheckpointBody, parseVerifierKey } from './note.js';
import { createLedgerKey } from './signing-key.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function signer(name: string) {
  const dir = await mkdtemp(join(tmpdir(), 'custos-note-'));
  dirs.push(dir);
  return createLedgerKey(join(dir, 'k.pem'), join(dir, 'k.pub'), name);
}

describe('signed checkpoints (C2SP signed-note, tlog-checkpoint)', () => {
  it('round-trips: the verifier key opens the note and the body parses back to origin, size and root', async () => {
    const s = await signer('bank.example/custos');
    const root = leafHash('x');
    const note = checkpointNote(s, 'bank.example/custos', 42, root);
    expect(note).toMatch(/^bank\.example\/custos\n42\n[A-Za-z0-9+/]{43}=\n\n\u2014 bank\.example\/custos [A-Za-z0-9+/]+=*\n$/);
    const key = parseVerifierKey(s.verifierKey())!;
    const opened = openNote(note, key);
    expect(opened.ok).toBe(true);
    const body = parseCheckpointBody(opened.ok ? opened.body : '')!;
    expect(body.origin).toBe('bank.example/custos');
    expect(body.size).toBe(42);
    expect(body.root.equals(root)).toBe(true);
  });

  it('refuses a changed body, another key of the same name, and a malformed verifier key', async () => {
    const s = await signer('custos.local/ledger');
    const note = checkpointNote(s, 'custos.local/ledger', 7, leafHash('a'));
    const key = parseVerifierKey(s.verifierKey())!;
    expect(openNote(note.replace('\n7\n', '\n8\n'), key)).toEqual({ ok: false, reason: 'bad signature' });
    const other = await signer('custos.local/ledger');
    expect(openNote(note, parseVerifierKey(other.verifierKey())!)).toMatchObject({ ok: false });
    expect(parseVerifierKey(s.verifierKey().replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toBeUndefined();
    const { publicKey } = generateKeyPairSync('ed25519');
    expect(parseVerifierKey(`x+deadbeef+${publicKey.export({ format: 'der', type: 'spki' }).toString('base64')}`)).toBeUndefined();
  });

  it('reads verifier keys whose base64 key data contains "+"', () => {
    let seen = 0;
    for (let i = 0; i < 200 && seen < 3; i++) {
      const { publicKey } = generateKeyPairSync('ed25519');
      const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
      const data = Buffer.concat([Buffer.from([1]), raw]).toString('base64');
      if (!data.includes('+')) continue;
      seen++;
      const line = `k.example/log+${keyHashOf('k.example/log', raw).toString('hex')}+${data}`;
      expect(parseVerifierKey(line)?.publicKey.equals(raw)).toBe(true);
    }
    expect(seen).toBe(3);
  });

  it('parses only well-formed checkpoint bodies', () => {
    expect(parseCheckpointBody('o\n01\nAAAA\n')).toBeUndefined();
    expect(parseCheckpointBody('o\n1\n' + Buffer.alloc(31).toString('base64') + '\n')).toBeUndefined();
    expect(parseCheckpointBody('o\n1\n' + Buffer.alloc(32).toString('base64'))).toBeUndefined();
    expect(parseCheckpointBody('o\n1\n' + Buffer.alloc(32).toString('base64') + '\n')).toMatchObject({ origin: 'o', size: 1 });
  });
});
