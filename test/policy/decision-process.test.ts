import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CustosError } from '../../src/core/errors.js';
import {
  createDecisionProcess, createPolicyEngine, demoFields, parsePolicyTests, processDecider, runPolicyTests,
  type DecisionProcess, type PersonAttributes, type RequestContext,
} from '../../src/policy/index.js';

const text = readFileSync(resolve(import.meta.dirname, '../../policies/default.cedar'), 'utf8');
const tests = parsePolicyTests(readFileSync(resolve(import.meta.dirname, '../../policies/tests/default.tests.json'), 'utf8'));
const inline = createPolicyEngine(text);
const options = { fields: demoFields(), dataset: 'customers' };

const agent: PersonAttributes = { id: 'u0042', role: 'service_agent', department: 'customer_service', employment: 'employee', manager: 'u0007', leaving: null, risk: 'low' };
const ctx: RequestContext = { purpose: 'customer_request', ticket: 'T-1', hour: 10, date: '2026-03-02', device: 'managed', session: 'mfa', reason: false };

/** Waits until the process has been started `n` times and returns its pid. */
async function startedAs(proc: DecisionProcess, n: number): Promise<number> {
  for (let i = 0; i < 2000; i++) {
    const s = proc.stats();
    if (s.started >= n && s.pid !== undefined) return s.pid;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`the decision process was not started ${n} times`);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the decision process', () => {
  const opened: DecisionProcess[] = [];
  const open = (): DecisionProcess => {
    const p = createDecisionProcess({ timeoutMs: 60_000 });
    opened.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((p) => p.close()));
  });

  it('decides exactly as the engine in this process: grants (with their sets), decisions, test runs', async () => {
    const proc = open();
    const decider = processDecider(proc, text, options);
    const outsourced = { ...agent, employment: 'outsourced' as const };
    for (const [person, context] of [[agent, ctx], [outsourced, { ...ctx, purpose: 'complaint' }]] as const) {
      const remote = await decider.grantFor(person, context);
      expect(remote).toEqual(inline.grantFor(person, context));
      expect(remote.table.some((r) => r !== undefined && r.revealable instanceof Set)).toBe(true);
      expect(await decider.defaultGrant(person, context)).toEqual(inline.defaultGrant(person, context));
    }
    const request = { person: outsourced, context: ctx, action: 'reveal' as const, resource: 'customers.id_number', relation: { assigned: true } };
    expect(await decider.decide(request)).toEqual(inline.decide(request));
    expect(await proc.call({ op: 'tests', policy: text, tests })).toEqual(runPolicyTests(createPolicyEngine(text, { fields: demoFields() }), tests));
    expect(proc.stats()).toMatchObject({ started: 1, crashes: 0 });
  });

  it('serves a warm grant from its own cache, and shares one request between concurrent misses', async () => {
    const proc = open();
    const decider = processDecider(proc, text, options);
    const [a, b] = await Promise.all([decider.grantFor(agent, ctx), decider.grantFor(agent, ctx)]);
    expect(a).toBe(b);
    const pid = proc.stats().pid!;
    process.kill(pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 50));
    // The process is gone, and the warm grant is still answered (no engine needed).
    expect(await decider.grantFor(agent, ctx)).toBe(a);
  });

  it('passes the engine\'s refusals through with their codes, and refuses a malformed request before sending it', async () => {
    const proc = open();
    const decider = processDecider(proc, text, options);
    const bad = decider.decide({ person: agent, context: ctx, action: 'reveal', resource: 'customers.no_such_field' });
    await expect(bad).rejects.toBeInstanceOf(CustosError);
    await expect(bad).rejects.toMatchObject({ code: 'CUSTOS_POLICY_UNKNOWN_FIELD', status: 400 });
    await expect(decider.grantFor({ ...agent, risk: 'extreme' as 'high' }, ctx)).rejects.toMatchObject({ code: 'CUSTOS_POLICY_BAD_REQUEST' });
  });

  it('survives its process dying: the next request starts a new one', async () => {
    const proc = open();
    const decider = processDecider(proc, text, options);
    await decider.grantFor(agent, ctx);
    const first = proc.stats().pid!;
    process.kill(first, 'SIGKILL');
    const g = await decider.grantFor(agent, { ...ctx, purpose: 'complaint' });
    expect(g.purpose).toBe('complaint');
    expect(proc.stats()).toMatchObject({ started: 2, crashes: 1 });
    expect(proc.stats().pid).not.toBe(first);
  });

  it('retries a request whose process died under it once, on a new process', async () => {
    const proc = open();
    const decider = processDecider(proc, text, options);
    const pending = decider.grantFor(agent, ctx);
    process.kill(await startedAs(proc, 1), 'SIGKILL');
    expect(await pending).toEqual(inline.grantFor(agent, ctx));
    expect(proc.stats()).toMatchObject({ started: 2, crashes: 1 });
  });

  it('fails closed when the retry dies too: CUSTOS_POLICY_UNAVAILABLE (503), and the next request works again', async () => {
    const proc = open();
    const decider = processDecider(proc, text, options);
    const pending = decider.grantFor(agent, ctx);
    process.kill(await startedAs(proc, 1), 'SIGKILL');
    process.kill(await startedAs(proc, 2), 'SIGKILL');
    await expect(pending).rejects.toMatchObject({ code: 'CUSTOS_POLICY_UNAVAILABLE', status: 503 });
    // The failed grant is not cached: the next request is decided afresh.
    expect(await decider.grantFor(agent, ctx)).toEqual(inline.grantFor(agent, ctx));
    expect(proc.stats()).toMatchObject({ started: 3, crashes: 2 });
  });

  it('restarts a hung process after the timeout, and refuses when the retry hangs too', async () => {
    const proc = createDecisionProcess({ timeoutMs: 1000 });
    opened.push(proc);
    const decider = processDecider(proc, text, options);
    const pending = decider.grantFor(agent, ctx);
    // A stopped process answers nothing: a hung engine.
    process.kill(await startedAs(proc, 1), 'SIGSTOP');
    process.kill(await startedAs(proc, 2), 'SIGSTOP');
    await expect(pending).rejects.toMatchObject({ code: 'CUSTOS_POLICY_UNAVAILABLE' });
    expect(proc.stats()).toMatchObject({ started: 2, crashes: 2 });
  });

  it('stops starting processes for a while after three crashes within a minute, then tries again', async () => {
    const proc = createDecisionProcess({ crashBackoffMs: 2000 });
    opened.push(proc);
    const decider = processDecider(proc, text, options);
    const first = decider.grantFor(agent, ctx);
    process.kill(await startedAs(proc, 1), 'SIGKILL');
    process.kill(await startedAs(proc, 2), 'SIGKILL');
    await expect(first).rejects.toMatchObject({ code: 'CUSTOS_POLICY_UNAVAILABLE' });
    const second = decider.grantFor(agent, { ...ctx, hour: 11 });
    process.kill(await startedAs(proc, 3), 'SIGKILL');
    // The third crash: its request is not sent to a fourth process, and neither is the next one.
    await expect(second).rejects.toMatchObject({ code: 'CUSTOS_POLICY_UNAVAILABLE' });
    await expect(decider.grantFor(agent, { ...ctx, hour: 12 })).rejects.toMatchObject({ code: 'CUSTOS_POLICY_UNAVAILABLE' });
    expect(proc.stats()).toMatchObject({ started: 3, crashes: 3 });
    await new Promise((r) => setTimeout(r, 2100));
    expect(await decider.grantFor(agent, { ...ctx, hour: 12 })).toEqual(inline.grantFor(agent, { ...ctx, hour: 12 }));
    expect(proc.stats().started).toBe(4);
  });

  it('ends its process on close, refusing what is in flight', async () => {
    const proc = createDecisionProcess();
    const decider = processDecider(proc, text, options);
    const pending = decider.grantFor(agent, ctx);
    const pid = await startedAs(proc, 1);
    const refused = expect(pending).rejects.toMatchObject({ code: 'CUSTOS_POLICY_UNAVAILABLE' });
    await proc.close();
    await refused;
    expect(alive(pid)).toBe(false);
    await expect(decider.grantFor(agent, { ...ctx, hour: 11 })).rejects.toMatchObject({ code: 'CUSTOS_POLICY_UNAVAILABLE' });
  });
});
