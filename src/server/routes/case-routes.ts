import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CustosError } from '../../core/errors.js';
import type { Principal } from '../../identity/index.js';
import { exportCaseBundle } from '../../ledger/index.js';
import type { Runtime } from '../runtime.js';
import { authenticate, principalOf } from '../auth.js';
import {
  CASE_STATUSES, INCIDENT_GRADES, NOTICE_AUDIENCES, NOTICE_LANGS, NOTICE_LIMITS, NOTICE_PARTS, OPERATOR_KINDS,
  draftNotice, fieldClasses, legalBasis, noticeProblems, noticeRepo, renderNoticeHtml, renderNoticePdf, sourceRecipients,
  type Assessment, type Case, type NoticeFacts, type SeverityEntry,
} from '../../cases/index.js';
import { LEGAL_CATEGORIES } from '../../catalog/index.js';
import { MAX_LEAKED_BYTES } from '../../marks/index.js';
import { traceLeakedFile } from '../trace-file.js';
import { parseAudience, rankSuspects } from '../../trace/index.js';
import { reportCanaryHit, runtimeAccessSource } from '../trace-canary.js';
import { hitBody } from './canary-routes.js';
import { recordRequest, requireSecurityRole, sha256Hex as sha256 } from './record.js';
import { subjectId } from './schemas.js';

const id = z.string().regex(/^[A-Za-z0-9._:@-]{1,128}$/, 'an id');
const time = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().min(3).max(max);
const complaintBody = z
  .object({
    subjects: z.array(subjectId).min(1).max(50),
    channel: z.enum(['phone', 'email', 'letter', 'in_person', 'app', 'regulator', 'social_media']),
    description: text(4000),
    identifiers: z.array(z.enum(['name', 'mobile', 'id_number', 'bank_card', 'address', 'email', 'employer'])).max(7).default([]),
    from: time.optional(),
    to: time.optional(),
  })
  .strict();
const fromAlertsBody = z.object({ alerts: z.array(id).min(1).max(50) }).strict();
const transitionBody = z.object({ to: z.enum(CASE_STATUSES) }).strict();
const assignBody = z.object({ assignee: id }).strict();
const noteBody = z.object({ body: text(4000) }).strict();
const findingsBody = z
  .object({ cause: text(2000), responsible: z.array(id).max(50), checked: z.string().trim().max(2000).optional(), recordsAffected: z.number().int().min(0).max(1e9), measures: text(2000) })
  .strict();
const replyBody = z.object({ reply: text(4000) }).strict();
const containBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('suspend'), person: id }).strict(),
  z.object({ action: z.literal('revoke_grants'), person: id }).strict(),
  // A leaked export's access rotated: its grant ends now, so no further download of it is possible.
  z.object({ action: z.literal('revoke_export'), export: id }).strict(),
  // A canary added to the affected set (one viewer, a team or an export), so the next leak from it names itself.
  z.object({ action: z.literal('add_canary'), audience: z.string().min(3).max(200) }).strict(),
]);
const records = z.number().int().min(0).max(1e12);
const severityBody = z
  .object({
    records: z.partialRecord(z.enum(LEGAL_CATEGORIES), records).optional(),
    people: records.optional(),
    illegalGainYuan: z.number().min(0).max(1e12).multipleOf(0.01).optional(),
    insider: z.boolean().optional(),
    operator: z.enum(OPERATOR_KINDS).optional(),
    grade: z.enum(INCIDENT_GRADES).optional(),
    discoveredAt: time.optional(),
  })
  .strict();
const fileBody = z.object({ filename: z.string().min(1).max(255), content: z.string().min(1).max(14_000_000) }).strict();
const noticeParams = z.object({ id, audience: z.enum(NOTICE_AUDIENCES), lang: z.enum(NOTICE_LANGS) }).strict();
const noticeBody = z
  .object({ text: z.object(Object.fromEntries(NOTICE_PARTS.map((p) => [p, z.string().max(NOTICE_LIMITS[p])])) as Record<(typeof NOTICE_PARTS)[number], z.ZodString>).strict() })
  .strict();
const DAY = 86_400_000;

