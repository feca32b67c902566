import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CustosError } from '../../core/errors.js';
import { eventProblem, type AccessEvent } from '../../ledger/index.js';
import type { Runtime } from '../runtime.js';
import { authenticate, principalOf } from '../auth.js';
import { DETECT_ACTOR } from '../watch/live-watch.js';
import { recordRequest } from './record.js';

/** Roles whose API tokens may send access events from outside systems (CRM, call centre, data warehouse). */
export const EVENT_SOURCE_ROLES: ReadonlySet<string> = new Set(['integration']);
export const MAX_EVENTS_PER_REQUEST = 1000;
const PAST_MS = 24 * 3_600_000;
const FUTURE_MS = 5 * 60_000;

const body = z.object({ events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_REQUEST) }).strict();
const idString = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'an id');
const ticketBody = z
  .object({
    id: idString,
    assignee: idString,
    status: z.enum(['open', 'closed']),
    openedAt: z.iso.datetime({ offset: true }),
    closedAt: z.iso.datetime({ offset: true }).nullable().default(null),
    subjects: z.array(idString).max(1000),
  })
  .strict()
  .refine((t) => (t.status === 'closed') === (t.closedAt !== null), { message: 'a closed ticket has closedAt, an open one does not' });

/**
 * `POST /api/v1/events`: access logs of other systems, in the event format of DESIGN.md, put on the ledger and
 * judged by live detection like Custos's own record views. The whole batch is checked before anything is
 * stored: one bad event refuses the batch and changes nothing.
 */
export function eventRoutes(app: FastifyInstance, rt: Runtime): void {
  app.register((scoped, _options, done) => {
    scoped.addHook('preHandler', authenticate(rt.identity, rt.watch.gate));
    scoped.post('/api/v1/events', { bodyLimit: 4 * 1024 * 1024 }, async (request, reply) => {
      const p = principalOf(request);
      if (!EVENT_SOURCE_ROLES.has(p.role) || p.via !== 'token') {
        await recordRequest(rt, request, p, { action: 'admin', outcome: 'denied', detail: { kind: 'events.ingest' }, reason: 'CUSTOS_EVENTS_FORBIDDEN' });
        throw new CustosError('CUSTOS_EVENTS_FORBIDDEN', 403, 'Only the API token of an integration account may send events (custos token create --integration NAME).');
      }
      const { events } = body.parse(request.body);
      const now = rt.clock.now().getTime();
      const seen = new Set<string>();
      events.forEach((e, i) => {
        const problem = eventProblem(e);
        if (problem !== undefined) throw new CustosError('CUSTOS_EVENT_INVALID', 400, `Event ${i} does not match the event format at ${problem}. Nothing was stored.`);
        const ev = e as AccessEvent;
        if (ev.system.toLowerCase().startsWith('custos') || ev.actor === DETECT_ACTOR || ev.actor === 'cli') {
          throw new CustosError('CUSTOS_EVENT_INVALID', 400, `Event ${i} claims to come from Custos itself (system or actor). Nothing was stored.`);
        }
        const t = Date.parse(ev.time);
        if (t < now - PAST_MS || t > now + FUTURE_MS) {
          throw new CustosError('CUSTOS_EVENT_TIME', 400, `Event ${i} is timed more than 24 hours ago or more than 5 minutes ahead; send events as they happen. Nothing was stored.`);
        }
        if (seen.has(ev.id)) throw new CustosError('CUSTOS_EVENT_INVALID', 400, `Event ${i} repeats the id of an earlier event in the batch. Nothing was stored.`);
        seen.add(ev.id);
      });
      // In time order, so that detection sees them as they happened.
      const ordered = (events as AccessEvent[]).slice().sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
      await recordRequest(rt, request, p, { action: 'admin', outcome: 'allowed', detail: { kind: 'events.ingest', count: ordered.length } });
      let indexes: { index: number }[];
      try {
        indexes = await Promise.all(ordered.map((e) => rt.ledger.append(e)));
      } catch {
        throw new CustosError('CUSTOS_LEDGER_UNAVAILABLE', 503, 'The events could not all be made durable on the ledger; send the batch again (event ids let the reader tell repeats apart).');
      }
      const at = indexes.map((x) => x.index);
      return reply.status(201).send({ accepted: ordered.length, first: Math.min(...at), last: Math.max(...at) });
    });

    // Tickets from an outside ticket system (what justifies a reveal): created or replaced, and ledgered.
    scoped.put('/api/v1/tickets/:id', async (request) => {
      const p = principalOf(request);
      if (!EVENT_SOURCE_ROLES.has(p.role) || p.via !== 'token') {
        await recordRequest(rt, request, p, { action: 'admin', outcome: 'denied', detail: { kind: 'ticket.upsert' }, reason: 'CUSTOS_EVENTS_FORBIDDEN' });
        throw new CustosError('CUSTOS_EVENTS_FORBIDDEN', 403, 'Only the API token of an integration account may send tickets (custos token create --integration NAME).');
      }
      const t = ticketBody.parse({ ...(request.body as object), id: (request.params as { id: string }).id });
      if ((await rt.identity.findStaff(t.assignee)) === undefined) throw new CustosError('CUSTOS_STAFF_NOT_FOUND', 404, `No staff member has the id ${t.assignee}.`);
      const existing = await rt.identity.ticket(t.id);
      if (existing !== undefined && existing.system !== p.staffId) {
        throw new CustosError('CUSTOS_TICKET_OTHER_SYSTEM', 409, `Ticket ${t.id} belongs to another ticket system; each system owns its tickets.`);
      }
      const normalise = (x: string): string => new Date(x).toISOString();
      await recordRequest(rt, request, p, { action: 'admin', outcome: 'allowed', subjects: t.subjects, detail: { kind: 'ticket.upsert', ticket: t.id, assignee: t.assignee, status: t.status } });
      await rt.identity.upsertTicket({ id: t.id, assignee: t.assignee, status: t.status, openedAt: normalise(t.openedAt), closedAt: t.closedAt === null ? null : normalise(t.closedAt), system: p.staffId, subjects: t.subjects });
      return { id: t.id, status: t.status, subjects: t.subjects.length };
    });
    done();
  });
}
