/**
 * The reveal decision: computing the grant for a (person, purpose) once, and checking one record's fields
 * against a warm grant in plain code (the per-view cost; target ≤ 20 µs), against a bare object lookup of the
 * same fields in the same run.
 */
import { demoRevealPolicy, rulingOf } from '../src/access/index.js';
import { fmt, median } from './stats.js';

const ROLES = [
  { role: 'service_agent', employment: 'employee', purpose: 'customer_request' },
  { role: 'telesales', employment: 'outsourced', purpose: 'campaign_call' },
  { role: 'teller', employment: 'employee', purpose: 'counter_service' },
  { role: 'risk_analyst', employment: 'employee', purpose: 'fraud_investigation' },
  { role: 'engineer', employment: 'employee', purpose: 'incident' },
];
const FIELDS = ['mobile', 'id_number', 'balance'];

export function run(): Promise<void> {
  const n = Number(process.env['BENCH_REVEAL_CHECKS'] ?? 1_000_000);
  const cold: number[] = [];
  const warm: number[] = [];
  const base: number[] = [];
  let sink = 0;
  for (let r = 0; r < 5; r++) {
    // Cold: a new policy object each time, so every grant is computed.
    let t = performance.now();
    for (let i = 0; i < 10_000; i++) sink += demoRevealPolicy().decide(ROLES[i % ROLES.length]!, ROLES[i % ROLES.length]!.purpose).fields.size;
    cold.push(((performance.now() - t) * 1000) / 10_000);

    const policy = demoRevealPolicy();
    t = performance.now();
    for (let i = 0; i < n; i++) {
      const who = ROLES[i % ROLES.length]!;
      const grant = policy.decide(who, who.purpose);
      for (const f of FIELDS) if (rulingOf(grant, f).effect === 'deny') sink++;
    }
    warm.push(((performance.now() - t) * 1000) / n);

    const table: Record<string, Record<string, string>> = {};
    for (const who of ROLES) table[who.role] = Object.fromEntries(FIELDS.map((f) => [f, 'ticket']));
    t = performance.now();
    for (let i = 0; i < n; i++) {
      const row = table[ROLES[i % ROLES.length]!.role]!;
      for (const f of FIELDS) if (row[f] === 'deny') sink++;
    }
    base.push(((performance.now() - t) * 1000) / n);
  }
  process.stdout.write(`reveal decision, median of 5 runs (sink ${sink % 7}):\n`);
  process.stdout.write(`  baseline: plain object lookup of 3 fields        ${fmt(median(base), 3)} µs per record\n`);
  process.stdout.write(`  warm grant, 3 fields checked (per view)          ${fmt(median(warm), 3)} µs per record = ${fmt(median(warm) / median(base), 1)}x the baseline (target ≤ 20 µs)\n`);
  process.stdout.write(`  grant computation (cold, per person and purpose) ${fmt(median(cold), 2)} µs\n`);
  return Promise.resolve();
}
