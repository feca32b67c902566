import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CustosError } from '../../core/errors.js';
import { HIT_KINDS, MAX_CANARIES_PER_CALL, parseAudience } from '../../trace/index.js';
import type { Runtime } from '../runtime.js';
import { authenticate, principalOf } from '../auth.js';
import { reportCanaryHit } from '../trace-canary.js';
import { recordRequest, requireSecurityRole, sha256Hex as sha256, SECURITY_ROLES } from './record.js';

const createBody = z.object({ audience: z.string().min(3).max(200), count: z.number().int().min(1).max(MAX_CANARIES_PER_CALL).default(1) }).strict();
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(10_000).default(1000) }).strict();
/** A canary's value found outside (shared with the case opened from it). */
export const hitBody = z
  .object({
    kind: z.enum(HIT_KINDS),
    value: z.string().trim().min(2).max(256),
    channel: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'a channel such as call, email, sms, file, web'),
    note: z.string().max(2000).optional(),
  })
  .strict();

/** Roles besides the security team that may report canary hits: integrations (a phone system, a mail gateway). */
const HIT_REPORTERS: ReadonlySet<string> = new Set(['integration']);

/**
 * Canary people for the security team: create them for an audience, list them (ids and audiences only), and
 * report a canary's value found outside (also open to an integration's API token). Every call is ledgered;
 * a hit is ledgered with the canary id, never the value.
 */
export function canaryRoutes(app: FastifyInstance, rt: Runtime): void {
  app.register((scoped, _options, done) => {
    scoped.addHook('preHandler', authenticate(rt.identity, rt.watch.gate));

    scoped.post('/api/v1/canaries', async (request, reply) => {
      const body = createBody.parse(request.body);
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'canary.create', 'create canaries');
      const audience = parseAudience(body.audience);
      const made = await rt.canaries.create(audience, body.count, p.staffId);
      await recordRequest(rt, request, p, { action: 'admin', outcome: 'allowed', detail: { kind: 'canary.create', audience: audience.kind, canaries: made.map((c) => c.id) } });
      return reply.status(201).send({ canaries: made });
    });

    scoped.get('/api/v1/canaries', async (request) => {
      const q = listQuery.parse(request.query);
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'canary.list', 'list canaries');
      const list = await rt.canaries.list(q.limit);
      await recordRequest(rt, request, p, { action: 'query', outcome: 'allowed', detail: { kind: 'canary.list', count: list.length } });
      return { canaries: list };
    });

    scoped.post('/api/v1/canaries/hits', async (request) => {
      const body = hitBody.parse(request.body);
      const p = principalOf(request);
      if (!SECURITY_ROLES.has(p.role) && !(HIT_REPORTERS.has(p.role) && p.via === 'token')) {
        await recordRequest(rt, request, p, { action: 'query', outcome: 'denied', detail: { kind: 'canary.hit' }, reason: 'CUSTOS_SECURITY_ONLY' });
        throw new CustosError('CUSTOS_SECURITY_ONLY', 403, `The role ${p.role} cannot report canary hits; the security team or an integration's API token can.`);
      }
      const note = body.note !== undefined ? { noteSha256: sha256(body.note) } : {};
      let result;
      try {
        result = await reportCanaryHit(rt, body);
      } catch (e) {
        if (e instanceof CustosError) await recordRequest(rt, request, p, { action: 'query', outcome: 'denied', detail: { kind: 'canary.hit', hitKind: body.kind, channel: body.channel, ...note }, reason: e.code });
        throw e;
      }
      const { exposure, alerts } = result;
      await recordRequest(rt, request, p, {
        action: 'query',
        outcome: 'allowed',
        detail: { kind: 'canary.hit', canary: exposure.canary.id, hitKind: body.kind, channel: body.channel, alerts, ...note },
      });
      return { ...exposure, alerts };
    });
    done();
  });
}
