import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLedgerKey, loadLedgerKey } from './index.js';

describe('ledger signing keys', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('creates a private key only its owner can read, with a matching verifier key, and never overwrites', async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-key-'));
    const file = join(dir, 'k.pem');
    const signer = await createLedgerKey(file, `${file}.pub`, 'bank.example/custos');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const verifier = (await readFile(`${file}.pub`, 'utf8')).trim();
    expect(verifier).toBe(signer.verifierKey());
    expect(verifier).toMatch(/^bank\.example\/custos\+[0-9a-f]{8}\+[A-Za-z0-9+/]+=*$/);
    const loaded = await loadLedgerKey(file, 'bank.example/custos');
    expect(loaded.verifierKey()).toBe(verifier);
    const before = await readFile(file, 'utf8');
    await expect(createLedgerKey(file, `${file}.pub`, 'bank.example/custos')).rejects.toMatchObject({ code: 'CUSTOS_LEDGER_KEY_EXISTS' });
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('refuses a missing or non-Ed25519 key with a code that says what to do', async () => {
    dir = await mkdtemp(join(tmpdir(), 'custos-key-'));
    await expect(loadLedgerKey(join(dir, 'none.pem'), 'x')).rejects.toMatchObject({ code: 'CUSTOS_LEDGER_KEY_MISSING' });
    await writeFile(join(dir, 'bad.pem'), 'not a key');
    await expect(loadLedgerKey(join(dir, 'bad.pem'), 'x')).rejects.toMatchObject({ code: 'CUSTOS_LEDGER_KEY_INVALID' });
  });
});
