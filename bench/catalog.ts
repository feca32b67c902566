/**
 * The catalog's text scanner on ≥ 50 MB of generated Chinese customer-service text (dense: most sentences hold
 * personal information): structured types only, and all types with names and addresses, on one core. In the
 * same run, redact-pii (npm) on a slice of the same text, as the baseline; and masking one demo record.
 * Size: BENCH_SCAN_MB (default 50).
 */
import { SyncRedactor } from 'redact-pii';
import { scanText, STRUCTURED_TYPES } from '../src/catalog/index.js';
import { maskRow, type FieldPlan } from '../src/gateway/index.js';
import { generateMixedText } from '../src/sim/index.js';
import { fmt, median } from './stats.js';

const say = (s: string): void => void process.stdout.write(`${s}\n`);

/** MB/s of `fn` over `text`, median of `runs`. */
function rate(text: string, runs: number, fn: (t: string) => unknown): number {
  const mb = Buffer.byteLength(text) / 1e6;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn(text);
    times.push((performance.now() - t) / 1000);
  }
  return mb / median(times);
}

export function run(): Promise<void> {
  const mb = Number(process.env['BENCH_SCAN_MB'] ?? 50);
  if (!(mb >= 1 && mb <= 2000)) throw new RangeError('BENCH_SCAN_MB must be 1 … 2,000');
  const text = generateMixedText('bench-scan', mb * 1e6);
  const bytes = Buffer.byteLength(text);
  const structured = rate(text, 3, (t) => scanText(t, { types: STRUCTURED_TYPES, minConfidence: 0.5 }));
  const all = rate(text, 3, (t) => scanText(t, { minConfidence: 0.5 }));
  // redact-pii runs ~2 MB/s: give it a 2 MB slice of the same text (cut at a line break).
  const slice = text.slice(0, text.indexOf('\n', 700_000) + 1);
  const redactor = new SyncRedactor();
  const baseline = rate(slice, 1, (t) => redactor.redact(t));
  say(`text scan, ${fmt(bytes / 1e6, 1)} MB of mixed Chinese text, one core:`);
  say(`  baseline: redact-pii ${fmt(baseline, 2)} MB/s (on a ${fmt(Buffer.byteLength(slice) / 1e6, 1)} MB slice)`);
  say(`  structured types: ${fmt(structured, 1)} MB/s = ${fmt(structured / baseline, 0)}× redact-pii (target ≥ 200 MB/s)`);
  say(`  all types incl. names and addresses: ${fmt(all, 1)} MB/s = ${fmt(all / baseline, 0)}× redact-pii (target ≥ 60 MB/s)`);

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
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    for (let i = 0; i < n; i++) maskRow(plan, row);
    times.push(((performance.now() - t) * 1000) / n);
  }
  say(`  masking one record (8 fields): ${fmt(median(times), 2)} µs (target ≤ 5 µs)`);
  return Promise.resolve();
}