/** The OpenAPI paths of the case routes, from the same zod schemas that validate them. */
export function caseOpenApiPaths(h: {
  json: (schema: z.ZodType) => Record<string, unknown>;
  errors: (...codes: number[]) => Record<string, unknown>;
  auth: readonly Record<string, unknown>[];
}): Record<string, unknown> {
  const caseId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const notice = [caseId, { name: 'audience', in: 'path', required: true, schema: { type: 'string', enum: [...NOTICE_AUDIENCES] } }, { name: 'lang', in: 'path', required: true, schema: { type: 'string', enum: [...NOTICE_LANGS] } }];
  const op = (summary: string, body: z.ZodType | null, ok: string, codes: number[], parameters: readonly unknown[] = [caseId]) => ({
    summary,
    security: h.auth,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body !== null ? { requestBody: { required: true, content: h.json(body) } } : {}),
    responses: { '200': { description: ok }, ...h.errors(...codes) },
  });
  return {
    '/api/v1/complaints': { post: op('Open a case from a complaint (security roles; docs/investigations.md)', complaintBody, '201 {caseId}', [400, 401, 403], []) },
    '/api/v1/cases': {
      post: op('Open a case from alerts', fromAlertsBody, '201 {caseId}', [400, 401, 403, 404], []),
      get: op('List cases', null, '{items: [case]}', [400, 401, 403], []),
    },
    '/api/v1/cases/from-canary-hit': { post: op("Open a case from a canary's value found outside: names the canary, raises critical alerts on whoever was shown it", hitBody, '201 {caseId, canary, audience, shownTo, export?, alerts}', [400, 401, 403, 404], []) },
    '/api/v1/cases/from-file': { post: op('Open a case from a leaked CSV/XLSX (base64): the customers it resolves to, the exports it was traced to', fileBody, '201 {caseId, exports}', [400, 401, 403, 422], []) },
    '/api/v1/cases/{id}': { get: op('A case with its forensics, assessment (severity, grade, reporting clock, sensitive information, minors), legal basis and notices (docs/cases.md)', null, 'the case', [400, 401, 403, 404]) },
    '/api/v1/cases/{id}/transition': { post: op('Move a case (closing needs findings, and a reply for complaints)', transitionBody, 'the case', [400, 401, 403, 404, 409]) },
    '/api/v1/cases/{id}/assign': { post: op('Assign a case', assignBody, 'the case', [400, 401, 403, 404, 409]) },
    '/api/v1/cases/{id}/notes': { post: op('Add a note', noteBody, '201 the note', [400, 401, 403, 404]) },
    '/api/v1/cases/{id}/contain': { post: op('Containment: suspend a person or revoke their grants', containBody, '{action, person, …}', [400, 401, 403, 404]) },
    '/api/v1/cases/{id}/findings': { put: op('Set the findings', findingsBody, 'the case', [400, 401, 403, 404, 409]) },
    '/api/v1/cases/{id}/reply': { put: op('Set the reply to the complainant', replyBody, 'the case', [400, 401, 403, 404, 409]) },
    '/api/v1/cases/{id}/severity': { put: op('Enter figures for severity and the reporting clock', severityBody, 'the case with its assessment', [400, 401, 403, 404, 409]) },
    '/api/v1/cases/{id}/notices': {
      post: op('Draft the notices (regulator and individual, zh-CN and en) not drafted yet', null, '201 {drafted, notices} (200 when all exist)', [400, 401, 403, 404, 409]),
      get: op('The latest version of each notice and the people to notify (contacts masked)', null, '{notices, recipients}', [400, 401, 403, 404]),
    },
    '/api/v1/cases/{id}/notices/{audience}/{lang}': { put: op('Save a new version of a notice', noticeBody, 'the version with its SHA-256 and missing parts', [400, 401, 403, 404, 409], notice) },
    '/api/v1/cases/{id}/notices/{audience}/{lang}/{format}': {
      get: op('Export a notice as HTML or PDF (refused while a part is empty)', null, 'text/html or application/pdf', [400, 401, 403, 404, 409], [
        ...notice,
        { name: 'format', in: 'path', required: true, schema: { type: 'string', enum: ['html', 'pdf'] } },
        { name: 'version', in: 'query', schema: { type: 'integer', minimum: 1 } },
      ]),
    },
    '/api/v1/cases/{id}/bundle': { get: op('The evidence: ledger bundle with proofs, forensic report, manifest (custos ledger verify)', null, 'custos-case-evidence/1', [400, 401, 403, 404]) },
  };
}

