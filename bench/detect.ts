/**
 * Detection replay: events/s through all detectors vs a bare JSON-lines parse of the same file (median of
 * several runs, same process), push-only throughput on parsed events, and memory per active person.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDetector, readEvents } from '../src/detect/index.js';
import type { AccessEvent } from '../src/ledger/index.js';
import { simulateWorld } from '../src/sim/index.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-detect-'));
  try {
    const lines: string[] = [];
    const world = simulateWorld({ days: 30, staff: 300, customers: 100_000, seed: 'bench' }, { write: (e) => lines.push(JSON.stringify(e)) });
    const file = join(dir, 'events.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const n = lines.length;
    lines.length = 0;
    const parse: number[] = [];
    const replay: number[] = [];
    const pushOnly: number[] = [];
    const parsed: AccessEvent[] = [];
    for await (const e of readEvents(file)) parsed.push(e);
    for (let r = 0; r < 5; r++) {
      let t = performance.now();
      let k = 0;
      for await (const e of readEvents(file)) if (e.id.length > 0) k++;
      parse.push(k / ((performance.now() - t) / 1000));
      t = performance.now();
      const d = createDetector({ org: world.org });
      for await (const e of readEvents(file)) d.push(e);
      d.flush();
      replay.push(n / ((performance.now() - t) / 1000));
      t = performance.now();
      const d2 = createDetector({ org: world.org });
      for (const e of parsed) d2.push(e);
      pushOnly.push(n / ((performance.now() - t) / 1000));
    }
    // Memory per active person: heap after replay minus heap with the org indexed only.
    global.gc?.();
    const base = process.memoryUsage().heapUsed;
    const d = createDetector({ org: world.org });
    for (const e of parsed) d.push(e);
    global.gc?.();
    const perPerson = (process.memoryUsage().heapUsed - base) / d.people;
    const p = median(parse);
    const r = median(replay);
    const q = median(pushOnly);
    process.stdout.write(
      `events: ${n} (30 days, 300 staff, 100,000 customers)\n` +
        `bare JSON-lines parse: ${Math.round(p).toLocaleString('en')} events/s (baseline)\n` +
        `parse + all detectors: ${Math.round(r).toLocaleString('en')} events/s (ratio ${(r / p).toFixed(2)})\n` +
        `detectors alone (push on parsed events): ${Math.round(q).toLocaleString('en')} events/s (ratio ${(q / p).toFixed(2)})\n` +
        `memory per active person: ${Math.round(perPerson / 1024)} KiB over ${d.people} people${global.gc === undefined ? ' (run with --expose-gc for a steadier figure)' : ''}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
