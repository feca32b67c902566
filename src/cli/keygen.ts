import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createLedgerKey } from '../ledger/index.js';

/**
 * `custos keygen --out FILE [--name ORIGIN]`: a new Ed25519 ledger signing key for server mode
 * (`CUSTOS_LEDGER_KEY=FILE`). Writes FILE (0600) and FILE.pub (the verifier key to give to auditors).
 */
export function register(program: Command): void {
  program
    .command('keygen')
    .description('create a new Ed25519 ledger signing key (never overwrites an existing file)')
    .requiredOption('--out <file>', 'where to write the private key (PKCS#8 PEM, mode 0600); the verifier key goes to <file>.pub')
    .option('--name <origin>', 'key name: the ledger origin it signs for ($CUSTOS_LEDGER_ORIGIN)', process.env['CUSTOS_LEDGER_ORIGIN'] ?? 'custos.local/ledger')
    .action(async (opts: { out: string; name: string }) => {
      const file = resolve(opts.out);
      const signer = await createLedgerKey(file, `${file}.pub`, opts.name);
      process.stdout.write(`ledger key written to ${file} (keep it secret; set CUSTOS_LEDGER_KEY=${file})\n`);
      process.stdout.write(`verifier key in ${file}.pub: ${signer.verifierKey()}\n`);
    });
}