/**
 * Cases: complaints and alerts turned into investigations. Only the security roles open and work cases; every
 * step, note, assignment and view is an event on the ledger naming the people concerned (investigators are
 * watched too). Free text (descriptions, notes, findings, replies) stays in Custos's store; its SHA-256 goes on
 * the ledger.
 */
export function caseRoutes(app: FastifyInstance, rt: Runtime): void {
  const { cases } = rt;

  async function step(request: FastifyRequest, p: Principal, c: Pick<Case, 'id' | 'subjects'>, kind: string, extra: Record<string, unknown> = {}, action: 'admin' | 'query' = 'admin'): Promise<void> {
    await recordRequest(rt, request, p, { action, outcome: 'allowed', subjects: c.subjects, detail: { kind, case: c.id, ...extra } });
  }

  async function must(caseId: string): Promise<Case> {
    const c = await cases.get(caseId);
    if (c === undefined) throw new CustosError('CUSTOS_CASE_NOT_FOUND', 404, `No case has the id ${caseId}.`);
    return c;
  }

  async function full(c: Case) {
    const { forensics, assessment } = await cases.assess(c);
    // The tracing capability's ranking of who could have leaked these people (likelihood over what each person
    // was shown), beside the case's own ranking (which also weighs unmasked and unexplained views).
    const ranking = await rankSuspects({ subjects: c.subjects, from: c.window.from, to: c.window.to, limit: 10 }, runtimeAccessSource(rt));
    const attribution = { outside: ranking.outside, suspects: ranking.suspects.map((x) => ({ kind: x.kind, actor: x.actor, ...(x.exportId !== undefined ? { exportId: x.exportId } : {}), rank: x.rank, probability: x.probability, covered: x.covered, breadth: x.breadth, reasons: x.reasons })) };
    const top = forensics.suspects.slice(0, 5).map((s) => s.actor);
    const related = [];
    for (const actor of top) related.push(...(await rt.watch.alerts({ actor, limit: 20 })));
    // The notices' latest versions by hash (their texts: GET …/notices), so the evidence report pins what was sent.
    const noticeVersions = (await notices.latest(c.id)).map((n) => ({ audience: n.audience, lang: n.lang, version: n.version, sha256: n.sha256, author: n.author, createdAt: n.createdAt }));
    return { ...c, notes: await cases.notes(c.id), forensics, attribution, assessment, legalBasis: legalBasis(), notices: noticeVersions, alerts: related, holds: top.flatMap((a) => rt.watch.holds(a)) };
  }

  const notices = noticeRepo(rt.store);
  const classOf = fieldClasses(rt.plan.fields);
  const recipients = sourceRecipients(rt.source, rt.plan, (kind, value) => rt.masker.mask(kind, value));

  /** What a notice draft is written from: the case, its assessment, its containment and the company. */
  async function noticeFacts(c: Case, a: Assessment): Promise<NoticeFacts> {
    const containment = (await cases.notes(c.id)).flatMap((n) => (n.kind === 'containment' ? [n.body.split(' ')[0]] : [])).filter((k): k is 'suspend' | 'revoke_grants' => k === 'suspend' || k === 'revoke_grants');
    // What the complaint names counts too: the person knows what the callers knew.
    const named = ((c.intake as { identifiers?: string[] }).identifiers ?? []).flatMap((n) => {
      const f = rt.plan.fields.find((x) => x.column === n || (n === 'id_number' && x.mask === 'cn_id_card') || (n === 'mobile' && x.mask === 'cn_mobile'));
      if (f === undefined || a.fieldsSeen.some((s) => s.column === f.column)) return [];
      const k = classOf(f.column);
      return [{ column: f.column, type: k.type, category: k.category }];
    });
    return {
      caseId: c.id,
      discoveredAt: a.clock.from,
      people: a.incident.people,
      information: [...a.fieldsSeen, ...named],
      sensitive: a.sensitive.flagged,
      minors: a.sensitive.minors.count,
      cause: c.findings?.cause ?? null,
      containment,
      measures: c.findings?.measures ?? null,
      severity: a.severity.level,
      grade: a.incident.grade,
      deadline: a.clock.deadline,
      reportTo: a.clock.to,
      company: rt.config.cases.companyName ?? null,
      contact: rt.config.cases.companyContact ?? null,
    };
  }

  async function noticeList(c: Case) {
    return (await notices.latest(c.id)).map((n) => ({ ...n, problems: noticeProblems(n.text) }));
  }

  app.register((scoped, _options, done) => {
    scoped.addHook('preHandler', authenticate(rt.identity, rt.watch.gate));
    scoped.addHook('onSend', (_request, reply, payload, next) => {
      void reply.header('cache-control', 'no-store');
      next(null, payload);
    });
    scoped.addHook('preHandler', async (request) => {
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'case', 'open or work cases');
    });

    scoped.post('/api/v1/complaints', async (request, reply) => {
      const body = complaintBody.parse(request.body);
      const p = principalOf(request);
      const now = rt.clock.now();
      const to = body.to !== undefined ? new Date(body.to) : now;
      const from = body.from !== undefined ? new Date(body.from) : new Date(to.getTime() - 180 * DAY);
      if (from > to) throw new CustosError('CUSTOS_BAD_REQUEST', 400, 'The complaint window starts after it ends.');
      const c = await cases.open({
        source: 'complaint',
        openedBy: p.staffId,
        subjects: body.subjects,
        window: { from: from.toISOString(), to: new Date(Math.min(to.getTime() + DAY, now.getTime())).toISOString() },
        intake: { channel: body.channel, description: body.description, identifiers: body.identifiers },
      });
      await step(request, p, c, 'case.open', { source: 'complaint', channel: body.channel, identifiers: body.identifiers, descriptionSha256: sha256(body.description) });
      return reply.status(201).send({ caseId: c.id });
    });

    scoped.post('/api/v1/cases', async (request, reply) => {
      const body = fromAlertsBody.parse(request.body);
      const p = principalOf(request);
      const subjects = new Set<string>();
      let earliest = rt.clock.now().toISOString();
      for (const alertId of body.alerts) {
        const a = await rt.watch.alert(alertId);
        if (a === undefined) throw new CustosError('CUSTOS_ALERT_NOT_FOUND', 404, `No alert has the id ${alertId}.`);
        if (a.time < earliest) earliest = a.time;
        for (const e of await rt.ledger.events({ actor: a.actor, from: new Date(Date.parse(a.time) - 30 * DAY).toISOString(), to: a.time, limit: 10_000 })) {
          if (a.events.includes(e.event.id)) for (const s of e.event.subjects) if (subjects.size < 10_000) subjects.add(s);
        }
      }
      const c = await cases.open({
        source: 'alerts',
        openedBy: p.staffId,
        subjects: [...subjects],
        window: { from: new Date(Date.parse(earliest) - 30 * DAY).toISOString(), to: rt.clock.now().toISOString() },
        intake: { alerts: body.alerts },
      });
      for (const alertId of body.alerts) await rt.watch.triage(alertId, { status: 'case', resolution: `case ${c.id}` });
      await step(request, p, c, 'case.open', { source: 'alerts', alerts: body.alerts });
      return reply.status(201).send({ caseId: c.id });
    });

    scoped.post('/api/v1/cases/from-file', { bodyLimit: 16 * 1024 * 1024 }, async (request, reply) => {
      const body = fileBody.parse(request.body);
      const p = principalOf(request);
      const data = Buffer.from(body.content, 'base64');
      if (data.length > MAX_LEAKED_BYTES / 5) throw new CustosError('CUSTOS_TRACE_FILE_TOO_LARGE', 400, 'Upload at most 10 MB; a sample of 20 rows is enough.');
      const { table, leaked, subjects, ranked } = await traceLeakedFile(rt, body.filename, data);
      if (subjects.size === 0) throw new CustosError('CUSTOS_CASE_FILE_NO_SUBJECTS', 422, 'No row of the file resolves to a known customer: there is nobody to open a case about.');
      const now = rt.clock.now();
      const exports = ranked.slice(0, 5).map((m) => ({ exportId: m.exportId, recipient: m.recipient, rows: m.rows, confidence: m.confidence }));
      const c = await cases.open({
        source: 'file',
        openedBy: p.staffId,
        subjects: [...subjects].slice(0, 10_000),
        window: { from: new Date(now.getTime() - 180 * DAY).toISOString(), to: now.toISOString() },
        intake: { fileSha256: createHash('sha256').update(data).digest('hex'), bytes: data.length, rows: table.length, resolved: leaked.rows.length, trace: { exports } },
      });
      await step(request, p, c, 'case.open', { source: 'file', rows: table.length, resolved: leaked.rows.length, top: exports[0]?.exportId ?? null });
      return reply.status(201).send({ caseId: c.id, exports });
    });

    scoped.post('/api/v1/cases/from-canary-hit', async (request, reply) => {
      const body = hitBody.parse(request.body);
      const p = principalOf(request);
      // The hit itself: names the canary, raises a critical alert on each person it was shown to.
      const { exposure, alerts } = await reportCanaryHit(rt, body);
      const now = rt.clock.now();
      // The case is about the canary: its forensics are every access to it, so the people it was shown to rank first.
      // (Investigators' own case steps naming a canary are not canary touches: the detector skips security roles.)
      const c = await cases.open({
        source: 'canary',
        openedBy: p.staffId,
        subjects: [exposure.canary.id],
        window: { from: new Date(now.getTime() - 180 * DAY).toISOString(), to: now.toISOString() },
        intake: {
          canary: exposure.canary.id,
          audience: exposure.canary.audience,
          hitKind: body.kind,
          channel: body.channel,
          ...(body.note !== undefined ? { noteSha256: sha256(body.note) } : {}),
          shownTo: exposure.shownTo.map((v) => ({ actor: v.actor, events: v.events, first: v.first, event: v.event })),
          ...(exposure.export !== undefined ? { export: exposure.export } : {}),
          alerts,
        },
      });
      await step(request, p, c, 'case.open', { source: 'canary', canary: exposure.canary.id, hitKind: body.kind, channel: body.channel, alerts });
      return reply.status(201).send({ caseId: c.id, canary: exposure.canary.id, audience: exposure.canary.audience, shownTo: exposure.shownTo.map((v) => v.actor), ...(exposure.export !== undefined ? { export: exposure.export } : {}), alerts });
    });

    scoped.get('/api/v1/cases', async (request) => {
      const q = z.object({ status: z.enum(CASE_STATUSES).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }).strict().parse(request.query);
      const p = principalOf(request);
      await recordRequest(rt, request, p, { action: 'query', outcome: 'allowed', detail: { kind: 'case.list', ...(q.status !== undefined ? { status: q.status } : {}) } });
      return { items: await cases.list(q.limit, q.status) };
    });

    scoped.get('/api/v1/cases/:id', async (request) => {
      const { id: caseId } = z.object({ id }).strict().parse(request.params);
      const p = principalOf(request);
      const c = await must(caseId);
      await step(request, p, c, 'case.view', {}, 'query');
      return full(c);
    });

    scoped.post('/api/v1/cases/:id/transition', async (request) => {
      const { id: caseId } = z.object({ id }).strict().parse(request.params);
      const body = transitionBody.parse(request.body);
      const p = principalOf(request);
      const before = await must(caseId);
      const c = await cases.move(caseId, body.to);
      await step(request, p, c, 'case.transition', { from: before.status, to: body.to });
      return c;
    });

    scoped.post('/api/v1/cases/:id/assign', async (request) => {
      const { id: caseId } = z.object({ id }).strict().parse(request.params);
      const body = assignBody.parse(request.body);
      const p = principalOf(request);
      const staff = await rt.identity.findStaff(body.assignee);
      if (staff === undefined) throw new CustosError('CUSTOS_STAFF_NOT_FOUND', 404, `No staff member has the id ${body.assignee}.`);
      const c = await cases.assign(caseId, body.assignee);
      await step(request, p, c, 'case.assign', { assignee: body.assignee });
      return c;
    });

    scoped.post('/api/v1/cases/:id/notes', async (request, reply) => {
      const { id: caseId } = z.object({ id }).strict().parse(request.params);
      const body = noteBody.parse(request.body);
      const p = principalOf(request);
      const c = await must(caseId);
      const note = await cases.addNote(caseId, p.staffId, 'note', body.body);
      await step(request, p, c, 'case.note', { note: note.id, bodySha256: sha256(body.body) });
      return reply.status(201).send(note);
    });

    scoped.put('/api/v1/cases/:id/findings', async (request) => {
      const { id: caseId } = z.object({ id }).strict().parse(request.params);
      const body = findingsBody.parse(request.body);
      const p = principalOf(request);
      const c = await cases.setFindings(caseId, { ...body, ...(body.checked !== undefined ? { checked: body.checked } : {}) });
      await step(request, p, c, 'case.findings', { responsible: body.responsible, recordsAffected: body.recordsAffected, findingsSha256: sha256(JSON.stringify(body)) });
      return c;
    });

    scoped.put('/api/v1/cases/:id/severity', async (request) => {
      const { id: caseId } = z.object({ id }).strict().parse(request.params);
      const body = severityBody.parse(request.body);
      const p = principalOf(request);
      const entry = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) as SeverityEntry;
      const c = await cases.setSeverityEntry(caseId, entry);
      await step(request, p, c, 'case.severity', { entry });
      return { ...c, assessment: (await cases.assess(c)).assessment };
    });

    scoped.post('/api/v1/cases/:id/notices', async (request, reply) => {
      const { id: caseId } = z.object({ id }).strict().parse(request.params);
      const p = principalOf(request);
      const c = await must(caseId);
      if (c.status === 'closed') throw new CustosError('CUSTOS_CASE_CLOSED', 409, `Case ${c.id} is closed.`);
      const have = new Set((await notices.latest(c.id)).map((n) => `${n.audience}/${n.lang}`));
      const facts = await noticeFacts(c, (await cases.assess(c)).assessment);
      const drafted = [];
      for (const audience of NOTICE_AUDIENCES) {
        for (const lang of NOTICE_LANGS) {
          if (have.has(`${audience}/${lang}`)) continue;
          const n = await notices.save(c.id, audience, lang, draftNotice(audience, lang, facts), p.staffId, rt.clock.now().toISOString());
          drafted.push({ audience, lang, version: n.version, sha256: n.sha256 });
        }
      }
      if (drafted.length > 0) await step(request, p, c, 'case.notice.draft', { notices: drafted });
      return reply.status(drafted.length > 0 ? 201 : 200).send({ drafted: drafted.length, notices: await noticeList(c) });
    });

    scoped.get('/api/v1/cases/:id/notices', async (request) => {
      const { id: caseId } = z.object({ id }).strict().parse(request.params);
      const p = principalOf(request);
      const c = await must(caseId);
      const people = await recipients(c.subjects);
      // The list of people to notify shows their contacts masked: a read of the people's data, ledgered as such.
      await recordRequest(rt, request, p, {
        action: 'query',
        outcome: 'masked',
        subjects: c.subjects,
        detail: { kind: 'case.notice.list', case: c.id, contacts: rt.plan.fields.filter((f) => f.mask === 'cn_mobile' || f.mask === 'email' || f.mask === 'cn_address').map((f) => f.column) },
      });
      return { notices: await noticeList(c), recipients: people, recipientsTruncated: c.subjects.length > people.length };
    });

    scoped.put('/api/v1/cases/:id/notices/:audience/:lang', async (request) => {
      const { id: caseId, audience, lang } = noticeParams.parse(request.params);
      const body = noticeBody.parse(request.body);
      const p = principalOf(request);
      const c = await must(caseId);
      if (c.status === 'closed') throw new CustosError('CUSTOS_CASE_CLOSED', 409, `Case ${c.id} is closed.`);
      const n = await notices.save(c.id, audience, lang, body.text, p.staffId, rt.clock.now().toISOString());
      await step(request, p, c, 'case.notice.edit', { audience, lang, version: n.version, sha256: n.sha256 });
      return { ...n, problems: noticeProblems(n.text) };
    });

    scoped.get('/api/v1/cases/:id/notices/:audience/:lang/:format', async (request, reply) => {
      const { format, ...params } = z.object({ format: z.enum(['html', 'pdf']) }).passthrough().parse(request.params);
      const { id: caseId, audience, lang } = noticeParams.parse(params);
      const { version } = z.object({ version: z.coerce.number().int().min(1).max(1_000_000).optional() }).strict().parse(request.query);
      const p = principalOf(request);
      const c = await must(caseId);
      const n = await notices.find(c.id, audience, lang, version);
      if (n === undefined) throw new CustosError('CUSTOS_NOTICE_NOT_FOUND', 404, `Case ${c.id} has no ${audience} notice in ${lang}${version !== undefined ? ` at version ${version}` : ''}; draft the notices first (POST /api/v1/cases/${c.id}/notices).`);
      const problems = noticeProblems(n.text);
      if (problems.length > 0) throw new CustosError('CUSTOS_NOTICE_INCOMPLETE', 409, `The notice cannot go out with these parts empty or too long: ${problems.join(', ')}. Edit it first.`);
      await step(request, p, c, 'case.notice.export', { audience, lang, version: n.version, sha256: n.sha256, format });
      const meta = { caseId: c.id, version: n.version, sha256: n.sha256 };
      const name = `custos-${c.id}-${audience}-${lang}-v${n.version}.${format}`;
      void reply.header('content-disposition', `attachment; filename="${name}"`);
      if (format === 'html') return reply.type('text/html; charset=utf-8').send(renderNoticeHtml(lang, n.text, meta));
      return reply.type('application/pdf').send(await renderNoticePdf(lang, n.text, meta));
    });

    scoped.put('/api/v1/cases/:id/reply', async (request) => {
      const { id: caseId } = z.object({ id }).strict().parse(request.params);
      const body = replyBody.parse(request.body);
      const p = principalOf(request);
      const c = await cases.setReply(caseId, body.reply);
      await step(request, p, c, 'case.reply', { replySha256: sha256(body.reply) });
      return c;
    });

    scoped.post('/api/v1/cases/:id/contain', async (request) => {
      const { id: caseId } = z.object({ id }).strict().parse(request.params);
      const body = containBody.parse(request.body);
      const p = principalOf(request);
      const c = await must(caseId);
      if (body.action === 'revoke_export') {
        const x = await rt.access.get(body.export);
        if (x?.kind !== 'export') throw new CustosError('CUSTOS_REQUEST_NOT_FOUND', 404, `No export has the id ${body.export}.`);
        const revoked = await rt.access.revokeExport(body.export);
        await cases.addNote(caseId, p.staffId, 'containment', `revoke_export ${body.export}`);
        await step(request, p, c, 'case.contain.revoke_export', { export: body.export, recipient: x.requester, revoked });
        return { action: body.action, export: body.export, recipient: x.requester, revoked };
      }
      if (body.action === 'add_canary') {
        const audience = parseAudience(body.audience);
        const [made] = await rt.canaries.create(audience, 1, p.staffId);
        if (made === undefined) throw new CustosError('CUSTOS_CANARY_BAD_AUDIENCE', 400, 'No canary could be made for that audience.');
        // The canary's id stays off the case's subjects (a step naming it would look like a canary touch).
        await cases.addNote(caseId, p.staffId, 'containment', `add_canary ${made.audience} ${made.id}`);
        await step(request, p, c, 'case.contain.add_canary', { audience: made.audience });
        return { action: body.action, canary: made.id, audience: made.audience };
      }
      if (body.person === p.staffId) throw new CustosError('CUSTOS_OWN_HOLD', 403, 'A containment against yourself is done by a colleague.');
      if ((await rt.identity.findStaff(body.person)) === undefined) throw new CustosError('CUSTOS_STAFF_NOT_FOUND', 404, `No staff member has the id ${body.person}.`);
      let result: Record<string, unknown>;
      if (body.action === 'suspend') {
        const { hold, ended } = await rt.watch.suspend(body.person);
        result = { hold: hold.id, sessionsEnded: ended };
      } else {
        result = { grantsRevoked: await rt.access.revokeGrants(body.person) };
      }
      await cases.addNote(caseId, p.staffId, 'containment', `${body.action} ${body.person}`);
      await step(request, p, c, `case.contain.${body.action}`, { person: body.person, ...result });
      return { action: body.action, person: body.person, ...result };
    });

    scoped.get('/api/v1/cases/:id/bundle', async (request, reply) => {
      const { id: caseId } = z.object({ id }).strict().parse(request.params);
      const p = principalOf(request);
      const c = await must(caseId);
      // The download is itself a step of the case, so it is in the bundle it produces.
      await step(request, p, c, 'case.bundle', {});
      const report = await full(c);
      const bundle = await exportCaseBundle(rt.ledger, [
        ...c.subjects.slice(0, 200).map((subject) => ({ subject, from: c.window.from })),
      ]);
      const reportJson = JSON.stringify(report);
      const bundleJson = JSON.stringify(bundle);
      void reply.header('content-disposition', `attachment; filename="custos-${c.id}-evidence.json"`);
      return {
        format: 'custos-case-evidence/1',
        case: c.id,
        manifest: { bundleSha256: sha256(bundleJson), reportSha256: sha256(reportJson), entries: bundle.entries.length, checkpoint: bundle.checkpoint.split('\n')[1] },
        bundle,
        report,
      };
    });
    done();
  });
}
