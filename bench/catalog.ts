/**
 * The catalog's text scanner on ≥ 50 MB of generated Chinese customer-service text (dense: most sentences hold
 * personal information, half the characters are ASCII tokens): structured types only, and all types with names and
 * addresses, each through the object API (scanText → Finding[]) and the streaming API (scanEach: a visitor per
 * finding, no objects; here it counts them), and the CLI path (`custos scan text FILE`, JSON Lines to /dev/null). In
 * the same run: redact-pii (npm) on a slice of the same text, and two bare passes over the whole text that any
 * scanner must at least make (a charCode loop; a global regex over its ASCII tokens), as baselines; and masking one
 * demo record.
 *
 * The text is generated once and written to a file; each pass runs in a fresh process of its own
 * (bench-catalog-worker.ts: reads the file, warms up on a 2 MB slice, then one timed run over the whole text), so no
 * pass pays for the heap another left behind (full GCs, V8's GC helper threads, counted in CPU time): what one CLI call
 * pays. The scan passes run a second time as in a long-running process that has already scanned large texts
 * (PASS@warm: in their fresh process, after the warm-up, one untimed run over the whole text, then the median of 5
 * timed runs over it in the same process; no figure for the server's bodies of at most 60,000 characters, nor for
 * `scan db`, which never calls the text scan). Rounds are outer, passes inner, so each round's passes share a
 * stretch of machine load. Figures are medians over the rounds, in wall time and in CPU time of the worker (on a
 * shared, loaded machine the CPU time is the one-core throughput), and the median CPU time of a pass over the median
 * of the charCode loop's. What one core does moves with the load: each target is judged with the loop's speed of the
 * same run, as the loop speed at which that ratio meets it (target × ratio).
 * Size: BENCH_SCAN_MB (default 50); rounds: BENCH_SCAN_ROUNDS (default 5); BENCH_SCAN_PASSES: a comma-separated
 * subset of the passes (the charCode loop always runs).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateMixedText } from '../src/sim/index.js';
import { fmt, loaderArgs, median } from './stats.js';

const say = (s: string): void => void process.stdout.write(`${s}\n`);
const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'bench-catalog-worker.ts');

interface Run {
  /** Seconds by the clock and of the worker's CPU (µs per record for masking). */
  readonly wall: number;
  readonly cpu: number;
  readonly count?: number;
}

/** Runs one pass in a fresh worker process (bench-catalog-worker.ts) on `textFile`; its stdout goes to /dev/null. */
function inChild(pass: string, textFile: string, warmFile: string, dir: string): Run {
  const result = join(dir, `${pass}.json`);
  // The worker runs under the same loader as this process.
  const r = spawnSync(process.execPath, [...loaderArgs(), WORKER, pass, textFile, warmFile, result], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`bench worker ${pass} failed (${r.status ?? r.signal})`);
  return JSON.parse(readFileSync(result, 'utf8')) as Run;
}

const PASSES = [
  'charcode-loop',
  'regex-tokens',
  'structured-objects',
  'structured-visitor',
  'all-objects',
  'all-visitor',
  'structured-objects@warm',
  'structured-visitor@warm',
  'all-objects@warm',
  'all-visitor@warm',
  'cli-structured',
  'cli-all',
  'redact-pii',
  'masking',
] as const;
type Pass = (typeof PASSES)[number];

