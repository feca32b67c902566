/**
 * Detection replay, all from the same events file in the same process, rounds interleaved so that a noisy
 * machine hits every figure alike: a bare line split, a bare JSON-lines parse (the baseline: chunks decoded,
 * lines cut, `JSON.parse` each), the event reader alone (readEventBatches), a file replay with all detectors
 * on (reader + `pushAt` + flush: the target figure), the detectors alone on events already read, the replay as
 * it was before the event reader (`JSON.parse` + `push`), the one-off
 * cost of indexing the org, and memory per active person (heap after a full GC with the detector's state,
 * minus the heap before it, over the people it holds). Each figure is given as a median over the rounds, in
 * wall-clock time and in the process's own CPU time (on a shared machine the second is the fairer measure of
 * what one core does), with its ratio to the bare parse of the same rounds. The events the detectors-alone
 * figure needs in memory are read just before that run (untimed) and let go after it, so that no other figure is
 * measured with them on the heap.
 */
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createDetector, indexOrg, readEventBatches, type Detector } from '../src/detect/index.js';
import type { AccessEvent } from '../src/ledger/index.js';
import { simulateWorld } from '../src/sim/index.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const RUNS = 5;
const CHUNK = 1 << 20;

/** A full garbage collection: `global.gc` under --expose-gc, else the same function obtained at run time. */
function collector(): () => void {
  if (typeof global.gc === 'function') return () => global.gc!();
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Runs `f` once; returns [wall ms, cpu ms]. */
async function timed(f: () => Promise<void>): Promise<[number, number]> {
  const w = performance.now();
  const c = cpuMs();
  await f();
  return [performance.now() - w, cpuMs() - c];
}

/** Lines of a file, cut by hand from its chunks (the part every reader shares). */
async function splitLines(file: string): Promise<number> {
  let n = 0;
  let rest: Buffer | undefined;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
    const bytes = rest !== undefined ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    const last = bytes.lastIndexOf(10);
    for (let from = 0; from <= last; ) {
      const nl = bytes.indexOf(10, from);
      if (nl > from) n++;
      from = nl + 1;
    }
    rest = last + 1 < bytes.length ? bytes.subarray(last + 1) : undefined;
  }
  return n;
}

/**
 * A bare JSON-lines parse: chunks decoded as UTF-8, lines cut, JSON.parse each (no validation, no await per
 * line); each event goes to `use` when given (the replay path before the event reader: parse, then `push`).
 */
async function parseLines(file: string, use?: (e: AccessEvent) => void): Promise<number> {
  let n = 0;
  let rest = '';
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: CHUNK })) {
    const text = rest + (chunk as string);
    let from = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      if (nl > from) {
        const e = JSON.parse(text.slice(from, nl)) as AccessEvent;
        if (e.id.length > 0) n++;
        use?.(e);
      }
      from = nl + 1;
    }
    rest = text.slice(from);
  }
  return n;
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
    const org0 = indexOrg(world.org);
    // Events read ahead for the figures that need them in memory (detectors alone, memory per person): read
    // before those runs (untimed) and let go after them, so that the file-reading figures are not measured with
    // a third of a million events on the heap (`custos detect` never holds them; a large old generation made
    // every collection dearer and cost the reader about a fifth of its speed in this process).
    let events: AccessEvent[] = [];
    let times: number[] = [];
    const readAhead = async (): Promise<void> => {
      events = [];
      times = [];
      for await (const batch of readEventBatches(file)) {
        for (let i = 0; i < batch.events.length; i++) {
          events.push(batch.events[i]!);
          times.push(batch.times[i]!);
        }
      }
    };
    const names = [
      'bare line split', 'bare JSON-lines parse (baseline)', 'event reader alone', 'file replay, all detectors on (target)',
      'detectors alone (events already read)', 'JSON.parse + push (the replay before the reader)',
    ] as const;
    const wall: number[][] = names.map(() => []);
    const cpu: number[][] = names.map(() => []);
    const indexMs: number[] = [];
    let alerts = 0;
    let counted = 0;
    const check = (k: number): void => {
      if (k !== n) throw new Error(`read ${k} events of ${n}`);
    };
    const gc = collector();
    /** The run that needs the events in memory (detectors alone). */
    const AHEAD = 4;
    const runs: (() => Promise<void>)[] = [
      async () => check(await splitLines(file)),
      async () => check(await parseLines(file)),
      async () => {
        let k = 0;
        for await (const batch of readEventBatches(file)) for (const e of batch.events) if (e.id.length > 0) k++;
        check(k);
      },
      async () => {
        const d = createDetector({ org: org0 });
        let k = 0;
        for await (const batch of readEventBatches(file)) {
          for (let i = 0; i < batch.events.length; i++) counted += d.pushAt(batch.events[i]!, batch.times[i]!).alerts.length;
          k += batch.events.length;
        }
        counted += d.flush().alerts.length;
        check(k);
      },
      () => {
        const d = createDetector({ org: org0 });
        alerts = 0;
        for (let i = 0; i < events.length; i++) alerts += d.pushAt(events[i]!, times[i]!).alerts.length;
        alerts += d.flush().alerts.length;
        check(events.length);
        return Promise.resolve();
      },
      async () => {
        const d = createDetector({ org: org0 });
        check(await parseLines(file, (e) => (counted += d.push(e).alerts.length)));
        counted += d.flush().alerts.length;
      },
    ];
    for (let r = 0; r < RUNS; r++) {
      const t = performance.now();
      indexOrg(world.org);
      indexMs.push(performance.now() - t);
      for (let k = 0; k < runs.length; k++) {
        if (k === AHEAD) await readAhead();
        const [w, c] = await timed(runs[k]!);
        if (k === AHEAD) {
          events = [];
          times = [];
          gc(); // untimed: the next run does not pay for collecting them
        }
        wall[k]!.push(n / (w / 1000));
        cpu[k]!.push(n / (c / 1000));
      }
    }
    if (counted !== 2 * alerts * RUNS) throw new Error('the replay and the detectors alone raised different alerts');
    // Memory per active person: the org index and the parsed events are alive in both measurements.
    await readAhead();
    gc();
    const base = process.memoryUsage().heapUsed;
    const d: Detector = createDetector({ org: org0 });
    for (let i = 0; i < events.length; i++) d.pushAt(events[i]!, times[i]!);
    d.flush();
    gc();
    const perPerson = (process.memoryUsage().heapUsed - base) / d.people;
    const fmt = (x: number): string => Math.round(x).toLocaleString('en').padStart(10);
    let out = `events: ${n} (30 days, 300 staff, 100,000 customers; ${world.org.tickets.length} tickets), ${alerts} alerts; median of ${RUNS} rounds, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`;
    out += `index org (once per replay): ${median(indexMs).toFixed(0)} ms\n`;
    out += `${'events/s'.padStart(52)}${'wall'.padStart(10)} (ratio)${'cpu'.padStart(10)} (ratio)\n`;
    const baseWall = median(wall[1]!);
    const baseCpu = median(cpu[1]!);
    names.forEach((name, k) => {
      const w = median(wall[k]!);
      const c = median(cpu[k]!);
      out += `${name.padEnd(52)}${fmt(w)} (${(w / baseWall).toFixed(2)})${fmt(c)} (${(c / baseCpu).toFixed(2)})\n`;
    });
    out += `memory per active person: ${(perPerson / 1024).toFixed(1)} KiB over ${d.people} people (heap after full GC, detector state only)\n`;
    process.stdout.write(out);
    // Keep the events alive until after the last measurement.
    if (events.length !== n) throw new Error('events lost');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
