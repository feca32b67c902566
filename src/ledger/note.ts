import { createHash, createPublicKey, verify } from 'node:crypto';

/**
 * C2SP signed notes (Ed25519) and C2SP tlog-checkpoint bodies. Pure functions: formatting, parsing and
 * signature checks, with nothing but a verifier key.
 */

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const SIG_ALG_ED25519 = 0x01;
const KEY_NAME = /^[\x21-\x2a\x2c-\x7e]+$/;

/** A parsed verifier key: `<name>+<hex keyhash>+<base64(0x01 ‖ public key)>`. */
export interface VerifierKey {
  readonly name: string;
  readonly keyHash: Buffer;
  readonly publicKey: Buffer;
}

/** The 4-byte key hash of a signed-note Ed25519 key: SHA-256(name ‖ "\n" ‖ 0x01 ‖ key)[0:4]. */
export function keyHashOf(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(`${name}\n`)
    .update(Buffer.from([SIG_ALG_ED25519]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

/** Parses a verifier key line, or undefined when it is malformed or its key hash does not match. */
export function parseVerifierKey(text: string): VerifierKey | undefined {
  // The key data is standard base64 and may itself contain '+': split at the first two only.
  const line = text.trim();
  const a = line.indexOf('+');
  const b = a < 0 ? -1 : line.indexOf('+', a + 1);
  if (b < 0) return undefined;
  const [name, hashHex, keyB64] = [line.slice(0, a), line.slice(a + 1, b), line.slice(b + 1)];
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(keyB64)) return undefined;
  if (!KEY_NAME.test(name) || !/^[0-9a-f]{8}$/.test(hashHex)) return undefined;
  const key = Buffer.from(keyB64, 'base64');
  if (key.length !== 33 || key[0] !== SIG_ALG_ED25519) return undefined;
  const publicKey = key.subarray(1);
  const keyHash = Buffer.from(hashHex, 'hex');
  return keyHashOf(name, publicKey).equals(keyHash) ? { name, keyHash, publicKey } : undefined;
}

/** The C2SP tlog-checkpoint body: origin, decimal size, base64 root hash, each line ending in "\n". */
export function checkpointBody(origin: string, size: number, root: Buffer): string {
  return `${origin}\n${size}\n${root.toString('base64')}\n`;
}

/** A checkpoint body as read back. */
export interface CheckpointBody {
  readonly origin: string;
  readonly size: number;
  readonly root: Buffer;
}

export function parseCheckpointBody(body: string): CheckpointBody | undefined {
  const lines = body.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') return undefined;
  const [origin, sizeText, rootText] = lines as [string, string, string];
  if (origin === '' || !/^(0|[1-9][0-9]*)$/.test(sizeText)) return undefined;
  const root = Buffer.from(rootText, 'base64');
  if (root.length !== 32 || root.toString('base64') !== rootText) return undefined;
  const size = Number(sizeText);
  return Number.isSafeInteger(size) ? { origin, size, root } : undefined;
}

/** Signs a note body (ending in "\n") into a signed note: body, blank line, `— <name> <base64(keyhash ‖ sig)>`. */
export function signNote(body: string, name: string, keyHash: Buffer, sign: (m: Buffer) => Buffer): string {
  const sig = sign(Buffer.from(body, 'utf8'));
  return `${body}\n\u2014 ${name} ${Buffer.concat([keyHash, sig]).toString('base64')}\n`;
}

export type NoteCheck = { readonly ok: true; readonly body: string } | { readonly ok: false; readonly reason: string };

/** Checks that a signed note carries a valid signature by `key`; returns its body. */
export function openNote(note: string, key: VerifierKey): NoteCheck {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) return { ok: false, reason: 'not a signed note' };
  const body = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  const pub = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, key.publicKey]), format: 'der', type: 'spki' });
  let sawName = false;
  for (const line of lines) {
    const m = /^\u2014 (\S+) ([A-Za-z0-9+/=]+)$/.exec(line);
    if (!m) return { ok: false, reason: 'malformed signature line' };
    if (m[1] !== key.name) continue;
    const raw = Buffer.from(m[2]!, 'base64');
    if (raw.length !== 68 || !raw.subarray(0, 4).equals(key.keyHash)) {
      sawName = true;
      continue;
    }
    if (verify(null, Buffer.from(body, 'utf8'), pub, raw.subarray(4))) return { ok: true, body };
    return { ok: false, reason: 'bad signature' };
  }
  return { ok: false, reason: sawName ? 'signed by another key of the same name (replaced key)' : 'no signature by the given key' };
}
