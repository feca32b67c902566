import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CustosError } from '../../core/errors.js';
import { MAX_LEAKED_BYTES, resolveView } from '../../marks/index.js';
import { leakEvidence, traceLeakedFile } from '../trace-file.js';
import { runtimeAccessSource } from '../trace-canary.js';
import { MAX_LEAK_SUBJECTS, rankSuspects, type MarkEvidence } from '../../trace/index.js';
import { subjectId } from './schemas.js';
import type { Runtime } from '../runtime.js';
import { authenticate, principalOf } from '../auth.js';
import { recordRequest, requireSecurityRole } from './record.js';

const codeParams = z.object({ code: z.string().min(8).max(40) }).strict();
const textBody = z.object({ text: z.string().min(1).max(1_000_000) }).strict();
const MAX_VIEWS = 50;

/**
 * Tracing marks back to the view they came from (security roles only; each lookup is on the ledger):
 * a view code read off a photo or printout, or a pasted text carrying invisible marks.
 */
export function traceRoutes(app: FastifyInstance, rt: Runtime): void {
  app.register((scoped, _options, done) => {
    scoped.addHook('preHandler', authenticate(rt.identity, rt.watch.gate));

    scoped.get('/api/v1/trace/code/:code', async (request) => {
      const { code } = codeParams.parse(request.params);
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'trace.code', 'trace view codes');
      const index = rt.marks.decode(code);
      await recordRequest(rt, request, p, { action: 'query', outcome: index === undefined ? 'denied' : 'allowed', detail: { kind: 'trace.code', ...(index !== undefined ? { index } : {}) }, ...(index === undefined ? { reason: 'CUSTOS_TRACE_BAD_CODE' } : {}) });
      if (index === undefined) throw new CustosError('CUSTOS_TRACE_BAD_CODE', 400, 'The view code is malformed or its check characters do not match: re-read it (0/O and 1/I/L are read alike).');
      const view = await resolveView(rt.ledger, index);
      if (view === undefined) throw new CustosError('CUSTOS_TRACE_UNKNOWN_VIEW', 404, 'The view code is well formed but names no entry of this ledger (another Custos, or a key that was replaced).');
      return view;
    });

    scoped.post('/api/v1/trace/text', { bodyLimit: 2 * 1024 * 1024 }, async (request) => {
      const { text } = textBody.parse(request.body);
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'trace.text', 'trace marked text');
      const indexes = rt.marks.readText(text).slice(0, MAX_VIEWS);
      // The text itself may be a leaked record: it is neither stored nor ledgered, only what was found in it.
      await recordRequest(rt, request, p, { action: 'query', outcome: 'allowed', detail: { kind: 'trace.text', found: indexes.length, indexes } });
      const views = [];
      for (const i of indexes) {
        const v = await resolveView(rt.ledger, i);
        if (v !== undefined) views.push(v);
      }
      return { views };
    });
    done();
  });
}

const fileBody = z.object({ filename: z.string().min(1).max(255), content: z.string().min(1).max(14_000_000) }).strict();
const isoTime = z.string().datetime({ offset: true }).max(40);
const leakBody = z
  .object({
    subjects: z.array(subjectId).min(1).max(MAX_LEAK_SUBJECTS).optional(),
    file: fileBody.optional(),
    from: isoTime.optional(),
    to: isoTime.optional(),
    limit: z.number().int().min(1).max(100).default(10),
  })
  .strict()
  .refine((b) => (b.subjects === undefined) !== (b.file === undefined), { message: 'give either subjects or file' });

/** An uploaded leaked file (base64), at most 10 MB. */
function uploaded(content: string): Buffer {
  const data = Buffer.from(content, 'base64');
  if (data.length > MAX_LEAKED_BYTES / 5) throw new CustosError('CUSTOS_TRACE_FILE_TOO_LARGE', 400, 'Upload at most 10 MB; a sample of 20 rows is enough.');
  return data;
}

/**
 * `POST /api/v1/trace/file`: which approved export a leaked CSV or XLSX came from, by its fingerprint and its
 * canary rows (security roles; the lookup is ledgered with counts, never the file's content).
 *
 * `POST /api/v1/trace/leak`: who could have leaked these customers (ids, or a leaked CSV/XLSX resolved against the
 * customer data), ranked with reasons, fingerprints and canary rows counted as evidence (security roles;
 * ledgered with counts and the top candidate, canaries in the detail).
 */
export function traceFileRoutes(app: FastifyInstance, rt: Runtime): void {
  app.register((scoped, _options, done) => {
    scoped.addHook('preHandler', authenticate(rt.identity, rt.watch.gate));
    scoped.post('/api/v1/trace/file', { bodyLimit: 16 * 1024 * 1024 }, async (request) => {
      const body = fileBody.parse(request.body);
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'trace.file', 'trace leaked files');
      const data = uploaded(body.content);
      const { table, leaked, subjects, candidates, ranked, canaries } = await traceLeakedFile(rt, body.filename, data);
      const canaryIds = new Set(canaries.map((c) => c.id));
      await recordRequest(rt, request, p, {
        action: 'query',
        outcome: 'allowed',
        // Canaries found are named in the detail, not as subjects: the analyst looking into a file touches none.
        subjects: [...subjects].filter((s) => !canaryIds.has(s)).slice(0, 10_000),
        detail: { kind: 'trace.file', rows: table.length, resolved: leaked.rows.length, candidates: candidates.length, top: ranked[0]?.exportId ?? null, canaries: [...canaryIds].slice(0, 100) },
      });
      return { rows: table.length, resolved: leaked.rows.length, columns: leaked.columns, exports: ranked, canaries };
    });

    scoped.post('/api/v1/trace/leak', { bodyLimit: 16 * 1024 * 1024 }, async (request) => {
      const body = leakBody.parse(request.body);
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'trace.leak', 'attribute leaks');
      let subjects: string[] = body.subjects ?? [];
      let marks: MarkEvidence[] = [];
      let canaryIds: string[] = [];
      if (body.file !== undefined) {
        const ev = await leakEvidence(rt, body.file.filename, uploaded(body.file.content));
        subjects = [...ev.traced.subjects].slice(0, MAX_LEAK_SUBJECTS);
        marks = ev.marks;
        canaryIds = ev.traced.canaries.map((c) => c.id);
      } else {
        for (const s of subjects) if ((await rt.canaries.get(s)) !== undefined) canaryIds.push(s);
      }
      const ranking = await rankSuspects({ subjects, marks, limit: body.limit, ...(body.from !== undefined ? { from: new Date(body.from).toISOString() } : {}), ...(body.to !== undefined ? { to: new Date(body.to).toISOString() } : {}) }, runtimeAccessSource(rt));
      const top = ranking.suspects[0];
      await recordRequest(rt, request, p, {
        action: 'query',
        outcome: 'allowed',
        subjects: subjects.filter((s) => !canaryIds.includes(s)),
        detail: { kind: 'trace.leak', subjects: subjects.length, top: top === undefined ? null : (top.exportId ?? top.actor), canaries: canaryIds.slice(0, 100) },
      });
      return { ...ranking, canaries: canaryIds };
    });
    done();
  });
}
