import type { Command } from 'commander';
import { loadConfig, type CustosConfig, type Runtime } from '../server/index.js';

/** Adds `--data DIR` (default: $CUSTOS_DATA or ./data) to a verb. */
export function withDataOption(cmd: Command): Command {
  return cmd.option('--data <dir>', 'data directory (default: $CUSTOS_DATA or ./data)');
}

/** The configuration for a CLI verb: the environment, with `--data` taking precedence. */
export function configFor(opts: { data?: string }): CustosConfig {
  return loadConfig({ ...process.env, ...(opts.data !== undefined ? { CUSTOS_DATA: opts.data } : {}) });
}

/** Puts an administrator's command-line action on the ledger (actor `cli`); ids only in `detail`, never personal values. */
export async function recordAdminAction(rt: Runtime, detail: Record<string, unknown> & { kind: string }, subjects: readonly string[] = []): Promise<void> {
  await rt.ledger.append({
    id: rt.ids.next('e'),
    time: rt.clock.now().toISOString(),
    actor: 'cli',
    action: 'admin',
    system: 'custos-cli',
    subjects: [...subjects],
    fields: [],
    outcome: 'allowed',
    detail,
  });
}
