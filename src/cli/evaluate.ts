import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CustosError } from '../core/errors.js';
import { formatScorecard, scoreAlerts, SEVERITIES, type Alert, type Severity, type TruthLike } from '../detect/index.js';

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new CustosError('CUSTOS_EVALUATE_NO_FILE', 400, `Cannot read ${file}.`);
  }
}

/** `custos evaluate`: the detection scorecard of alerts against a simulated world's truth. */
export function register(program: Command): void {
  program
    .command('evaluate')
    .description('score alerts against truth.json: detected, time to detect, false-alarm person-days per 1,000')
    .requiredOption('--truth <file>', 'truth.json')
    .requiredOption('--alerts <file>', 'alerts.jsonl')
    .option('--min-severity <level>', 'count only alerts of this severity or above', 'low')
    .option('--json', 'print the scorecard as JSON')
    .action((o: { truth: string; alerts: string; minSeverity: string; json?: boolean }) => {
      if (!(SEVERITIES as readonly string[]).includes(o.minSeverity)) throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, `--min-severity must be one of ${SEVERITIES.join(', ')}.`);
      let truth: TruthLike;
      let alerts: Alert[];
      try {
        truth = JSON.parse(read(o.truth)) as TruthLike;
        alerts = read(o.alerts).split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as Alert);
      } catch (e) {
        if (e instanceof CustosError) throw e;
        throw new CustosError('CUSTOS_EVALUATE_BAD_JSON', 400, 'The truth or alerts file is not valid JSON (JSON Lines for alerts).');
      }
      if (!Array.isArray(truth.insiders) || typeof truth.worked !== 'object') throw new CustosError('CUSTOS_EVALUATE_BAD_TRUTH', 400, 'The truth file lacks insiders or worked days; use one written by `custos simulate`.');
      const card = scoreAlerts(truth, alerts, { minSeverity: o.minSeverity as Severity });
      process.stdout.write(o.json === true ? `${JSON.stringify(card, null, 2)}\n` : formatScorecard(card));
    });
}
