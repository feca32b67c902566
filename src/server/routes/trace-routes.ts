import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CustosError } from '../../core/errors.js';
import { readXlsx } from '../../access/index.js';
import { decodeText, leakedRows, matchExports, MAX_LEAKED_BYTES, parseCsv, resolveView, type ExportCandidate, type SubjectResolver } from '../../marks/index.js';
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

/** Customers by their identifying values, for resolving leaked rows (exact match on indexed columns). */
function sourceResolver(rt: Runtime): SubjectResolver {
  const column: Record<string, string> = { subject_id: rt.plan.key, cn_mobile: 'mobile', cn_id_card: 'id_number', bank_card: 'bank_card', email: 'email' };
  const have = new Set([rt.plan.key, ...rt.plan.fields.map((f) => f.column)]);
  return async (kind, canonical) => {
    const c = column[kind];
    if (c === undefined || !have.has(c)) return undefined;
    const rows = await rt.source.selectFrom(rt.plan.table as 'customers').select(rt.plan.key as 'id').where(c as 'id', '=', canonical).limit(2).execute();
    return rows.length === 1 ? String(rows[0]!.id) : undefined;
  };
}

/**
 * `POST /api/v1/trace/file`: which approved export a leaked CSV or XLSX came from, by its fingerprint
 * (security roles; the lookup is ledgered with counts, never the file's content).
 */
export function traceFileRoutes(app: FastifyInstance, rt: Runtime): void {
  app.register((scoped, _options, done) => {
    scoped.addHook('preHandler', authenticate(rt.identity, rt.watch.gate));
    scoped.post('/api/v1/trace/file', { bodyLimit: 16 * 1024 * 1024 }, async (request) => {
      const body = fileBody.parse(request.body);
      const p = principalOf(request);
      await requireSecurityRole(rt, request, p, 'trace.file', 'trace leaked files');
      const data = Buffer.from(body.content, 'base64');
      if (data.length > MAX_LEAKED_BYTES / 5) throw new CustosError('CUSTOS_TRACE_FILE_TOO_LARGE', 400, 'Upload at most 10 MB; a sample of 20 rows is enough.');
      let table: string[][];
      try {
        table = /\.xlsx$/i.test(body.filename) ? await readXlsx(data) : parseCsv(decodeText(data));
      } catch (e) {
        if (e instanceof CustosError) throw e;
        throw new CustosError('CUSTOS_TRACE_FILE_UNREADABLE', 400, 'The file is neither CSV (UTF-8 or GBK) nor XLSX.');
      }
      const leaked = await leakedRows(table, sourceResolver(rt));
      const subjects = new Set(leaked.rows.map((r) => r.subject));
      const exports = await rt.access.approvedExports(10_000);
      const candidates: ExportCandidate[] = exports
        .map((x) => ({ exportId: x.id, recipient: x.requester, subjects: new Set(x.subjects) }))
        .filter((c) => [...subjects].some((s) => c.subjects.has(s)));
      const ranked = matchExports(rt.fingerprinter, leaked.rows, candidates).slice(0, 10);
      await recordRequest(rt, request, p, {
        action: 'query',
        outcome: 'allowed',
        subjects: [...subjects].slice(0, 10_000),
        detail: { kind: 'trace.file', rows: table.length, resolved: leaked.rows.length, candidates: candidates.length, top: ranked[0]?.exportId ?? null },
      });
      return { rows: table.length, resolved: leaked.rows.length, columns: leaked.columns, exports: ranked };
    });
    done();
  });
}
