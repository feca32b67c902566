import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CustosError } from '../core/errors.js';
import { simulateWorld } from '../sim/index.js';

function whole(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, `--${name} must be a whole number.`);
  return n;
}

function share(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!(n >= 0 && n <= 10)) throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, `--${name} must be a number from 0 to 10.`);
  return n;
}

/** `custos simulate`: writes org.json, events.jsonl and truth.json of a simulated company with insiders. */
export function register(program: Command): void {
  program
    .command('simulate')
    .description('simulate a company with insiders: org.json, events.jsonl (time order) and truth.json')
    .option('--days <n>', 'days to simulate', '90')
    .option('--staff <n>', 'number of staff', '300')
    .option('--customers <n>', 'number of customers', '100000')
    .option('--seed <seed>', 'seed: the same seed gives the same world', 'custos')
    .option('--start <date>', 'first local date (YYYY-MM-DD)', '2026-01-05')
    .requiredOption('--out <dir>', 'output directory')
    .option('--volume <x>', 'multiplier of normal work volume')
    .option('--late-tickets <p>', 'share of lookups made before their ticket exists')
    .option('--no-ticket <p>', 'share of lookups with no ticket at all')
    .option('--campaigns <p>', 'chance of a team campaign per weekday')
    .option('--incidents <p>', 'chance of night incident work per engineer and day')
    .option('--insiders-per-cell <n>', 'insiders per scenario and intensity (0 for an innocent world)')
    .action((o: Record<string, string | undefined>) => {
      mkdirSync(o['out']!, { recursive: true });
      const fd = openSync(join(o['out']!, 'events.jsonl'), 'w');
      let buf = '';
      try {
        const result = simulateWorld(
          {
            days: whole('days', o['days']!), staff: whole('staff', o['staff']!), customers: whole('customers', o['customers']!), seed: o['seed']!, start: o['start']!,
            ...(o['volume'] !== undefined ? { volume: share('volume', o['volume']) } : {}),
            ...(o['lateTickets'] !== undefined ? { lateTickets: share('late-tickets', o['lateTickets']) } : {}),
            ...(o['noTicket'] !== undefined ? { noTicket: share('no-ticket', o['noTicket']) } : {}),
            ...(o['campaigns'] !== undefined ? { campaigns: share('campaigns', o['campaigns']) } : {}),
            ...(o['incidents'] !== undefined ? { incidents: share('incidents', o['incidents']) } : {}),
            ...(o['insidersPerCell'] !== undefined ? { insidersPerCell: whole('insiders-per-cell', o['insidersPerCell']) } : {}),
          },
          {
            write(e) {
              buf += `${JSON.stringify(e)}\n`;
              if (buf.length > 1 << 20) {
                writeSync(fd, buf);
                buf = '';
              }
            },
          },
        );
        writeSync(fd, buf);
        writeFileSync(join(o['out']!, 'org.json'), JSON.stringify(result.org));
        writeFileSync(join(o['out']!, 'truth.json'), JSON.stringify(result.truth));
        process.stdout.write(`${result.events} events, ${result.org.actors.length} staff, ${result.truth.insiders.length} insiders written to ${o['out']!}\n`);
      } finally {
        closeSync(fd);
      }
    });
}
