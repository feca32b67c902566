/**
 * The policy engine: the per-view decision with a warm grant (grant from the cache, relations of the record, three
 * fields checked; target ≤ 20 µs), the cost of computing a grant with Cedar, one direct Cedar decision, and a
 * plain-JS evaluation of the same rules per view as the baseline, all in the same run. Then the soak: ≥ 1,000,000
 * Cedar decisions in a child process (so a fatal error of the engine is reported, not fatal to the bench), checking
 * that every answer stays the same and memory stays flat.
 *
 * `npx tsx bench/policy.ts --soak 1000000` runs the soak alone. BENCH_SOAK sets its size in `npm run bench` (`1M` for
 * the full million; default 100k to keep the run short; 0 skips it), BENCH_POLICY_VIEWS the per-view iterations
 * (default 1,000,000).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ACTIONS, checkRecord, createPolicyEngine, DEFAULT_POLICY_FILE, relationMask, RELATIONS,
  type Basis, type PersonAttributes, type PolicyAction, type PolicyRequest, type RelationIndex, type RequestContext,
} from '../src/policy/index.js';
import { fmt, median } from './stats.js';

const say = (s: string): void => void process.stdout.write(`${s}\n`);

const PROFILES: readonly { role: string; department: string; employment: 'employee' | 'outsourced'; purpose: string }[] = [
  { role: 'service_agent', department: 'customer_service', employment: 'employee', purpose: 'customer_request' },
  { role: 'service_agent', department: 'customer_service', employment: 'outsourced', purpose: 'complaint' },
  { role: 'telesales', department: 'telesales', employment: 'outsourced', purpose: 'campaign_call' },
  { role: 'teller', department: 'retail_banking', employment: 'employee', purpose: 'counter_service' },
  { role: 'risk_analyst', department: 'risk', employment: 'employee', purpose: 'fraud_investigation' },
  { role: 'engineer', department: 'engineering', employment: 'employee', purpose: 'incident' },
  { role: 'security_analyst', department: 'security', employment: 'employee', purpose: 'security_review' },
];
const FIELDS = ['mobile', 'id_number', 'balance'];

function person(i: number): PersonAttributes {
  const p = PROFILES[i % PROFILES.length]!;
  return { id: `u${String(i).padStart(4, '0')}`, role: p.role, department: p.department, employment: p.employment, manager: 'u0001', leaving: null, risk: 'low' };
}
function context(i: number, hour = 10): RequestContext {
  return { purpose: PROFILES[i % PROFILES.length]!.purpose, ticket: 'T-1', hour, date: '2026-03-02', device: 'unknown', session: 'password', reason: false };
}

/** The default policy's reveal rules written by hand, evaluated per view (the baseline: no engine, no cache). */
export function plainReveal(p: PersonAttributes, c: RequestContext, rel: { assigned: boolean; onThisTicket: boolean; colleague: boolean; vip: boolean }, field: string): 'allow' | 'approval' | 'deny' {
  const purposes: Record<string, readonly string[]> = { service_agent: ['customer_request', 'complaint', 'kyc_review'], telesales: ['campaign_call'], teller: ['counter_service'], risk_analyst: ['risk_review', 'fraud_investigation'], engineer: ['incident'], security_analyst: ['security_review'] };
  if (!(purposes[p.role] ?? []).includes(c.purpose)) return 'deny';
  if (p.role === 'security_analyst') return 'deny';
  const identifier = field === 'id_number' || field === 'bank_card';
  if (p.employment === 'outsourced' && (identifier || rel.vip)) return 'deny';
  if (c.device === 'unmanaged' || (p.role === 'teller' && (c.hour < 8 || c.hour >= 19))) return 'deny';
  const forbidNone = rel.colleague || p.risk === 'high';
  const onTicket = rel.onThisTicket && ['service_agent', 'telesales', 'teller', 'risk_analyst'].includes(p.role);
  const allow = onTicket && ((!identifier && field !== 'balance') || (p.role === 'teller' && field === 'balance') || (p.role === 'risk_analyst' && identifier));
  if (allow && !forbidNone) return 'allow';
  return 'approval';
}

