import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CustosError } from '../../core/errors.js';
import { SEVERITIES } from '../../detect/index.js';
import type { Runtime } from '../runtime.js';
import { authenticate, principalOf } from '../auth.js';
import { ALERT_STATUSES } from '../watch/live-watch.js';
import { recordRequest, requireSecurityRole, sha256Hex as sha256 } from './record.js';

const id = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'an id');
const listQuery = z
  .object({
    status: z.enum(ALERT_STATUSES).optional(),
    actor: id.optional(),
    severity: z.enum(SEVERITIES).optional(),
    before: id.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  })
  .strict();
const idParams = z.object({ id }).strict();
const staffParams = z.object({ staffId: id }).strict();
const reason = z.string().trim().min(3).max(500);
const triageBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assign'), assignee: id }).strict(),
  z.object({ action: z.literal('dismiss'), reason }).strict(),
  z.object({ action: z.literal('reopen'), reason }).strict(),
]);
const liftBody = z.object({ reason }).strict();
const suspendBody = z.object({ reason, alert: id.optional() }).strict();

/**
 * The alert queue and the holds that live detection put on people, for the security roles. Every read and
 * every triage step is an event on the ledger (the watchers are watched).
 */
export function alertRoutes(app: FastifyInstance, rt: Runtime): void {
  app.register((scoped, _options, done) => {
    scoped.addHook('preHandler', authenticate(rt.identity, rt.watch.gate));

    scoped.get('/api/v1/alerts', async (request) => {
      const q = listQuery.parse(request.query);
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'alerts.list', 'read alerts');
      await recordRequest(rt, request, p, { action: 'query', outcome: 'allowed', detail: { kind: 'alerts.list', ...q } });
      const items = await rt.watch.alerts({
        limit: q.limit,
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.actor !== undefined ? { actor: q.actor } : {}),
        ...(q.severity !== undefined ? { minSeverity: q.severity } : {}),
        ...(q.before !== undefined ? { before: q.before } : {}),
      });
      return { items, next: items.length === q.limit ? items[items.length - 1]!.id : null };
    });

    scoped.get('/api/v1/alerts/:id', async (request) => {
      const { id: alertId } = idParams.parse(request.params);
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'alerts.read', 'read alerts');
      await recordRequest(rt, request, p, { action: 'query', outcome: 'allowed', detail: { kind: 'alerts.read', alert: alertId } });
      const alert = await rt.watch.alert(alertId);
      if (alert === undefined) throw new CustosError('CUSTOS_ALERT_NOT_FOUND', 404, `No alert has the id ${alertId}.`);
      return { ...alert, holds: rt.watch.holds(alert.actor) };
    });

    scoped.post('/api/v1/alerts/:id/triage', async (request) => {
      const { id: alertId } = idParams.parse(request.params);
      const body = triageBody.parse(request.body);
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'alerts.triage', 'triage alerts');
      const alert = await rt.watch.alert(alertId);
      if (alert === undefined) throw new CustosError('CUSTOS_ALERT_NOT_FOUND', 404, `No alert has the id ${alertId}.`);
      if (alert.actor === p.staffId) {
        await recordRequest(rt, request, p, { action: 'admin', outcome: 'denied', detail: { kind: 'alerts.triage', alert: alertId, step: body.action }, reason: 'CUSTOS_OWN_ALERT' });
        throw new CustosError('CUSTOS_OWN_ALERT', 403, 'An alert about yourself is triaged by a colleague.');
      }
      if (body.action === 'assign' && (await rt.identity.findStaff(body.assignee)) === undefined) {
        throw new CustosError('CUSTOS_STAFF_NOT_FOUND', 404, `No staff member has the id ${body.assignee}.`);
      }
      // The reason is free text an analyst wrote (it may name people): its text stays in Custos's store, and its
      // length and SHA-256 go on the ledger, so the stored text can be proven unchanged.
      await recordRequest(rt, request, p, {
        action: 'admin',
        outcome: 'allowed',
        detail: { kind: 'alerts.triage', alert: alertId, step: body.action, ...(body.action === 'assign' ? { assignee: body.assignee } : { reasonLength: body.reason.length, reasonSha256: sha256(body.reason) }) },
      });
      if (body.action === 'assign') return rt.watch.triage(alertId, { status: 'assigned', assignee: body.assignee });
      if (body.action === 'dismiss') return rt.watch.triage(alertId, { status: 'dismissed', resolution: body.reason });
      return rt.watch.triage(alertId, { status: 'open', resolution: body.reason });
    });

    scoped.get('/api/v1/holds', async (request) => {
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'holds.list', 'read holds');
      await recordRequest(rt, request, p, { action: 'query', outcome: 'allowed', detail: { kind: 'holds.list' } });
      return { items: rt.watch.holds() };
    });

    scoped.post('/api/v1/holds/:staffId/lift', async (request) => {
      const { staffId } = staffParams.parse(request.params);
      const body = liftBody.parse(request.body);
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'holds.lift', 'lift holds');
      if (staffId === p.staffId) {
        await recordRequest(rt, request, p, { action: 'admin', outcome: 'denied', detail: { kind: 'holds.lift', person: staffId }, reason: 'CUSTOS_OWN_HOLD' });
        throw new CustosError('CUSTOS_OWN_HOLD', 403, 'A hold on yourself is lifted by a colleague.');
      }
      if (rt.watch.holds(staffId).length === 0) throw new CustosError('CUSTOS_HOLD_NOT_FOUND', 404, `${staffId} has no hold in force.`);
      await recordRequest(rt, request, p, { action: 'admin', outcome: 'allowed', detail: { kind: 'holds.lift', person: staffId, reasonLength: body.reason.length, reasonSha256: sha256(body.reason) } });
      return { lifted: await rt.watch.lift(staffId, p.staffId) };
    });

    // Suspends a person by hand (from an alert, before a case exists): their sessions end and every request is
    // refused until a colleague lifts the hold. On the ledger before it is done.
    scoped.post('/api/v1/holds/:staffId/suspend', async (request, reply) => {
      const { staffId } = staffParams.parse(request.params);
      const body = suspendBody.parse(request.body);
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'holds.suspend', 'suspend people');
      if (staffId === p.staffId) {
        await recordRequest(rt, request, p, { action: 'admin', outcome: 'denied', detail: { kind: 'holds.suspend', person: staffId }, reason: 'CUSTOS_OWN_HOLD' });
        throw new CustosError('CUSTOS_OWN_HOLD', 403, 'A suspension of yourself is decided by a colleague.');
      }
      if ((await rt.identity.findStaff(staffId)) === undefined) throw new CustosError('CUSTOS_STAFF_NOT_FOUND', 404, `No staff member has the id ${staffId}.`);
      if (body.alert !== undefined && (await rt.watch.alert(body.alert)) === undefined) throw new CustosError('CUSTOS_ALERT_NOT_FOUND', 404, `No alert has the id ${body.alert}.`);
      await recordRequest(rt, request, p, {
        action: 'admin',
        outcome: 'allowed',
        detail: { kind: 'holds.suspend', person: staffId, ...(body.alert !== undefined ? { alert: body.alert } : {}), reasonLength: body.reason.length, reasonSha256: sha256(body.reason) },
      });
      const { hold, ended } = await rt.watch.suspend(staffId);
      return reply.status(201).send({ hold, sessionsEnded: ended });
    });
    done();
  });
}
