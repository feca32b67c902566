/**
 * Detection replay, all from the same events file in the same process, in two phases of rounds interleaved so
 * that a noisy machine hits every figure of a phase alike. Phase 1 measures what `custos detect` does, in a
 * process that has done nothing else: a bare line split, a bare JSON-lines parse (the baseline: chunks decoded,
 * lines cut, `JSON.parse` each), the event reader alone (readEventBatches), and a file replay with all detectors
 * on (reader + `pushAt` + flush: the target figure). Phase 2, after it, measures the figures that leave the
 * process in a state `custos detect` is never in, each round with a baseline parse of its own: the detectors
 * alone on events already read (a third of a million events held, then let go), the replay as it was before
 * the event reader (`JSON.parse` + `push`: events of JSON.parse's several shapes through the detectors, which
 * makes their property reads polymorphic), and the file replay again after those two. The phases are kept
 * apart so that phase 1 runs in the state `custos detect` runs in; it is not a correction of the earlier,
 * interleaved bench: the same old code measured under both benches gave the same replay figure within the
 * noise (505k, 1.06× against 509k, 1.01×; 519k, 1.04× against 512k, 1.05×; docs/detection.md). Holding the
 * events or pushing JSON.parse's events does cost a replay that comes after it (the "file replay again" row,
 * 0.92–0.98× against 1.01–1.15× in phase 1), and the reader alone a third to two fifths.
 * The phase-1 figures are medians of warm rounds (the process's JIT has run every figure before); `custos
 * detect` runs one cold replay, so the bench also prints the replay's first round and the median of COLD_RUNS
 * replays each in a fresh process (bench-detect-cold.ts; start-up and indexing not included), each against
 * phase 1's warm baseline. Also: the one-off cost of indexing the org, and memory per active person (heap after
 * a full GC with the detector's state, minus the heap before it, over the people it holds). Each figure is a
 * median over the rounds, in wall-clock time and in the process's own CPU time (on a shared machine the second
 * is the fairer measure of what one core does), with its ratio to the bare parse of its phase's rounds.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createDetector, indexOrg, readEventBatches, type Detector } from '../src/detect/index.js';
import type { AccessEvent } from '../src/ledger/index.js';
import { simulateWorld } from '../src/sim/index.js';
import { loaderArgs } from './stats.js';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const RUNS = 5;
/** Fresh processes, one cold replay each (bench-detect-cold.ts). */
const COLD_RUNS = 3;
const CHUNK = 1 << 20;
const COLD_WORKER = join(dirname(fileURLToPath(import.meta.url)), 'bench-detect-cold.ts');

