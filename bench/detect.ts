/**
 * Detection replay: events/s through all detectors vs a bare JSON-lines parse of the same file (median of
 * several runs, same process, runs interleaved so that a noisy machine hits both alike), push-only
 * throughput on parsed events, the one-off cost of indexing the org, and memory per active person (heap
 * after a full GC with the detector's state, minus the heap before it, over the people it holds).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createDetector, indexOrg, readEvents, type Detector } from '../src/detect/index.js';
import type { AccessEvent } from '../src/ledger/index.js';
import { simulateWorld } from '../src/sim/index.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const RUNS = 7;

/** A full garbage collection: `global.gc` under --expose-gc, else the same function obtained at run time. */
function collector(): () => void {
  if (typeof global.gc === 'function') return () => global.gc!();
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

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
    const indexMs: number[] = [];
    const parsed: AccessEvent[] = [];
    for await (const e of readEvents(file)) parsed.push(e);
    let alerts = 0;
    for (let r = 0; r < RUNS; r++) {
      let t = performance.now();
      const org = indexOrg(world.org);
      indexMs.push(performance.now() - t);
      t = performance.now();
      let k = 0;
      for await (const e of readEvents(file)) if (e.id.length > 0) k++;
      parse.push(k / ((performance.now() - t) / 1000));
      t = performance.now();
      const d = createDetector({ org });
      for await (const e of readEvents(file)) d.push(e);
      d.flush();
      replay.push(n / ((performance.now() - t) / 1000));
      t = performance.now();
      const d2 = createDetector({ org });
      alerts = 0;
      for (const e of parsed) alerts += d2.push(e).alerts.length;
      alerts += d2.flush().alerts.length;
      pushOnly.push(n / ((performance.now() - t) / 1000));
    }
    // Memory per active person: the org index and the parsed events are alive in both measurements.
    const gc = collector();
    const org = indexOrg(world.org);
    gc();
    const base = process.memoryUsage().heapUsed;
    const d: Detector = createDetector({ org });
    for (const e of parsed) d.push(e);
    d.flush();
    gc();
    const perPerson = (process.memoryUsage().heapUsed - base) / d.people;
    const p = median(parse);
    const r = median(replay);
    const q = median(pushOnly);
    process.stdout.write(
      `events: ${n} (30 days, 300 staff, 100,000 customers; ${world.org.tickets.length} tickets), ${alerts} alerts; median of ${RUNS} runs\n` +
        `index org (once per replay): ${median(indexMs).toFixed(0)} ms\n` +
        `bare JSON-lines parse: ${Math.round(p).toLocaleString('en')} events/s (baseline)\n` +
        `parse + all detectors: ${Math.round(r).toLocaleString('en')} events/s (ratio ${(r / p).toFixed(2)})\n` +
        `detectors alone (push on parsed events): ${Math.round(q).toLocaleString('en')} events/s (ratio ${(q / p).toFixed(2)})\n` +
        `memory per active person: ${(perPerson / 1024).toFixed(1)} KiB over ${d.people} people (heap after full GC, detector state only)\n`,
    );
    // Keep the events alive until after the last measurement.
    if (parsed.length !== n) throw new Error('events lost');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
