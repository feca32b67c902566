import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CustosError, isCustosError } from '../../core/errors.js';
import { policyContext } from '../../gateway/index.js';
import type { Principal } from '../../identity/index.js';
import { MAX_POLICY_BYTES, policyChangeEvent, type PolicyVersion } from '../../policy/index.js';
import type { Runtime } from '../runtime.js';
import { authenticate, principalOf } from '../auth.js';
import { recordRequest } from './record.js';

const versionParam = z.object({ version: z.coerce.number().int().min(1).max(1_000_000) }).strict();
const message = z.string().trim().min(3).max(500);
const putBody = z.object({ text: z.string().min(1).max(MAX_POLICY_BYTES), message }).strict();
const restoreBody = z.object({ message: message.optional() }).strict();

/** A version without its text and diff (for lists). */
const summary = (v: PolicyVersion): Record<string, unknown> => ({ version: v.version, hash: v.hash, author: v.author, message: v.message, savedAt: v.savedAt, restoredFrom: v.restoredFrom });

/**
 * The access policy over HTTP, for the people the policy itself lets `read` and `administer` `Dataset::"policy"`
 * (default: security staff): the current version, the versions and their diffs, the shipped test cases' results,
 * saving a new version (checked: it parses, validates against the schema, and the shipped cases still pass) and
 * restoring an old one. Every change, and every refused attempt, is an admin event on the ledger; a saved version
 * decides the next request (a new engine, so no grant of the old version survives).
 */
export function policyRoutes(app: FastifyInstance, rt: Runtime): void {
  const { policies } = rt;

  /** Refuses (on the ledger) a person the policy does not let read or administer the policy. */
  async function allow(request: FastifyRequest, p: Principal, what: 'read' | 'administer'): Promise<void> {
    let effect: string;
    try {
      const engine = policies.decider();
      const grant = await engine.defaultGrant(await rt.person(p), policyContext(rt.clock.now(), engine.compiled.purposes[0] ?? 'none', null, false));
      effect = grant.policy[what].effect;
    } catch {
      effect = 'deny';
    }
    if (effect === 'allow') return;
    await recordRequest(rt, request, p, { action: what === 'read' ? 'query' : 'admin', outcome: 'denied', detail: { kind: `policy.${what}` }, reason: 'CUSTOS_POLICY_FORBIDDEN' });
    throw new CustosError('CUSTOS_POLICY_FORBIDDEN', 403, `The policy does not let you ${what === 'read' ? 'read' : 'change'} the access policy; the security team can.`);
  }

  /** Checks, ledgers and puts in force a new version (a save or a restore); a refused change is ledgered too. */
  async function change(request: FastifyRequest, p: Principal, input: { text?: string; restoredFrom?: number; message: string }): Promise<PolicyVersion> {
    const previous = policies.current();
    let v: PolicyVersion;
    try {
      v = await policies.prepare({ ...input, author: p.staffId });
    } catch (e) {
      const code = isCustosError(e) ? e.code : 'CUSTOS_POLICY_INVALID';
      await recordRequest(rt, request, p, { action: 'admin', outcome: 'denied', detail: { kind: input.restoredFrom !== undefined ? 'policy.restore' : 'policy.change', previousVersion: previous.version, ...(input.restoredFrom !== undefined ? { restoredFrom: input.restoredFrom } : {}) }, reason: code });
      throw e;
    }
    // On the ledger before it takes effect.
    const event = policyChangeEvent(v, previous, { id: 'unused', actor: p.staffId });
    await recordRequest(rt, request, p, { action: 'admin', outcome: 'allowed', detail: event.detail as Record<string, unknown> & { kind: string } });
    await policies.commit(v);
    return v;
  }

  /** A change refused for failing test cases answers with the failures (names and what they got: policy words only). */
  async function answer(reply: FastifyReply, run: () => Promise<PolicyVersion>): Promise<unknown> {
    let v: PolicyVersion;
    try {
      v = await run();
    } catch (e) {
      if (isCustosError(e) && e.code === 'CUSTOS_POLICY_TESTS_FAILED') return reply.status(400).send({ error: { code: e.code, message: e.message, failures: e.details?.['failures'] ?? [] } });
      throw e;
    }
    const report = await policies.testReport();
    return { ...summary(v), diff: v.diff, tests: { passed: report.passed, failed: report.failed } };
  }

  app.register((scoped, _options, done) => {
    scoped.addHook('preHandler', authenticate(rt.identity, rt.watch.gate));
    scoped.addHook('onSend', (_request, reply, payload, next) => {
      void reply.header('cache-control', 'no-store');
      next(null, payload);
    });

    scoped.get('/api/v1/policy', async (request) => {
      await allow(request, principalOf(request), 'read');
      const v = policies.current();
      const report = await policies.testReport();
      return {
        ...summary(v),
        text: v.text,
        policies: policies.decider().compiled.policies.map((x) => ({ id: x.id, effect: x.effect, why: x.why, line: x.line, quota: x.quota })),
        tests: { passed: report.passed, failed: report.failed },
      };
    });

    scoped.get('/api/v1/policy/versions', async (request) => {
      await allow(request, principalOf(request), 'read');
      return { current: policies.current().version, items: (await policies.store.history()).map(summary).reverse() };
    });

    scoped.get('/api/v1/policy/versions/:version', async (request) => {
      const { version } = versionParam.parse(request.params);
      await allow(request, principalOf(request), 'read');
      const v = await policies.store.getVersion(version);
      return { ...summary(v), text: v.text, diff: v.diff };
    });

    scoped.get('/api/v1/policy/tests', async (request) => {
      await allow(request, principalOf(request), 'read');
      const v = policies.current();
      return { version: v.version, hash: v.hash, ...(await policies.testReport()) };
    });

    scoped.put('/api/v1/policy', { bodyLimit: MAX_POLICY_BYTES + 4096 }, async (request, reply) => {
      const p = principalOf(request);
      await allow(request, p, 'administer');
      const body = putBody.parse(request.body);
      return answer(reply, () => change(request, p, { text: body.text, message: body.message }));
    });

    scoped.post('/api/v1/policy/versions/:version/restore', async (request, reply) => {
      const { version } = versionParam.parse(request.params);
      const p = principalOf(request);
      await allow(request, p, 'administer');
      const body = restoreBody.parse(request.body ?? {});
      return answer(reply, () => change(request, p, { restoredFrom: version, message: body.message ?? `restore version ${version}` }));
    });
    done();
  });
}
