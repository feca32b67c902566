import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EXPORT_FORMATS, writeExport, type AccessRequest, type ExportRow, type ExportTable } from '../../access/index.js';
import { policyContext } from '../../gateway/index.js';
import { refusal, type CompiledPolicy, type Grant } from '../../policy/index.js';
import { CustosError } from '../../core/errors.js';
import { scalarText } from '../../gateway/index.js';
import type { Principal } from '../../identity/index.js';
import type { Runtime } from '../runtime.js';
import { authenticate, principalOf } from '../auth.js';
import { recordRequest, sha256Hex as sha256 } from './record.js';
import { subjectId } from './schemas.js';

const id = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'an id');
const purpose = z.string().regex(/^[a-z][a-z0-9_]{1,63}$/, 'a purpose code');
const reason = z.string().trim().min(5).max(1000);

/** A source value as an export cell: numbers stay numbers, everything else text. */
const cellOf = (v: unknown): string | number => (typeof v === 'number' ? v : v === null || v === undefined ? '' : scalarText(v));

/** A view of a request for its requester or approver: ids and fields, the reason text only to those two. */
function shown(r: AccessRequest): Record<string, unknown> {
  return { ...r, subjectCount: r.subjects.length, subjects: r.subjects.length <= 100 ? r.subjects : r.subjects.slice(0, 100) };
}

/**
 * Requests, approvals and exports. Every step is an event on the ledger: a request (with the customers it
 * names), each decision, each download of an export (with every customer the file contains).
 */
