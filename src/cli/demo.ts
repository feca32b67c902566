import type { Command } from 'commander';
import { CustosError } from '../core/errors.js';
import { openRuntime } from '../server/index.js';
import { configFor, withDataOption } from './options.js';

/** `custos demo`: generates the demo company into a (new) data directory without starting the server. */
export function register(program: Command): void {
  withDataOption(program.command('demo').description('generate the demo company (staff, customers, assignments, tickets, logins)'))
    .option('--customers <n>', 'number of customers', '100000')
    .option('--staff <n>', 'number of staff', '300')
    .option('--seed <seed>', 'seed: the same seed gives the same company (passwords are always random)', 'custos-demo')
    .action(async (opts: { data?: string; customers: string; staff: string; seed: string }) => {
      const base = configFor(opts);
      const customers = Number(opts.customers);
      const staff = Number(opts.staff);
      if (!Number.isInteger(customers) || customers < 1 || customers > 50_000_000) {
        throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, '--customers must be a whole number from 1 to 50,000,000.');
      }
      if (!Number.isInteger(staff) || staff < 6 || staff > 100_000) {
        throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, '--staff must be a whole number from 6 to 100,000.');
      }
      const config = { ...base, demo: { enabled: true, customers, staff, seed: opts.seed } };
      const rt = await openRuntime(config, { onProgress: (m) => process.stderr.write(`${m}\n`) });
      try {
        if (rt.demoCredentialsFile === undefined) {
          throw new CustosError('CUSTOS_DEMO_EXISTS', 409, `The data directory ${config.dataDir} already holds a demo company; use a new --data directory.`);
        }
        process.stdout.write(`demo company written to ${config.dataDir}; credentials in ${rt.demoCredentialsFile}\n`);
      } finally {
        await rt.close();
      }
    });
}
