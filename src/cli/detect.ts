import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Command } from 'commander';
import { CustosError } from '../core/errors.js';
import { createDetector, orgSchema, readEventBatches, type Alert } from '../detect/index.js';

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CustosError('CUSTOS_DETECT_NO_FILE', 400, `Cannot read the ${what} file ${file}.`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new CustosError('CUSTOS_DETECT_BAD_JSON', 400, `The ${what} file ${file} is not JSON.`);
  }
}

/** `custos detect`: runs the streaming detectors over an events file and writes alerts as JSON Lines. */
export function register(program: Command): void {
  program
    .command('detect')
    .description('run the detectors over access events (JSON Lines, time order) and write alerts (JSON Lines)')
    .requiredOption('--org <file>', 'org.json')
    .requiredOption('--events <file>', 'events.jsonl')
    .requiredOption('--alerts <file>', 'alerts.jsonl to write')
    .option('--validate', 'check every event against the event contract (slower)')
    .action(async (o: { org: string; events: string; alerts: string; validate?: boolean }) => {
      const parsed = orgSchema.safeParse(readJson(o.org, 'org'));
      if (!parsed.success) throw new CustosError('CUSTOS_DETECT_BAD_ORG', 400, `The org file does not match the org.json contract (${parsed.error.issues[0]?.path.join('.') ?? ''}).`);
      const detector = createDetector({ org: parsed.data });
      const fd = openSync(o.alerts, 'w');
      let count = 0;
      let events = 0;
      const write = (alerts: readonly Alert[]): void => {
        for (const a of alerts) writeSync(fd, `${JSON.stringify(a)}\n`);
        count += alerts.length;
      };
      let last = '';
      try {
        for await (const batch of readEventBatches(o.events, o.validate === true)) {
          for (let i = 0; i < batch.events.length; i++) {
            const e = batch.events[i]!;
            if (e.time < last) throw new CustosError('CUSTOS_DETECT_OUT_OF_ORDER', 400, `Event ${e.id} is earlier than the one before it; sort the events by time.`);
            last = e.time;
            events++;
            const found = detector.pushAt(e, batch.times[i]!);
            if (found.alerts.length > 0) write(found.alerts);
          }
        }
        write(detector.flush().alerts);
      } finally {
        closeSync(fd);
      }
      process.stdout.write(`${events} events, ${count} alerts written to ${o.alerts}\n`);
    });
}
