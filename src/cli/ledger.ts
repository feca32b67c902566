import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CustosError } from '../core/errors.js';
import { exportBundle, verifyEvidence, type EventQuery } from '../ledger/index.js';
import { openRuntime, type Runtime } from '../server/index.js';
import { configFor, recordAdminAction, withDataOption } from './options.js';

const say = (m: string): void => {
  process.stdout.write(`${m}\n`);
};

async function withLedger<T>(opts: { data?: string }, work: (rt: Runtime) => Promise<T>): Promise<T> {
  const config = configFor(opts);
  const rt = await openRuntime({ ...config, demo: { ...config.demo, enabled: false } });
  try {
    return await work(rt);
  } finally {
    await rt.close();
  }
}

async function readKey(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, `Cannot read the verifier key file ${file}.`);
  }
}

function wholeNumber(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{1,15}$/.test(text)) throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, `--${name} must be a whole number.`);
  return Number(text);
}

function isoTime(name: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const d = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(d.getTime())) throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, `--${name} must be an ISO-8601 date or time.`);
  return d.toISOString();
}

/** `custos ledger verify|checkpoint|proof|export`: the ledger's own tools. */
export function register(program: Command): void {
  const ledger = program.command('ledger').description('verify the ledger, export evidence, print checkpoints and proofs');

  withDataOption(ledger.command('verify').argument('[bundle]', 'an evidence bundle to verify offline instead of a data directory'))
    .description('recompute every hash and check the stored tree, the signed checkpoint and proofs; exits 1 naming the first bad index')
    .requiredOption('--key <file>', 'the verifier key (ledger-key.pub)')
    .action(async (bundleFile: string | undefined, opts: { data?: string; key: string }) => {
      const key = await readKey(opts.key);
      if (bundleFile !== undefined) {
        let bundle: unknown;
        try {
          bundle = JSON.parse(await readFile(bundleFile, 'utf8'));
        } catch {
          throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, `${bundleFile} is not a readable JSON file.`);
        }
        const r = verifyEvidence(bundle, key);
        if (r.ok) say(`ok: ${r.entries} entries proven in the signed tree of ${r.size}`);
        else {
          say(`FAILED${r.index !== undefined ? ` at index ${r.index}` : ''}: ${r.reason}`);
          process.exitCode = 1;
        }
        return;
      }
      await withLedger(opts, async (rt) => {
        const r = await rt.ledger.verify(key);
        if (r.ok) say(`ok: ${r.size} entries, root ${r.root}`);
        else {
          say(`FAILED at index ${r.index}: ${r.reason}`);
          process.exitCode = 1;
        }
      });
    });

  withDataOption(ledger.command('checkpoint'))
    .description('sign and print a checkpoint of the current ledger (C2SP signed note)')
    .action(async (opts: { data?: string }) => {
      await withLedger(opts, async (rt) => {
        process.stdout.write((await rt.ledger.checkpoint()).note);
      });
    });

  withDataOption(ledger.command('proof'))
    .description('print the inclusion proof of one entry (JSON)')
    .requiredOption('--index <n>', 'entry index')
    .option('--size <n>', 'tree size (default: current)')
    .action(async (opts: { data?: string; index: string; size?: string }) => {
      const index = wholeNumber('index', opts.index)!;
      const size = wholeNumber('size', opts.size);
      await withLedger(opts, async (rt) => {
        say(JSON.stringify(await rt.ledger.inclusionProof(index, size)));
      });
    });

  withDataOption(ledger.command('export'))
    .description('write an evidence bundle: a signed checkpoint and the selected entries with inclusion proofs')
    .option('--subject <id>', 'entries about this customer')
    .option('--actor <id>', 'entries by this person')
    .option('--from <time>', 'from this time (ISO-8601)')
    .option('--to <time>', 'up to this time (ISO-8601)')
    .requiredOption('--out <file>', 'bundle file to write')
    .action(async (opts: { data?: string; subject?: string; actor?: string; from?: string; to?: string; out: string }) => {
      const from = isoTime('from', opts.from);
      const to = isoTime('to', opts.to);
      if (opts.subject === undefined && opts.actor === undefined && from === undefined && to === undefined) {
        throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, 'Say what to export: --subject, --actor, or --from/--to.');
      }
      for (const [k, v] of [['subject', opts.subject], ['actor', opts.actor]] as const) {
        if (v !== undefined && !/^[A-Za-z0-9._:@-]{1,128}$/.test(v)) throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, `--${k} must be an id.`);
      }
      const query: EventQuery = {
        ...(opts.subject !== undefined ? { subject: opts.subject } : {}),
        ...(opts.actor !== undefined ? { actor: opts.actor } : {}),
        ...(from !== undefined ? { from } : {}),
        ...(to !== undefined ? { to } : {}),
      };
      await withLedger(opts, async (rt) => {
        // Exporting evidence is an administrator's act: it goes on the ledger first.
        await recordAdminAction(rt, { kind: 'ledger.export', ...query }, opts.subject !== undefined ? [opts.subject] : []);
        const bundle = await exportBundle(rt.ledger, query);
        await writeFile(opts.out, `${JSON.stringify(bundle, null, 2)}\n`, { mode: 0o600 });
        say(`wrote ${bundle.entries.length} entries to ${opts.out}`);
      });
    });
}