export function accessRoutes(app: FastifyInstance, rt: Runtime): void {
  const { access, plan } = rt;
  const columns = new Set(plan.fields.map((f) => f.column));
  const fieldList = z
    .array(z.string().min(1).max(64))
    .min(1)
    .max(64)
    .refine((fs) => fs.every((f) => columns.has(f)), { message: `fields are among: ${[...columns].join(', ')}` });
  const revealRequest = z.object({ subjects: z.array(subjectId).min(1).max(100), fields: fieldList, purpose, ticket: id.optional(), reason }).strict();
  const exportRequest = z
    .object({
      subjects: z.array(subjectId).min(1).max(rt.config.exportMaxRows).optional(),
      assigned: z.literal(true).optional(),
      fields: fieldList,
      purpose,
      reason,
      format: z.enum(EXPORT_FORMATS).default('csv'),
    })
    .strict()
    .refine((b) => (b.subjects === undefined) !== (b.assigned === undefined), { message: 'give subjects or assigned: true' });
  const decision = z.object({ decision: z.enum(['approve', 'reject']), reason, hours: z.number().int().min(1).max(720).default(8) }).strict();
  const listQuery = z.object({ scope: z.enum(['mine', 'decide']).default('mine'), kind: z.enum(['reveal', 'export']).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

  async function requestEvent(request: FastifyRequest, p: Principal, r: AccessRequest, kind: string, extra: Record<string, unknown> = {}): Promise<void> {
    await recordRequest(rt, request, p, {
      action: 'admin',
      outcome: 'allowed',
      subjects: r.subjects,
      detail: { kind, request: r.id, type: r.kind, fields: [...r.fields], purpose: r.purpose, ...(r.ticket !== null ? { ticket: r.ticket } : {}), ...extra },
    });
  }

  /** The person's grant for a purpose (an approval basis counts: requests are what approvals are for). */
  async function grantOf(p: Principal, purposeCode: string): Promise<{ grant: Grant; compiled: CompiledPolicy; why: (ids: readonly string[]) => string }> {
    // One version throughout: the grant and the words explaining it come from the same policy.
    const engine = rt.policies.decider();
    const grant = await engine.grantFor(await rt.person(p), policyContext(rt.clock.now(), purposeCode, null, false));
    return { grant, compiled: engine.compiled, why: (ids) => (ids.length > 0 ? ids.map((i) => engine.compiled.byId.get(i)?.why ?? i).join('; ') : 'no policy allows it (deny by default)') };
  }

  /**
   * A request for something the policy never allows (a forbidden field, a purpose the role does not have, an export
   * the policy denies even with approval) is refused at once: no approver can grant it. Recorded either way.
   */
  async function refuseForbidden(request: FastifyRequest, p: Principal, kind: 'reveal' | 'export', subjects: readonly string[], fields: readonly string[], purposeCode: string): Promise<void> {
    const { grant, compiled, why } = await grantOf(p, purposeCode);
    let refused: CustosError | undefined;
    if (!grant.purposeAllowed) refused = refusal(compiled, grant, 0, fields[0] ?? '');
    if (refused === undefined && kind === 'reveal') {
      // Forbidden under every relation and basis the person could have to a customer: no approval helps.
      const field = fields.find((f) => grant.table.every((r) => r === undefined || (r.reveal[f]?.effect ?? 'deny') === 'deny'));
      if (field !== undefined) refused = refusal(compiled, grant, 0, field);
    }
    if (refused === undefined && kind === 'export') {
      const field = fields.find((f) => (grant.export[f]?.effect ?? 'deny') === 'deny');
      if (field !== undefined) {
        const ids = grant.export[field]?.policies ?? [];
        const w = why(ids);
        refused = new CustosError('CUSTOS_FIELD_FORBIDDEN', 403, `${w.charAt(0).toUpperCase()}${w.slice(1)} (${ids.length > 0 ? `policy ${ids.join(', ')}` : 'deny by default'}).`, { field, policies: ids });
      }
    }
    if (refused === undefined) return;
    await recordRequest(rt, request, p, { action: 'admin', outcome: 'denied', subjects: subjects.slice(0, 10_000), detail: { kind: 'request.create', type: kind, fields: [...fields], purpose: purposeCode }, reason: refused.code });
    throw refused;
  }

  app.register((scoped, _options, done) => {
    scoped.addHook('preHandler', authenticate(rt.identity, rt.watch.gate));
    scoped.addHook('onSend', (_request, reply, payload, next) => {
      void reply.header('cache-control', 'no-store');
      next(null, payload);
    });

    scoped.post('/api/v1/access-requests', async (request, reply) => {
      const body = revealRequest.parse(request.body);
      const p = principalOf(request);
      await refuseForbidden(request, p, 'reveal', body.subjects, body.fields, body.purpose);
      const r = await access.create({ kind: 'reveal', requester: p.staffId, subjects: body.subjects, fields: body.fields, purpose: body.purpose, reason: body.reason, ...(body.ticket !== undefined ? { ticket: body.ticket } : {}) });
      await requestEvent(request, p, r, 'request.create', { reasonSha256: sha256(body.reason) });
      return reply.status(201).send(shown(r));
    });

    // A list of ids up to the row ceiling fits (ids of up to 128 characters, quoted, with commas), however long.
    scoped.post('/api/v1/exports', { bodyLimit: rt.config.exportMaxRows * 131 + 64 * 1024 }, async (request, reply) => {
      const body = exportRequest.parse(request.body);
      const p = principalOf(request);
      const subjects = body.subjects ?? (await rt.identity.assigned(p.staffId, undefined, rt.config.exportMaxRows + 1));
      if (subjects.length > rt.config.exportMaxRows) {
        throw new CustosError('CUSTOS_EXPORT_TOO_LARGE', 400, `An export holds at most ${rt.config.exportMaxRows.toLocaleString('en')} rows; split the request.`);
      }
      if (subjects.length === 0) throw new CustosError('CUSTOS_BAD_REQUEST', 400, 'The export would hold no customers.');
      await refuseForbidden(request, p, 'export', subjects, body.fields, body.purpose);
      const r = await access.create({ kind: 'export', requester: p.staffId, subjects, fields: body.fields, purpose: body.purpose, reason: body.reason, format: body.format });
      await requestEvent(request, p, r, 'request.create', { rows: subjects.length, format: body.format, reasonSha256: sha256(body.reason) });
      return reply.status(201).send(shown(r));
    });

    scoped.get('/api/v1/access-requests', async (request) => {
      const q = listQuery.parse(request.query);
      const p = principalOf(request);
      const items = q.scope === 'mine' ? await access.mine(p.staffId, q.limit, q.kind) : (await access.toDecide(p.staffId, q.limit)).filter((r) => q.kind === undefined || r.kind === q.kind);
      return { items: items.map(shown) };
    });

    scoped.post('/api/v1/access-requests/:id/decision', async (request) => {
      const { id: requestId } = z.object({ id }).strict().parse(request.params);
      const body = decision.parse(request.body);
      const p = principalOf(request);
      const before = await access.get(requestId);
      if (before === undefined) throw new CustosError('CUSTOS_REQUEST_NOT_FOUND', 404, `No access request has the id ${requestId}.`);
      const why = await access.whyNotApprover(p.staffId, before);
      if (why !== undefined) {
        await recordRequest(rt, request, p, { action: 'admin', outcome: 'denied', subjects: before.subjects, detail: { kind: 'request.decide', request: requestId, decision: body.decision }, reason: why.code });
        throw why;
      }
      const hours = Math.min(body.hours, rt.config.approval.maxGrantHours);
      const decided = await access.decide(requestId, p.staffId, body.decision, body.reason, hours);
      await requestEvent(request, p, decided, 'request.decide', { decision: body.decision, requester: decided.requester, ...(decided.expiresAt !== null ? { until: decided.expiresAt } : {}), reasonSha256: sha256(body.reason) });
      return shown(decided);
    });

    scoped.get('/api/v1/exports/:id/file', async (request, reply) => {
      const { id: exportId } = z.object({ id }).strict().parse(request.params);
      const p = principalOf(request);
      const r = await access.get(exportId);
      const now = rt.clock.now().toISOString();
      const refuse = async (code: string, status: number, message: string): Promise<never> => {
        await recordRequest(rt, request, p, { action: 'export', outcome: 'denied', detail: { kind: 'export.download', request: exportId }, reason: code });
        throw new CustosError(code, status, message);
      };
      if (r === undefined || r.kind !== 'export' || r.requester !== p.staffId) return refuse('CUSTOS_REQUEST_NOT_FOUND', 404, `You have no export ${exportId}.`);
      if (r.status !== 'approved') return refuse('CUSTOS_EXPORT_NOT_APPROVED', 403, `Export ${exportId} is ${r.status}; it can be downloaded once approved.`);
      if (r.expiresAt === null || r.expiresAt <= now) return refuse('CUSTOS_EXPORT_EXPIRED', 403, `The approval of export ${exportId} has ended; request the export again.`);
      // The policy is asked again at download: the approval is the basis, but hours, leaving dates and policy changes count.
      let grantNow: Awaited<ReturnType<typeof grantOf>>;
      try {
        grantNow = await grantOf(p, r.purpose);
      } catch {
        return refuse('CUSTOS_POLICY_UNAVAILABLE', 503, 'The access policy could not decide, so the export is not handed out. Try again.');
      }
      const blocked = r.fields.find((f) => (grantNow.grant.export[f]?.effect ?? 'deny') === 'deny');
      if (blocked !== undefined) {
        const ids = grantNow.grant.export[blocked]?.policies ?? [];
        const w = grantNow.why(ids);
        return refuse('CUSTOS_FIELD_FORBIDDEN', 403, `The policy no longer allows this export of ${blocked.replace(/_/g, ' ')}: ${w} (${ids.length > 0 ? `policy ${ids.join(', ')}` : 'deny by default'}).`);
      }

      const rows = await rt.source
        .selectFrom(plan.table as 'customers')
        .select([plan.key, ...r.fields] as 'id'[])
        .where(plan.key as 'id', 'in', [...r.subjects])
        .execute();
      const byId = new Map(rows.map((row) => [String((row as Record<string, unknown>)[plan.key]), row as Record<string, unknown>]));
      const table: ExportTable = {
        columns: [plan.key, ...r.fields],
        rows: r.subjects.flatMap((s): ExportRow[] => {
          const row = byId.get(s);
          if (row === undefined) return [];
          return [Object.fromEntries([plan.key, ...r.fields].map((c) => [c, cellOf(row[c])]))];
        }),
      };
      const marked = await rt.exportMarker.mark(r.id, p.staffId, table);
      // The download is recorded with every customer the file holds before a byte of it leaves.
      await recordRequest(rt, request, p, {
        action: 'export',
        outcome: 'allowed',
        subjects: marked.rows.map((x) => String(x[plan.key])).slice(0, 10_000),
        ticket: r.id,
        count: marked.rows.length,
        detail: { kind: 'export.download', request: r.id, fields: [...r.fields], purpose: r.purpose, rows: marked.rows.length, format: r.format },
      });
      await access.markUsed(r.id);
      const file = await writeExport(r.format ?? 'csv', marked, { exportId: r.id, recipient: p.staffId });
      const type = r.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv; charset=utf-8';
      return reply
        .type(type)
        .header('content-disposition', `attachment; filename="custos-${r.id}.${r.format ?? 'csv'}"`)
        .send(file);
    });
    done();
  });
}
