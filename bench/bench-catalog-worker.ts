/**
 * One pass of bench/catalog.ts in a fresh process of its own, so that no pass pays for the heap another left (full
 * GCs, V8's GC helper threads counted in CPU time). Arguments: PASS TEXT_FILE WARM_FILE RESULT_FILE. Reads the text
 * (UTF-8, as the parent wrote it), warms the pass up on WARM_FILE's text (JIT tiers), runs it once over the whole
 * text and writes {"wall","cpu","count"} (seconds; count: findings, tokens or output characters, as a check) to
 * RESULT_FILE. stdout is the command's own output for the CLI passes (the parent sends it to /dev/null).
 *
 * PASS@warm is the same pass as in a long-running process that has already scanned large texts (not the server,
 * whose bodies are at most 60,000 characters, nor `scan db`, which never calls the text scan): after the warm-up, one
 * untimed run over the whole text (the heap grows to what the pass needs), then WARM_ROUNDS timed runs over the whole
 * text in the same process; the medians of their wall and CPU times are written.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { SyncRedactor } from 'redact-pii';
import { scanEach, scanText, STRUCTURED_TYPES } from '../src/catalog/index.js';
import { register } from '../src/cli/scan.js';
import { maskRow, type FieldPlan } from '../src/gateway/index.js';
import { median } from './stats.js';

const [pass, textFile, warmFile, resultFile] = process.argv.slice(2) as [string, string, string, string];

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

const STRUCTURED = { types: STRUCTURED_TYPES, minConfidence: 0.5 };
const ALL = { minConfidence: 0.5 };

/** Streaming API: the visitor counts the findings (the least a bulk caller does with them). */
function visitCount(text: string, options: typeof ALL): number {
  let n = 0;
  scanEach(text, options, () => n++);
  return n;
}

/** `custos scan text FILE [--types …]` as the command runs it (file read in pieces, JSON Lines to stdout). */
async function cli(file: string, args: readonly string[]): Promise<number> {
  const program = new Command().exitOverride();
  register(program);
  await program.parseAsync(['node', 'custos', 'scan', 'text', file, ...args]);
  return 0;
}

const redactor = new SyncRedactor();
const STRUCTURED_LIST = [...STRUCTURED_TYPES].join(',');

/** Each pass over a text (or, for the CLI passes, a file). */
const PASSES: Record<string, (text: string, file: string) => unknown> = {
  'charcode-loop': (t) => charCodeLoop(t),
  'regex-tokens': (t) => regexTokens(t),
  'structured-objects': (t) => scanText(t, STRUCTURED).length,
  'structured-visitor': (t) => visitCount(t, STRUCTURED),
  'all-objects': (t) => scanText(t, ALL).length,
  'all-visitor': (t) => visitCount(t, ALL),
  'cli-structured': (_t, f) => cli(f, ['--types', STRUCTURED_LIST, '--min-confidence', '0.5']),
  'cli-all': (_t, f) => cli(f, ['--min-confidence', '0.5']),
  'redact-pii': (t) => redactor.redact(t).length,
};

async function main(): Promise<void> {
  if (pass === 'masking') {
    writeFileSync(resultFile, JSON.stringify(masking()));
    return;
  }
  const [name, mode] = pass.split('@') as [string, string | undefined];
  const fn = PASSES[name];
  if (fn === undefined || (mode !== undefined && mode !== 'warm')) throw new Error(`unknown pass ${pass}`);
  const text = readFileSync(textFile, 'utf8');
  const warm = readFileSync(warmFile, 'utf8');
  for (let i = 0; i < 3; i++) await fn(warm, warmFile);
  if (mode === undefined) {
    writeFileSync(resultFile, JSON.stringify(await timed(() => fn(text, textFile))));
    return;
  }
  await fn(text, textFile);
  const runs: { wall: number; cpu: number; count: unknown }[] = [];
  for (let r = 0; r < WARM_ROUNDS; r++) runs.push(await timed(() => fn(text, textFile)));
  writeFileSync(resultFile, JSON.stringify({ wall: median(runs.map((x) => x.wall)), cpu: median(runs.map((x) => x.cpu)), count: runs[0]!.count }));
}

/** Timed runs of a @warm pass in its one process. */
const WARM_ROUNDS = 5;

/** One run of `run`: wall and CPU seconds (the process's CPU: all its threads, GC helpers included) and its result. */
async function timed(run: () => unknown): Promise<{ wall: number; cpu: number; count: unknown }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const count = await run();
  const wall = (performance.now() - t) / 1000;
  const u = process.cpuUsage(c);
  return { wall, cpu: (u.user + u.system) / 1e6, count };
}

/** Masking one demo record (8 fields), 200,000 times: µs per record. */
function masking(): { wall: number; cpu: number } {
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
  for (let i = 0; i < 20_000; i++) maskRow(plan, row);
  const c = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < records; i++) maskRow(plan, row);
  const wall = ((performance.now() - t) * 1000) / records;
  const u = process.cpuUsage(c);
  return { wall, cpu: (u.user + u.system) / records };
}

await main();