function soak(n: number): void {
  const engine = createPolicyEngine(readFileSync(DEFAULT_POLICY_FILE, 'utf8'));
  const requests: PolicyRequest[] = [];
  const fieldResources = ['customers.name', 'customers.mobile', 'customers.id_number', 'customers.bank_card', 'customers.balance', 'customers.employer'];
  const bases: Basis[] = ['none', 'approval', 'break_glass'];
  for (let i = 0; i < 997; i++) {
    const action: PolicyAction = (['view', 'reveal', 'reveal', 'export', 'break_glass', 'read', 'purpose', 'quota'] as const)[i % 8]!;
    const resource = action === 'reveal' || action === 'export' ? fieldResources[i % fieldResources.length]! : action === 'read' ? 'ledger' : action === 'purpose' ? `purpose:${PROFILES[(i >> 3) % PROFILES.length]!.purpose}` : 'customers';
    const relation: Record<string, boolean> = {};
    RELATIONS.forEach((r, k) => {
      if (((i * 7 + k * 3) >> k) % 2 === 1) relation[r] = true;
    });
    requests.push({ person: { ...person(i), risk: i % 11 === 0 ? 'high' : 'low', leaving: i % 13 === 0 ? '2026-03-20' : null }, context: { ...context(i, (i * 5) % 24), reason: i % 3 === 0 }, action, resource, relation, basis: bases[i % 3]! });
  }
  if (!requests.every((r) => (ACTIONS as readonly string[]).includes(r.action))) throw new Error('bad soak request');
  const first: string[] = requests.map((r) => engine.decide(r).effect);
  let mismatches = 0;
  let allows = 0;
  const windows: number[] = [];
  const rss: number[] = [process.memoryUsage().rss];
  const step = 100_000;
  let t = performance.now();
  for (let i = 0; i < n; i++) {
    const k = i % requests.length;
    const d = engine.decide(requests[k]!);
    if (d.effect === 'allow') allows++;
    if (d.effect !== first[k]) mismatches++;
    if ((i + 1) % step === 0 || i + 1 === n) {
      const now = performance.now();
      windows.push(((now - t) * 1000) / (((i + 1) % step) || step));
      t = now;
      rss.push(process.memoryUsage().rss);
      process.stderr.write(`soak: ${i + 1} decisions, ${fmt(windows[windows.length - 1]!, 1)} µs each, rss ${fmt(rss[rss.length - 1]! / 1e6, 0)} MB\n`);
    }
  }
  process.stdout.write(`${JSON.stringify({ decisions: n, mismatches, allows, usMedian: median(windows), usFirst: windows[0], usLast: windows[windows.length - 1], rssStartMB: rss[0]! / 1e6, rssEndMB: rss[rss.length - 1]! / 1e6, rssMaxMB: Math.max(...rss) / 1e6, node: process.version })}\n`);
}

/** BENCH_SOAK: `1M`, `100k` or a number; default 100,000 (the full million is opt-in: ~2 min on a loaded core). */
function soakSize(v: string | undefined): number {
  if (v === undefined || v === '') return 100_000;
  const m = /^(\d+(?:\.\d+)?)([kKmM]?)$/.exec(v.trim());
  if (m === null) throw new RangeError('BENCH_SOAK is a number of decisions, e.g. 1M, 100k or 0');
  return Math.round(Number(m[1]) * (m[2] === '' ? 1 : m[2]!.toLowerCase() === 'k' ? 1e3 : 1e6));
}

