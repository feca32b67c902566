import type { Command } from 'commander';
import { CustosError } from '../core/errors.js';
import { openRuntime } from '../server/index.js';
import { configFor, recordAdminAction, withDataOption } from './options.js';

/**
 * `custos token create --user ID --label TEXT`: an API token for an application acting as that person.
 * `custos token create --integration NAME`: a token for an outside system that sends access events
 * (POST /api/v1/events); its integration account is created on first use.
 */
export function register(program: Command): void {
  const token = program.command('token').description('API tokens for applications');
  withDataOption(token.command('create').description('create an API token; it is printed once and stored only as a hash'))
    .option('--user <id>', 'staff id the token acts as')
    .option('--integration <name>', 'an outside system that sends access events (account created on first use)')
    .option('--label <text>', 'what the token is for', 'application')
    .action(async (opts: { data?: string; user?: string; integration?: string; label: string }) => {
      if ((opts.user === undefined) === (opts.integration === undefined)) {
        throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, 'Give exactly one of --user ID or --integration NAME.');
      }
      if (opts.integration !== undefined && !/^[a-z][a-z0-9._-]{1,63}$/.test(opts.integration)) {
        throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, 'An integration name is 2-64 characters of a-z, 0-9, dot, underscore and dash, starting with a letter.');
      }
      const config = configFor(opts);
      const rt = await openRuntime({ ...config, demo: { ...config.demo, enabled: false } });
      try {
        let staff;
        try {
          staff = opts.integration !== undefined ? await rt.identity.ensureIntegration(opts.integration) : await rt.identity.findStaff(opts.user!);
        } catch {
          throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, `${opts.integration ?? ''} is a person's account; choose another integration name.`);
        }
        if (!staff) throw new CustosError('CUSTOS_STAFF_NOT_FOUND', 404, `No staff member has the id ${opts.user ?? ''}.`);
        const created = await rt.identity.createApiToken(staff.id, opts.label);
        await recordAdminAction(rt, { kind: 'token.create', token: created.id, staff: staff.id });
        process.stdout.write(`${created.token}\n`);
      } finally {
        await rt.close();
      }
    });
}
