import type { Command } from 'commander';
import { loadConfig, type CustosConfig } from '../server/index.js';

/** Adds `--data DIR` (default: $CUSTOS_DATA or ./data) to a verb. */
export function withDataOption(cmd: Command): Command {
  return cmd.option('--data <dir>', 'data directory (default: $CUSTOS_DATA or ./data)');
}

/** The configuration for a CLI verb: the environment, with `--data` taking precedence. */
export function configFor(opts: { data?: string }): CustosConfig {
  return loadConfig({ ...process.env, ...(opts.data !== undefined ? { CUSTOS_DATA: opts.data } : {}) });
}
