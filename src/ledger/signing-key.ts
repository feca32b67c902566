import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CustosError } from '../core/errors.js';

/** An Ed25519 signing key with its C2SP signed-note name and key hash. */
export interface LedgerSigner {
  readonly name: string;
  /** 4-byte key hash: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[0:4]. */
  readonly keyHash: Buffer;
  readonly publicKey: Buffer;
  sign(message: Buffer): Buffer;
  /** The verifier key in signed-note form: `<name>+<hex keyhash>+<base64(0x01 ‖ public key)>`. */
  verifierKey(): string;
}

const KEY_NAME = /^[\x21-\x2a\x2c-\x7e]+$/; // printable ASCII without '+' or spaces (signed-note key names)

function rawPublicKey(pub: KeyObject): Buffer {
  const der = pub.export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

function signerFrom(privateKey: KeyObject, name: string): LedgerSigner {
  if (!KEY_NAME.test(name)) throw new CustosError('CUSTOS_LEDGER_KEY_NAME', 500, 'A ledger key name is printable ASCII without spaces or "+".');
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new CustosError('CUSTOS_LEDGER_KEY_INVALID', 500, 'The ledger key must be an Ed25519 private key (PKCS#8 PEM).');
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  const keyHash = createHash('sha256').update(Buffer.concat([Buffer.from(`${name}\n`), Buffer.from([0x01]), publicKey])).digest().subarray(0, 4);
  return {
    name,
    keyHash,
    publicKey,
    sign: (message) => sign(null, message, privateKey),
    verifierKey: () => `${name}+${keyHash.toString('hex')}+${Buffer.concat([Buffer.from([0x01]), publicKey]).toString('base64')}`,
  };
}

/**
 * Server mode: loads a configured Ed25519 key (PKCS#8 PEM). It must exist: server mode never makes secrets.
 * @example const signer = await loadLedgerKey('/etc/custos/ledger-key.pem', 'bank.example/custos');
 */
export async function loadLedgerKey(file: string, name: string): Promise<LedgerSigner> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch {
    throw new CustosError('CUSTOS_LEDGER_KEY_MISSING', 500, `The ledger key file ${file} cannot be read. Create it with \`custos keygen --out FILE\`.`);
  }
  try {
    return signerFrom(createPrivateKey(pem), name);
  } catch (e) {
    if (e instanceof CustosError) throw e;
    throw new CustosError('CUSTOS_LEDGER_KEY_INVALID', 500, `The ledger key file ${file} is not an Ed25519 private key in PKCS#8 PEM.`);
  }
}

/**
 * Writes a new Ed25519 ledger key to `file` (PKCS#8 PEM, mode 0600; never overwrites an existing file) and
 * its verifier key to `publicKeyFile`, which is what auditors and `custos ledger verify --key` use.
 * @example await createLedgerKey('/etc/custos/ledger-key.pem', '/etc/custos/ledger-key.pub', 'bank.example/custos');
 */
export async function createLedgerKey(file: string, publicKeyFile: string, name: string): Promise<LedgerSigner> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync('ed25519');
  try {
    await writeFile(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new CustosError('CUSTOS_LEDGER_KEY_EXISTS', 409, `The file ${file} already exists; a ledger key is never overwritten. Choose another path.`);
    }
    throw e;
  }
  await chmod(file, 0o600);
  const signer = signerFrom(privateKey, name);
  await writeFile(publicKeyFile, `${signer.verifierKey()}\n`);
  return signer;
}

/**
 * Embedded mode: loads `<dir>/ledger-key.pem`, or generates it (mode 0600) with `<dir>/ledger-key.pub`
 * holding the verifier key, and says whether it did.
 */
export async function loadOrCreateLedgerKey(dir: string, name: string): Promise<{ signer: LedgerSigner; publicKeyFile: string; created: boolean }> {
  const file = join(dir, 'ledger-key.pem');
  const publicKeyFile = join(dir, 'ledger-key.pub');
  if (!existsSync(file)) return { signer: await createLedgerKey(file, publicKeyFile, name), publicKeyFile, created: true };
  const signer = await loadLedgerKey(file, name);
  if (!existsSync(publicKeyFile)) await writeFile(publicKeyFile, `${signer.verifierKey()}\n`);
  return { signer, publicKeyFile, created: false };
}
