import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../../identity/index.js';
import type { RequestContext, SearchKey } from '../../gateway/index.js';
import type { Runtime } from '../runtime.js';
import { authenticate, principalOf } from '../auth.js';
import { pageOnlyQuery, searchQuery, subjectId } from './schemas.js';
import { presentOne, presentPage, presentReveal } from './marked.js';
import { z } from 'zod';

function context(request: FastifyRequest, p: Principal): RequestContext {
  return { ip: request.ip, system: p.via === 'session' ? 'custos-console' : 'custos-api' };
}

function searchKey(q: z.infer<typeof searchQuery>): [SearchKey, string] {
  if (q.phone !== undefined) return ['mobile', q.phone];
  if (q.idNumber !== undefined) return ['id_number', q.idNumber];
  return ['name', q.name!];
}

const revealBody = z
  .object({
    fields: z.array(z.string().min(1).max(64)).min(1).max(16),
    purpose: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'a purpose code'),
    ticket: z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'a ticket id').optional(),
    breakGlass: z.object({ reason: z.string().trim().min(10).max(1000) }).strict().optional(),
  })
  .strict();

/** The record API: every call that shows personal data is on the ledger before the response leaves. */
export function subjectRoutes(app: FastifyInstance, rt: Runtime): void {
  const { gateway, marks, clock } = rt;
  app.register((scoped, _options, done) => {
    scoped.addHook('preHandler', authenticate(rt.identity, rt.watch.gate));
    scoped.addHook('onSend', (_request, reply, payload, next) => {
      void reply.header('cache-control', 'no-store');
      next(null, payload);
    });

    scoped.get('/api/v1/subjects/:id', async (request) => {
      const id = subjectId.parse((request.params as { id: string }).id);
      const p = principalOf(request);
      return presentOne(marks, p, await gateway.view(p, id, context(request, p)), clock.now());
    });

    // GET with the search key in the query string is the documented API for applications; the console uses
    // the POST form so that phone and ID numbers never sit in URLs, browser history or proxy logs.
    scoped.get('/api/v1/subjects', async (request) => {
      const q = searchQuery.parse(request.query);
      const p = principalOf(request);
      const [key, value] = searchKey(q);
      return presentPage(marks, p, await gateway.search(p, key, value, { limit: q.limit, ...(q.after !== undefined ? { after: q.after } : {}) }, context(request, p)), clock.now());
    });

    scoped.post('/api/v1/subjects/search', async (request) => {
      const q = searchQuery.parse(request.body ?? {});
      const p = principalOf(request);
      const [key, value] = searchKey(q);
      return presentPage(marks, p, await gateway.search(p, key, value, { limit: q.limit, ...(q.after !== undefined ? { after: q.after } : {}) }, context(request, p)), clock.now());
    });

    scoped.post('/api/v1/subjects/:id/reveal', async (request) => {
      const id = subjectId.parse((request.params as { id: string }).id);
      const body = revealBody.parse(request.body);
      const p = principalOf(request);
      const shown = await gateway.reveal(
        p,
        id,
        { fields: body.fields, purpose: body.purpose, ...(body.ticket !== undefined ? { ticket: body.ticket } : {}), ...(body.breakGlass !== undefined ? { breakGlassReason: body.breakGlass.reason } : {}) },
        context(request, p),
      );
      return presentReveal(marks, p, shown, clock.now());
    });

    scoped.get('/api/v1/me/assigned', async (request) => {
      const q = pageOnlyQuery.parse(request.query);
      const p = principalOf(request);
      return presentPage(marks, p, await gateway.assigned(p, { limit: q.limit, ...(q.after !== undefined ? { after: q.after } : {}) }, context(request, p)), clock.now());
    });
    done();
  });
}
