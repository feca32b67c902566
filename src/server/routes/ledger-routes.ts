import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CustosError } from '../../core/errors.js';
import type { Runtime } from '../runtime.js';
import { authenticate, principalOf } from '../auth.js';
import { recordRequest, SECURITY_ROLES } from './record.js';

const count = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const inclusionQuery = z.object({ index: count, size: count.optional() }).strict();
const consistencyQuery = z.object({ from: count.min(1), to: count.min(1) }).strict();
const id = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'an id');
const time = z.iso.datetime({ offset: true });
const eventsQuery = z
  .object({ subject: id.optional(), actor: id.optional(), from: time.optional(), to: time.optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) })
  .strict()
  .refine((q) => q.subject !== undefined || q.actor !== undefined, { message: 'give subject or actor' });


/**
 * The ledger over HTTP: checkpoints and proofs for anyone who wants to check it (no personal data in them),
 * and entries for the security roles, whose every query is itself an event on the ledger.
 */
export function ledgerRoutes(app: FastifyInstance, rt: Runtime): void {
  app.register((scoped, _options, done) => {
    scoped.addHook('preHandler', authenticate(rt.identity, rt.watch.gate));

    scoped.get('/api/v1/ledger/checkpoint', async () => rt.ledger.checkpoint());

    scoped.get('/api/v1/ledger/proof/inclusion', async (request) => {
      const q = inclusionQuery.parse(request.query);
      return rt.ledger.inclusionProof(q.index, q.size);
    });

    scoped.get('/api/v1/ledger/proof/consistency', async (request) => {
      const q = consistencyQuery.parse(request.query);
      return rt.ledger.consistencyProof(q.from, q.to);
    });

    scoped.get('/api/v1/ledger/events', async (request) => {
      const q = eventsQuery.parse(request.query);
      const p = principalOf(request);
      // The security roles read entries (who saw whom); everyone signed in may read checkpoints and proofs.
      const allowed = SECURITY_ROLES.has(p.role);
      const query = {
        ...(q.subject !== undefined ? { subject: q.subject } : {}),
        ...(q.actor !== undefined ? { actor: q.actor } : {}),
        ...(q.from !== undefined ? { from: new Date(q.from).toISOString() } : {}),
        ...(q.to !== undefined ? { to: new Date(q.to).toISOString() } : {}),
      };
      await recordRequest(rt, request, p, {
        action: 'query',
        outcome: allowed ? 'allowed' : 'denied',
        subjects: q.subject !== undefined ? [q.subject] : [],
        detail: { kind: 'ledger.events', ...query },
        ...(allowed ? {} : { reason: 'CUSTOS_LEDGER_FORBIDDEN' }),
      });
      if (!allowed) {
        throw new CustosError('CUSTOS_LEDGER_FORBIDDEN', 403, `The role ${p.role} cannot read ledger entries; the security team can. Checkpoints and proofs are open to every signed-in person.`);
      }
      const entries = await rt.ledger.events({ ...query, limit: q.limit });
      return { items: entries.map((e) => ({ index: e.index, event: e.event })) };
    });
    done();
  });
}