/** One replay of `file` in a fresh process (bench-detect-cold.ts): [wall ms, cpu ms, alerts]. */
function coldReplay(orgFile: string, file: string, dir: string, events: number): [number, number, number] {
  const result = join(dir, 'cold.json');
  const r = spawnSync(process.execPath, [...loaderArgs(), COLD_WORKER, orgFile, file, result], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`cold replay failed (${r.status ?? r.signal})`);
  const got = JSON.parse(readFileSync(result, 'utf8')) as { wall: number; cpu: number; events: number; alerts: number };
  if (got.events !== events) throw new Error(`cold replay read ${got.events} events of ${events}`);
  return [got.wall, got.cpu, got.alerts];
}

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
    const orgFile = join(dir, 'org.json');
    writeFileSync(orgFile, JSON.stringify(world.org));
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
    const gc = collector();
    let alerts = 0;
    let counted = 0;
    const check = (k: number): void => {
      if (k !== n) throw new Error(`read ${k} events of ${n}`);
    };
    const fileReplay = async (): Promise<void> => {
      const d = createDetector({ org: org0 });
      let k = 0;
      for await (const batch of readEventBatches(file)) {
        for (let i = 0; i < batch.events.length; i++) counted += d.pushAt(batch.events[i]!, batch.times[i]!).alerts.length;
        k += batch.events.length;
      }
      counted += d.flush().alerts.length;
      check(k);
    };
    const baseline = async (): Promise<void> => check(await parseLines(file));
    /** A figure: its name, its run, and whether it needs the events in memory (read ahead, untimed, and let go after). */
    interface Figure {
      readonly name: string;
      readonly run: () => Promise<void>;
      readonly ahead?: boolean;
    }
    // Phase 1: what `custos detect` does, in a process that has done nothing else. Phase 2, after it: the figures
    // that leave the process in a state `custos detect` never is in (a third of a million events held and let
    // go; events of JSON.parse's several shapes pushed through the detectors, which makes their property reads
    // polymorphic), each round with its own baseline, and the file replay measured again after them.
    const phases: readonly (readonly Figure[])[] = [
      [
        { name: 'bare line split', run: async () => check(await splitLines(file)) },
        { name: 'bare JSON-lines parse (baseline)', run: baseline },
        {
          name: 'event reader alone',
          run: async () => {
            let k = 0;
            for await (const batch of readEventBatches(file)) for (const e of batch.events) if (e.id.length > 0) k++;
            check(k);
          },
        },
        { name: 'file replay, all detectors on (target)', run: fileReplay },
      ],
      [
        { name: 'bare JSON-lines parse (baseline, phase 2)', run: baseline },
        {
          name: 'detectors alone (events already read)',
          ahead: true,
          run: () => {
            const d = createDetector({ org: org0 });
            alerts = 0;
            for (let i = 0; i < events.length; i++) alerts += d.pushAt(events[i]!, times[i]!).alerts.length;
            alerts += d.flush().alerts.length;
            check(events.length);
            return Promise.resolve();
          },
        },
        {
          name: 'JSON.parse + push (the replay before the reader)',
          run: async () => {
            const d = createDetector({ org: org0 });
            check(await parseLines(file, (e) => (counted += d.push(e).alerts.length)));
            counted += d.flush().alerts.length;
          },
        },
        { name: 'file replay again, after the two above', run: fileReplay },
      ],
    ];
    const indexMs: number[] = [];
    const measured = phases.map((figures) => figures.map(() => ({ wall: [] as number[], cpu: [] as number[] })));
    for (const [p, figures] of phases.entries()) {
      for (let r = 0; r < RUNS; r++) {
        if (p === 0) {
          const t = performance.now();
          indexOrg(world.org);
          indexMs.push(performance.now() - t);
        }
        for (const [k, figure] of figures.entries()) {
          if (figure.ahead === true) await readAhead();
          const [w, c] = await timed(figure.run);
          if (figure.ahead === true) {
            events = [];
            times = [];
            gc(); // untimed: the next run does not pay for collecting them
          }
          measured[p]![k]!.wall.push(n / (w / 1000));
          measured[p]![k]!.cpu.push(n / (c / 1000));
        }
      }
    }
    // Three replays a round (the target, JSON.parse + push, the replay again) against the detectors alone.
    if (counted !== 3 * alerts * RUNS) throw new Error('the replays and the detectors alone raised different alerts');
    // Cold replays, each in a fresh process: what `custos detect` pays, its JIT not yet warm.
    const cold = { wall: [] as number[], cpu: [] as number[] };
    for (let r = 0; r < COLD_RUNS; r++) {
      const [w, c, a] = coldReplay(orgFile, file, dir, n);
      if (a !== alerts) throw new Error('a cold replay raised different alerts');
      cold.wall.push(n / (w / 1000));
      cold.cpu.push(n / (c / 1000));
    }
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
    let out = `events: ${n} (30 days, 300 staff, 100,000 customers; ${world.org.tickets.length} tickets), ${alerts} alerts; median of ${RUNS} warm rounds, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`;
    out += `index org (once per replay): ${median(indexMs).toFixed(0)} ms\n`;
    out += `${'events/s'.padStart(52)}${'wall'.padStart(10)} (ratio)${'cpu'.padStart(10)} (ratio)\n`;
    for (const [p, figures] of phases.entries()) {
      if (p === 1) out += 'phase 2 (after phase 1; ratios to its own baseline):\n';
      // The baseline of each phase is its first figure that is a bare parse.
      const b = figures.findIndex((f) => f.run === baseline);
      const baseWall = median(measured[p]![b]!.wall);
      const baseCpu = median(measured[p]![b]!.cpu);
      const line = (name: string, w: number, c: number): string => `${name.padEnd(52)}${fmt(w)} (${(w / baseWall).toFixed(2)})${fmt(c)} (${(c / baseCpu).toFixed(2)})\n`;
      for (const [k, figure] of figures.entries()) out += line(figure.name, median(measured[p]![k]!.wall), median(measured[p]![k]!.cpu));
      if (p === 0) {
        // The replay's first round (the detectors' code not yet optimised; the reader's warmed by the rounds
        // before it in round 1), and replays in fresh processes: ratios to this phase's warm baseline.
        const target = figures.findIndex((f) => f.run === fileReplay);
        out += line('file replay, first round (cold detectors)', measured[p]![target]!.wall[0]!, measured[p]![target]!.cpu[0]!);
        out += line(`file replay in a fresh process (median of ${COLD_RUNS})`, median(cold.wall), median(cold.cpu));
      }
    }
    out += `memory per active person: ${(perPerson / 1024).toFixed(1)} KiB over ${d.people} people (heap after full GC, detector state only)\n`;
    process.stdout.write(out);
    // Keep the events alive until after the last measurement.
    if (events.length !== n) throw new Error('events lost');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