export function run(): Promise<void> {
  const views = Number(process.env['BENCH_POLICY_VIEWS'] ?? 1_000_000);
  const soakN = soakSize(process.env['BENCH_SOAK'] ?? process.env['BENCH_POLICY_SOAK']);
  if (!(views >= 1000 && views <= 1e8) || !(soakN >= 0 && soakN <= 1e9)) throw new RangeError('BENCH_POLICY_VIEWS must be 1,000 … 10^8 and BENCH_POLICY_SOAK 0 … 10^9');
  const text = readFileSync(DEFAULT_POLICY_FILE, 'utf8');

  // Grant computation: each (profile, hour) is a new grant key.
  const grantMs: number[] = [];
  let decisionsPerGrant = 0;
  for (let r = 0; r < 3; r++) {
    const engine = createPolicyEngine(text);
    engine.grantFor(person(0), context(0, 3)); // warm the engine (first call compiles Cedar's evaluator paths)
    const t = performance.now();
    let k = 0;
    for (let hour = 8; hour < 12; hour++) for (let i = 0; i < PROFILES.length; i++, k++) decisionsPerGrant = engine.grantFor(person(i), context(i, hour)).decisions;
    grantMs.push((performance.now() - t) / k);
  }

  // One direct Cedar decision.
  const engine = createPolicyEngine(text);
  const direct: number[] = [];
  for (let r = 0; r < 3; r++) {
    const n = 3000;
    const t = performance.now();
    for (let i = 0; i < n; i++) engine.decide({ person: person(i), context: context(i), action: 'reveal', resource: `customers.${FIELDS[i % 3]!}`, relation: { onThisTicket: (i & 1) === 0 } });
    direct.push(((performance.now() - t) * 1000) / n);
  }

  // Per view with a warm grant, and the plain-JS baseline, on the same records.
  const customers = Array.from({ length: 1000 }, (_, i) => `c${String(i).padStart(6, '0')}`);
  const index: RelationIndex = {
    assigned: new Set(customers.filter((_, i) => i % 3 === 0)),
    openTicketSubjects: new Set(customers.filter((_, i) => i % 5 === 0)),
    thisTicketSubjects: new Set(customers.filter((_, i) => i % 10 === 0)),
    colleagues: new Set(customers.filter((_, i) => i % 97 === 0)),
    vip: new Set(customers.filter((_, i) => i % 50 === 0)),
  };
  const people = PROFILES.map((_, i) => person(i));
  const contexts = PROFILES.map((_, i) => context(i));
  for (let i = 0; i < people.length; i++) engine.grantFor(people[i]!, contexts[i]!);
  const warm: number[] = [];
  const base: number[] = [];
  let sink = 0;
  for (let r = 0; r < 5; r++) {
    let t = performance.now();
    for (let i = 0; i < views; i++) {
      const k = i % people.length;
      const grant = engine.grantFor(people[k]!, contexts[k]!);
      const check = checkRecord(grant, relationMask(index, customers[i % customers.length]!), FIELDS);
      sink += check.allow.length + (check.visible ? 1 : 0);
    }
    warm.push(((performance.now() - t) * 1000) / views);
    t = performance.now();
    for (let i = 0; i < views; i++) {
      const k = i % people.length;
      const c = customers[i % customers.length]!;
      const rel = { assigned: index.assigned!.has(c), onThisTicket: index.thisTicketSubjects!.has(c), colleague: index.colleagues!.has(c), vip: index.vip!.has(c) };
      for (const f of FIELDS) if (plainReveal(people[k]!, contexts[k]!, rel, f) === 'allow') sink++;
    }
    base.push(((performance.now() - t) * 1000) / views);
  }
  const b = median(base);
  say(`policy engine: Cedar ${'(@cedar-policy/cedar-wasm)'} on ${process.version}, median of runs (sink ${sink % 7}):`);
  say(`  baseline: the same rules in plain JS, per view (3 fields)   ${fmt(b, 3)} µs`);
  say(`  per view, warm grant (cache + relations + 3 fields)        ${fmt(median(warm), 3)} µs = ${fmt(median(warm) / b, 2)}x the baseline (target ≤ 20 µs)`);
  say(`  one Cedar decision (direct, preparsed policy set)          ${fmt(median(direct), 1)} µs = ${fmt(median(direct) / b, 0)}x the baseline`);
  say(`  grant computation (${decisionsPerGrant} Cedar decisions)              ${fmt(median(grantMs), 2)} ms = ${fmt((median(grantMs) * 1000) / b, 0)}x the baseline`);

  if (soakN > 0) {
    // As the server's decision process runs the engine (--no-opt, src/policy/decision-process.ts), unless
    // BENCH_SOAK_TURBOFAN=1 asks for V8's optimising compiler (the configuration that failed on Node 20).
    const turbofan = process.env['BENCH_SOAK_TURBOFAN'] === '1';
    const child = spawnSync(process.execPath, [...(turbofan ? [] : ['--no-opt']), '--import', 'tsx', fileURLToPath(import.meta.url), '--soak', String(soakN)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
    say(`  soak process: ${turbofan ? 'with TurboFan (BENCH_SOAK_TURBOFAN=1)' : 'without TurboFan, as the decision process runs'}`);
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !line.startsWith('{')) {
      say(`  soak: ${soakN.toLocaleString('en')} decisions FAILED: exit ${child.status ?? 'none'}${child.signal !== null ? `, signal ${child.signal}` : ''}`);
    } else {
      const s = JSON.parse(line) as { decisions: number; mismatches: number; usMedian: number; usFirst: number; usLast: number; rssStartMB: number; rssEndMB: number; rssMaxMB: number };
      say(`  soak: ${s.decisions.toLocaleString('en')} Cedar decisions in one process, ${s.mismatches} changed answers, ${fmt(s.usMedian, 1)} µs each (first 100k ${fmt(s.usFirst, 1)}, last ${fmt(s.usLast, 1)}), rss ${fmt(s.rssStartMB, 0)} → ${fmt(s.rssEndMB, 0)} MB (max ${fmt(s.rssMaxMB, 0)}): ${s.mismatches === 0 ? 'stable' : 'UNSTABLE'}`);
    }
  }
  return Promise.resolve();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf('--soak');
  if (at >= 0) {
    const n = Number(process.argv[at + 1] ?? 1_000_000);
    if (!(Number.isInteger(n) && n >= 1 && n <= 1e9)) throw new RangeError('--soak N: 1 … 10^9 decisions');
    soak(n);
  } else {
    await run();
  }
}
