/**
 * The decisions of the gateway's record path, with the calls gateway-service.ts makes (src/gateway/policy-check.ts
 * and src/policy), no I/O: a record view (the view grant from the cache, the record's relation bits, the view ruling
 * and the reasons of its masked fields) and a reveal (the grant for the stated purpose, three fields checked), with a
 * warm grant (target ≤ 20 µs per view), against the same rules in plain JS in the same run (bench/policy.ts's
 * baseline). BENCH_REVEAL_VIEWS sets the iterations per round (default 500,000).
 */
import { readFileSync } from 'node:fs';
import { checkView, maskOfRelation, policyContext, viewGrant } from '../src/gateway/index.js';
import { checkRecord, createDecisionProcess, DEFAULT_POLICY_FILE, demoFields, processDecider, type PersonAttributes } from '../src/policy/index.js';
import { plainReveal } from './policy.js';
import { fmt, median } from './stats.js';

const PEOPLE: readonly (PersonAttributes & { purpose: string })[] = [
  { id: 'u0001', role: 'service_agent', department: 'customer_service', employment: 'employee', manager: 'u0100', leaving: null, risk: 'low', purpose: 'customer_request' },
  { id: 'u0002', role: 'service_agent', department: 'customer_service', employment: 'outsourced', manager: 'u0100', leaving: null, risk: 'low', purpose: 'complaint' },
  { id: 'u0003', role: 'telesales', department: 'telesales', employment: 'outsourced', manager: 'u0101', leaving: null, risk: 'low', purpose: 'campaign_call' },
  { id: 'u0004', role: 'teller', department: 'retail_banking', employment: 'employee', manager: 'u0102', leaving: null, risk: 'low', purpose: 'counter_service' },
  { id: 'u0005', role: 'risk_analyst', department: 'risk', employment: 'employee', manager: 'u0103', leaving: null, risk: 'medium', purpose: 'fraud_investigation' },
];
const MASKED = ['name', 'mobile', 'id_number', 'bank_card', 'address', 'email'];
const FIELDS = ['mobile', 'id_number', 'balance'];

export async function run(): Promise<void> {
  const n = Number(process.env['BENCH_REVEAL_VIEWS'] ?? 500_000);
  if (!(n >= 1000 && n <= 1e8)) throw new RangeError('BENCH_REVEAL_VIEWS must be 1,000 … 10^8');
  // The server's path: grants decided in the decision process, cached and checked in this one.
  const proc = createDecisionProcess();
  const engine = processDecider(proc, readFileSync(DEFAULT_POLICY_FILE, 'utf8'), { fields: demoFields(), dataset: 'customers' });
  // A fixed instant at 10:00 local time: the grants stay warm for the whole run.
  const now = new Date('2026-03-02T02:00:00Z');
  const rel = Array.from({ length: 1024 }, (_, i) => ({ assigned: i % 3 === 0, onOpenTicket: i % 5 === 0, onThisTicket: i % 10 === 0 }));
  for (const p of PEOPLE) {
    await viewGrant(engine, p, now);
    await engine.grantFor(p, policyContext(now, p.purpose, 'T-1', false));
  }
  const view: number[] = [];
  const reveal: number[] = [];
  const base: number[] = [];
  let sink = 0;
  for (let r = 0; r < 5; r++) {
    let t = performance.now();
    for (let i = 0; i < n; i++) {
      const p = PEOPLE[i % PEOPLE.length]!;
      const x = rel[i & 1023]!;
      const grant = await viewGrant(engine, p, now);
      const v = checkView(engine, grant, maskOfRelation(x.assigned, x.onOpenTicket), MASKED);
      if (v.view.effect === 'allow') sink += v.maskReasons['mobile']!.code.length;
    }
    view.push(((performance.now() - t) * 1000) / n);

    t = performance.now();
    for (let i = 0; i < n; i++) {
      const p = PEOPLE[i % PEOPLE.length]!;
      const x = rel[i & 1023]!;
      const grant = await engine.grantFor(p, policyContext(now, p.purpose, 'T-1', false));
      sink += checkRecord(grant, maskOfRelation(x.assigned, x.onOpenTicket, x.onThisTicket), FIELDS).allow.length;
    }
    reveal.push(((performance.now() - t) * 1000) / n);

    const ctx = PEOPLE.map((p) => policyContext(now, p.purpose, 'T-1', false));
    t = performance.now();
    for (let i = 0; i < n; i++) {
      const k = i % PEOPLE.length;
      const x = rel[i & 1023]!;
      const relation = { assigned: x.assigned, onThisTicket: x.onThisTicket, colleague: false, vip: false };
      for (const f of FIELDS) if (plainReveal(PEOPLE[k]!, ctx[k]!, relation, f) === 'allow') sink++;
    }
    base.push(((performance.now() - t) * 1000) / n);
  }
  const b = median(base);
  const { started, crashes } = proc.stats();
  await proc.close();
  process.stdout.write(`gateway decisions with a warm grant, the server's path (grants from the decision process, awaited), median of 5 rounds of ${n.toLocaleString('en')} (sink ${sink % 7}; decision processes started ${started}, crashed ${crashes}):\n`);
  process.stdout.write(`  baseline: the same reveal rules in plain JS, 3 fields       ${fmt(b, 3)} µs per record\n`);
  process.stdout.write(`  record view: view grant + relation + ruling + mask reasons  ${fmt(median(view), 3)} µs per record = ${fmt(median(view) / b, 2)}x the baseline (target ≤ 20 µs)\n`);
  process.stdout.write(`  reveal: grant for purpose and ticket + 3 fields checked     ${fmt(median(reveal), 3)} µs per record = ${fmt(median(reveal) / b, 2)}x the baseline (target ≤ 20 µs)\n`);
}
