import type { Command } from 'commander';
import { CustosError } from '../core/errors.js';
import { openRuntime } from '../server/index.js';
import { configFor, recordAdminAction, withDataOption } from './options.js';

/** `custos token create --user ID --label TEXT`: an API token for an application acting as that person. */
export function register(program: Command): void {
  const token = program.command('token').description('API tokens for applications');
  withDataOption(token.command('create').description('create an API token; it is printed once and stored only as a hash'))
    .requiredOption('--user <id>', 'staff id the token acts as')
    .option('--label <text>', 'what the token is for', 'application')
    .action(async (opts: { data?: string; user: string; label: string }) => {
      const config = configFor(opts);
      const rt = await openRuntime({ ...config, demo: { ...config.demo, enabled: false } });
      try {
        const staff = await rt.identity.findStaff(opts.user);
        if (!staff) throw new CustosError('CUSTOS_STAFF_NOT_FOUND', 404, `No staff member has the id ${opts.user}.`);
        const created = await rt.identity.createApiToken(staff.id, opts.label);
        await recordAdminAction(rt, { kind: 'token.create', token: created.id, staff: staff.id });
        process.stdout.write(`${created.token}\n`);
      } finally {
        await rt.close();
      }
    });
}
