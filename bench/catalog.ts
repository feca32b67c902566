/**
 * The catalog's text scanner on ≥ 50 MB of generated Chinese customer-service text (dense: most sentences hold
 * personal information, half the characters are ASCII tokens): structured types only, and all types with names and
 * addresses, on one core. In the same run: redact-pii (npm) on a slice of the same text, and two bare passes over
 * the whole text that any scanner must at least make (a charCode loop; a global regex over its ASCII tokens), as
 * baselines; and masking one demo record.
 *
 * Each scan is warmed up on a slice first (JIT tiers), then timed over the whole text ROUNDS times. Figures are
 * medians in wall time and in CPU time of this process (on a shared, loaded machine the CPU time is the one-core
 * throughput; wall time also counts the time other processes held the core).
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

/** Median MB/s of `fn` over `text` in `rounds` runs, by the clock and by CPU time. */
function rate(text: string, rounds: number, fn: (t: string) => unknown): Rate {
  const mb = Buffer.byteLength(text) / 1e6;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    fn(text);
    wall.push(mb / ((performance.now() - t) / 1000));
    const u = process.cpuUsage(c);
    cpu.push(mb / ((u.user + u.system) / 1e6));
  }
  return { wall: median(wall), cpu: median(cpu) };
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
  const rounds = Number(process.env['BENCH_SCAN_ROUNDS'] ?? 5);
  if (!(Number.isInteger(rounds) && rounds >= 1 && rounds <= 50)) throw new RangeError('BENCH_SCAN_ROUNDS must be 1 … 50');
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
  const loop = rate(text, rounds, charCodeLoop);
  const regex = rate(text, rounds, regexTokens);
  const structured = rate(text, rounds, structuredScan);
  const all = rate(text, rounds, allScan);
  // redact-pii runs a few MB/s: give it a slice of the same text (cut at a line break).
  const slice = text.slice(0, text.indexOf('\n', 700_000) + 1);
  const redactor = new SyncRedactor();
  const baseline = rate(slice, 1, (t) => redactor.redact(t));
  say(`text scan, ${fmt(bytes / 1e6, 1)} MB (${fmt(text.length / 1e6, 1)} M UTF-16 code units) of mixed Chinese text, one core, medians of ${rounds} rounds:`);
  say(`  baseline: redact-pii ${show(baseline)} (on a ${fmt(Buffer.byteLength(slice) / 1e6, 1)} MB slice)`);
  say(`  bare passes: charCode loop ${show(loop)}; regex over ASCII tokens ${show(regex)}`);
  for (const [name, r, target] of [['structured types', structured, 200], ['all types incl. names and addresses', all, 60]] as const) {
    say(
      `  ${name}: ${show(r)} = ${fmt(r.cpu / baseline.cpu, 0)}× redact-pii, ${fmt(loop.cpu / r.cpu, 1)}× the charCode loop's time, ` +
        `${fmt(regex.cpu / r.cpu, 1)}× the regex pass's (CPU; target ≥ ${target} MB/s)`,
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
  const n = 200_000;
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < 5; r++) {
    const c = process.cpuUsage();
    const t = performance.now();
    for (let i = 0; i < n; i++) maskRow(plan, row);
    wall.push(((performance.now() - t) * 1000) / n);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / n);
  }
  say(`  masking one record (8 fields): ${fmt(median(wall), 2)} µs wall, ${fmt(median(cpu), 2)} µs CPU (target ≤ 5 µs)`);
  return Promise.resolve();
}