export function run(): Promise<void> {
  const mb = Number(process.env['BENCH_SCAN_MB'] ?? 50);
  if (!(mb >= 1 && mb <= 2000)) throw new RangeError('BENCH_SCAN_MB must be 1 … 2,000');
  const n = Number(process.env['BENCH_SCAN_ROUNDS'] ?? 5);
  if (!(Number.isInteger(n) && n >= 1 && n <= 50)) throw new RangeError('BENCH_SCAN_ROUNDS must be 1 … 50');
  const only = process.env['BENCH_SCAN_PASSES']?.split(',');
  const passes = PASSES.filter((p) => only === undefined || only.includes(p) || p === 'charcode-loop');
  const dir = mkdtempSync(join(tmpdir(), 'custos-bench-scan-'));
  try {
    // The text is generated once and handed to every worker as a file (the same text for every pass).
    const files = ((): { text: string; warm: string; slice: string; sliceWarm: string; bytes: number; units: number; sliceBytes: number } => {
      const text = generateMixedText('bench-scan', mb * 1e6);
      // redact-pii runs a few MB/s: it gets a slice of the same text (cut at a line break).
      const slice = text.slice(0, text.indexOf('\n', 700_000) + 1);
      const f = { text: join(dir, 'text.txt'), warm: join(dir, 'warm.txt'), slice: join(dir, 'slice.txt'), sliceWarm: join(dir, 'slice-warm.txt') };
      writeFileSync(f.text, text);
      writeFileSync(f.warm, text.slice(0, text.indexOf('\n', 2_000_000) + 1));
      writeFileSync(f.slice, slice);
      writeFileSync(f.sliceWarm, text.slice(0, text.indexOf('\n', 50_000) + 1));
      return { ...f, bytes: Buffer.byteLength(text), units: text.length, sliceBytes: Buffer.byteLength(slice) };
    })();
    const runs = new Map<Pass, Run[]>(passes.map((p) => [p, []]));
    // Rounds outer, passes inner: every pass sees the same stretch of machine load within a round.
    for (let r = 0; r < n; r++) {
      for (const p of passes) {
        const [text, warm] = p === 'redact-pii' ? [files.slice, files.sliceWarm] : [files.text, files.warm];
        runs.get(p)!.push(inChild(p, text, warm, dir));
      }
    }
    report(files, n, runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return Promise.resolve();
}

function report(files: { bytes: number; units: number; sliceBytes: number }, n: number, runs: Map<Pass, Run[]>): void {
  const mb = files.bytes / 1e6;
  const loopCpu = median(runs.get('charcode-loop')!.map((x) => x.cpu));
  const rate = (p: Pass, size = mb): { wall: number; cpu: number; perLoop: number } => {
    const list = runs.get(p)!;
    return { wall: median(list.map((x) => size / x.wall)), cpu: median(list.map((x) => size / x.cpu)), perLoop: median(list.map((x) => x.cpu)) / loopCpu };
  };
  const show = (r: { wall: number; cpu: number }): string => `${fmt(r.wall, 1)} MB/s wall, ${fmt(r.cpu, 1)} MB/s CPU`;
  say(`text scan, ${fmt(mb, 1)} MB (${fmt(files.units / 1e6, 1)} M UTF-16 code units) of mixed Chinese text, one core, each pass in a fresh process, medians of ${n} rounds:`);
  const baseline = runs.has('redact-pii') ? rate('redact-pii', files.sliceBytes / 1e6) : undefined;
  if (baseline !== undefined) say(`  baseline: redact-pii ${show(baseline)} (on a ${fmt(files.sliceBytes / 1e6, 1)} MB slice)`);
  const loop = rate('charcode-loop');
  let bare = `  bare passes: charCode loop ${show(loop)}`;
  if (runs.has('regex-tokens')) bare += `; regex over ASCII tokens ${show(rate('regex-tokens'))} (${fmt(rate('regex-tokens').perLoop, 1)}× the loop's time)`;
  say(bare);
  const lines: [Pass, string, number][] = [
    ['structured-objects', 'structured types, object API (scanText → Finding[])', 200],
    ['structured-visitor', 'structured types, streaming API (scanEach, visitor counts)', 200],
    ['all-objects', 'all types incl. names and addresses, object API', 60],
    ['all-visitor', 'all types incl. names and addresses, streaming API', 60],
    ['cli-structured', 'CLI `scan text --types <structured>` (file → JSON Lines to /dev/null)', 200],
    ['cli-all', 'CLI `scan text` all types (file → JSON Lines to /dev/null)', 60],
    ['structured-objects@warm', 'structured types, object API', 200],
    ['structured-visitor@warm', 'structured types, streaming API', 200],
    ['all-objects@warm', 'all types, object API', 60],
    ['all-visitor@warm', 'all types, streaming API', 60],
  ];
  say('  fresh process (what one CLI call pays: one run over the whole text after a warm-up on a 2 MB slice):');
  let warmHeader = false;
  for (const [p, name, target] of lines) {
    if (!runs.has(p)) continue;
    if (p.endsWith('@warm') && !warmHeader) {
      say('  long-running process that has scanned large texts (after an untimed run over the whole text, median of 5 runs in the same process):');
      warmHeader = true;
    }
    const r = rate(p);
    const vs = baseline === undefined ? '' : ` = ${fmt(r.cpu / baseline.cpu, 0)}× redact-pii;`;
    say(`    ${name}: ${show(r)}${vs} ${fmt(r.perLoop, 1)}× the charCode loop's time (CPU; target ≥ ${target} MB/s: met where the loop runs ≥ ${fmt(target * r.perLoop, 0)} MB/s)`);
  }
  const counts = (p: Pass): string => [...new Set(runs.get(p)?.map((x) => x.count))].join('/');
  say(
    `  findings per pass (check): structured ${counts('structured-objects')} objects, ${counts('structured-visitor')} visited (warm ${counts('structured-objects@warm')}/${counts('structured-visitor@warm')}); all ${counts('all-objects')} objects, ${counts('all-visitor')} visited (warm ${counts('all-objects@warm')}/${counts('all-visitor@warm')})`,
  );
  const masking = runs.get('masking');
  if (masking !== undefined) say(`  masking one record (8 fields): ${fmt(median(masking.map((x) => x.wall)), 2)} µs wall, ${fmt(median(masking.map((x) => x.cpu)), 2)} µs CPU (target ≤ 5 µs)`);
}
