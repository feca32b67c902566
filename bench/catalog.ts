/**
 * The catalog's text scanner on ≥ 50 MB of generated Chinese customer-service text (dense: most sentences hold
 * personal information, half the characters are ASCII tokens): structured types only, and all types with names and
 * addresses, on one core. In the same run: redact-pii (npm) on a slice of the same text, and two bare passes over
 * the whole text that any scanner must at least make (a charCode loop; a global regex over its ASCII tokens), as
 * baselines; and masking one demo record.
 *
 * Each pass is warmed up on a slice first (JIT tiers), then timed over the whole text ROUNDS times, the passes
 * interleaved within each round. Figures are medians in wall time and in CPU time of this process (on a shared,
 * loaded machine the CPU time is the one-core throughput; wall time also counts the time other processes held the
 * core), and the median per round of the scan's time over the charCode loop's (the same load on both).
 * Size: BENCH_SCAN_MB (default 50); rounds: BENCH_SCAN_ROUNDS (default 5).
 */
import { SyncRedactor } from 'redact-pii';
import { scanText, STRUCTURED_TYPES } from '../src/catalog/index.js';
import { maskRow, type FieldPlan } from '../src/gateway/index.js';
import { generateMixedText } from '../src/sim/index.js';
import { fmt, median } from './stats.js';

const say = (s: string): void => void process.stdout.write(`${s}\n`);

interface Rate {
  /** MB/s by the clock. */
  readonly wall: number;
  /** MB per second of this process's CPU time. */
  readonly cpu: number;
}

/** One timed run of `fn` over `text`: seconds by the clock and of CPU. */
function time(text: string, fn: (t: string) => unknown): { readonly wall: number; readonly cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  fn(text);
  const wall = (performance.now() - t) / 1000;
  const u = process.cpuUsage(c);
  return { wall, cpu: (u.user + u.system) / 1e6 };
}

/** `rounds` rounds of every pass in turn; per pass the median MB/s, and the median of its CPU time over the first pass's. */
function rounds(text: string, n: number, passes: readonly ((t: string) => unknown)[]): { rate: Rate; perLoop: number }[] {
  const mb = Buffer.byteLength(text) / 1e6;
  const runs = passes.map(() => ({ wall: [] as number[], cpu: [] as number[], perLoop: [] as number[] }));
  for (let r = 0; r < n; r++) {
    const times = passes.map((fn) => time(text, fn));
    times.forEach((t, i) => {
      runs[i]!.wall.push(mb / t.wall);
      runs[i]!.cpu.push(mb / t.cpu);
      runs[i]!.perLoop.push(t.cpu / times[0]!.cpu);
    });
  }
  return runs.map((x) => ({ rate: { wall: median(x.wall), cpu: median(x.cpu) }, perLoop: median(x.perLoop) }));
}

/** The bare loop: every code unit read once. */
function charCodeLoop(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  return sum;
}

/** A plain regex pass: every ASCII token found (no classification). */
function regexTokens(text: string): number {
  const re = /[0-9A-Za-z._%+\-@:]+/g;
  let n = 0;
  while (re.test(text)) n++;
  return n;
}

const show = (r: Rate): string => `${fmt(r.wall, 1)} MB/s wall, ${fmt(r.cpu, 1)} MB/s CPU`;

export function run(): Promise<void> {
  const mb = Number(process.env['BENCH_SCAN_MB'] ?? 50);
  if (!(mb >= 1 && mb <= 2000)) throw new RangeError('BENCH_SCAN_MB must be 1 … 2,000');
  const n = Number(process.env['BENCH_SCAN_ROUNDS'] ?? 5);
  if (!(Number.isInteger(n) && n >= 1 && n <= 50)) throw new RangeError('BENCH_SCAN_ROUNDS must be 1 … 50');
  const text = generateMixedText('bench-scan', mb * 1e6);
  const bytes = Buffer.byteLength(text);
  const structuredScan = (t: string): unknown => scanText(t, { types: STRUCTURED_TYPES, minConfidence: 0.5 });
  const allScan = (t: string): unknown => scanText(t, { minConfidence: 0.5 });
  const warm = text.slice(0, text.indexOf('\n', 2_000_000) + 1);
  for (let i = 0; i < 3; i++) {
    structuredScan(warm);
    allScan(warm);
    charCodeLoop(warm);
    regexTokens(warm);
  }
  const [loop, regex, structured, all] = rounds(text, n, [charCodeLoop, regexTokens, structuredScan, allScan]);
  // redact-pii runs a few MB/s: give it a slice of the same text (cut at a line break).
  const slice = text.slice(0, text.indexOf('\n', 700_000) + 1);
  const redactor = new SyncRedactor();
  const [baseline] = rounds(slice, 1, [(t) => redactor.redact(t)]);
  say(`text scan, ${fmt(bytes / 1e6, 1)} MB (${fmt(text.length / 1e6, 1)} M UTF-16 code units) of mixed Chinese text, one core, medians of ${n} rounds:`);
  say(`  baseline: redact-pii ${show(baseline!.rate)} (on a ${fmt(Buffer.byteLength(slice) / 1e6, 1)} MB slice)`);
  say(`  bare passes: charCode loop ${show(loop!.rate)}; regex over ASCII tokens ${show(regex!.rate)} (${fmt(regex!.perLoop, 1)}× the loop's time)`);
  for (const [name, r, target] of [['structured types', structured!, 200], ['all types incl. names and addresses', all!, 60]] as const) {
    say(
      `  ${name}: ${show(r.rate)} = ${fmt(r.rate.cpu / baseline!.rate.cpu, 0)}× redact-pii; ${fmt(r.perLoop, 1)}× the charCode loop's time ` +
        `(CPU; target ≥ ${target} MB/s)`,
    );
  }

  const plan: FieldPlan = {
    table: 'customers',
    key: 'id',
    fields: [
      { column: 'name', mask: 'cn_name' },
      { column: 'mobile', mask: 'cn_mobile' },
      { column: 'id_number', mask: 'cn_id_card' },
      { column: 'bank_card', mask: 'bank_card' },
      { column: 'address', mask: 'cn_address' },
      { column: 'email', mask: 'email' },
      { column: 'balance', mask: 'text' },
      { column: 'employer', mask: 'text' },
    ],
  };
  const row = { id: 'c000001', name: '欧阳娜娜', mobile: '13812345678', id_number: '11010519491231002X', bank_card: '6222021234567890128', address: '广东省深圳市南山区科技路100号阳光花园3栋2单元1201室', email: 'lihua@163.com', balance: 1234567, employer: '深圳市华信科技有限公司' };
  const records = 200_000;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < 5; r++) {
    const c = process.cpuUsage();
    const t = performance.now();
    for (let i = 0; i < records; i++) maskRow(plan, row);
    wall.push(((performance.now() - t) * 1000) / records);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / records);
  }
  say(`  masking one record (8 fields): ${fmt(median(wall), 2)} µs wall, ${fmt(median(cpu), 2)} µs CPU (target ≤ 5 µs)`);
  return Promise.resolve();
}
