import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { errorBody, loginBody, meBody, redactBody, redactResult, subjectPage, subjectView } from './schemas.js';
import { caseOpenApiPaths } from './case-routes.js';

const json = (schema: z.ZodType) => ({ 'application/json': { schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) } });
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: 'Error (see docs/errors.md)', content: json(errorBody) }]));
const pageParams = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
  { name: 'after', in: 'query', description: 'the `next` of the previous page', schema: { type: 'string' } },
];

/** The OpenAPI 3.1 description of the HTTP API, built from the same zod schemas that validate requests. */
export function openApiDocument(version: string): Record<string, unknown> {
  const auth = [{ session: [] }, { bearer: [] }];
  return {
    openapi: '3.1.0',
    info: { title: 'Custos API', version, description: 'Every call that shows personal data is recorded on the ledger before the response is sent.' },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'custos_session', description: 'Console session; state-changing calls also need the x-custos-csrf header.' },
        bearer: { type: 'http', scheme: 'bearer', description: 'API token (cus_t_…) for applications.' },
      },
    },
    paths: {
      '/healthz': { get: { summary: 'Liveness and store reachability', responses: { '200': { description: 'ok' }, '503': { description: 'a store is unreachable' } } } },
      '/api/v1/session': {
        post: {
          summary: 'Log in; sets the session cookie',
          requestBody: { required: true, content: json(loginBody) },
          responses: { '200': { description: 'logged in', content: json(meBody) }, ...errors(400, 401, 403, 429, 503) },
        },
        delete: { summary: 'Log out', security: auth, responses: { '204': { description: 'logged out' }, ...errors(401, 403) } },
      },
      '/api/v1/redact': {
        post: {
          summary: 'Mask every piece of personal information found in a text (at most 60,000 characters)',
          security: auth,
          requestBody: { required: true, content: json(redactBody) },
          responses: { '200': { description: 'the masked text and what was found (types and offsets, never values)', content: json(redactResult) }, ...errors(400, 401, 403, 413) },
        },
      },
      '/api/v1/policy': {
        get: { summary: 'The access policy in force: version, text, policies, shipped test counts (policy readers only)', security: auth, responses: { '200': { description: 'the version in force' }, ...errors(401, 403) } },
        put: { summary: 'Save a new policy version {text, message}: it must parse, validate and pass the shipped test cases (policy administrators only)', security: auth, responses: { '200': { description: 'the new version with its diff' }, ...errors(400, 401, 403, 409, 413) } },
      },
      '/api/v1/policy/versions': { get: { summary: 'Every policy version, newest first', security: auth, responses: { '200': { description: '{current, items}' }, ...errors(401, 403) } } },
      '/api/v1/policy/versions/{version}': { get: { summary: 'One policy version with its text and unified diff', security: auth, parameters: [{ name: 'version', in: 'path', required: true, schema: { type: 'integer' } }], responses: { '200': { description: 'the version' }, ...errors(400, 401, 403, 404) } } },
      '/api/v1/policy/versions/{version}/restore': { post: { summary: 'Save an earlier version as the new one {message?} (same checks)', security: auth, parameters: [{ name: 'version', in: 'path', required: true, schema: { type: 'integer' } }], responses: { '200': { description: 'the new version' }, ...errors(400, 401, 403, 404, 409) } } },
      '/api/v1/policy/tests': { get: { summary: 'The shipped policy test cases run against the version in force', security: auth, responses: { '200': { description: '{version, hash, passed, failed, results}' }, ...errors(401, 403) } } },
      '/api/v1/me/quota': { get: { summary: 'Your own quota meter for today and this hour', security: auth, responses: { '200': { description: '{day, customersToday, customersThisHour, categoriesToday}' }, ...errors(401, 503) } } },
      '/api/v1/me': { get: { summary: 'Who is logged in', security: auth, responses: { '200': { description: 'the caller', content: json(meBody) }, ...errors(401) } } },
      '/api/v1/subjects/{id}': {
        get: {
          summary: 'One customer record, masked per field',
          security: auth,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'the record', content: json(subjectView) }, ...errors(400, 401, 403, 404, 503) },
        },
      },
      '/api/v1/subjects': {
        get: {
          summary: 'Exact-match search by one of phone, name, idNumber (paged)',
          security: auth,
          parameters: [
            { name: 'phone', in: 'query', schema: { type: 'string' } },
            { name: 'name', in: 'query', schema: { type: 'string' } },
            { name: 'idNumber', in: 'query', schema: { type: 'string' } },
            ...pageParams,
          ],
          responses: { '200': { description: 'matches you may see', content: json(subjectPage) }, ...errors(400, 401, 403, 503) },
        },
      },
      '/api/v1/subjects/search': {
        post: {
          summary: 'The same search with the key in the body (keeps identifiers out of URLs)',
          security: auth,
          requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { phone: { type: 'string' }, name: { type: 'string' }, idNumber: { type: 'string' }, limit: { type: 'integer' }, after: { type: 'string' } } } } } },
          responses: { '200': { description: 'matches you may see', content: json(subjectPage) }, ...errors(400, 401, 403, 503) },
        },
      },
      '/api/v1/me/assigned': {
        get: {
          summary: 'Customers assigned to the caller (paged)',
          security: auth,
          parameters: pageParams,
          responses: { '200': { description: 'a page', content: json(subjectPage) }, ...errors(400, 401, 403, 503) },
        },
      },
      '/api/v1/ledger/checkpoint': {
        get: { summary: 'A signed checkpoint (C2SP tlog-checkpoint in a signed note) of the ledger now', security: auth, responses: { '200': { description: '{origin, size, root (base64), note}' }, ...errors(401) } },
      },
      '/api/v1/ledger/proof/inclusion': {
        get: {
          summary: 'RFC 6962 inclusion proof of entry `index` in the tree of `size` entries (default: current)',
          security: auth,
          parameters: [
            { name: 'index', in: 'query', required: true, schema: { type: 'integer', minimum: 0 } },
            { name: 'size', in: 'query', schema: { type: 'integer', minimum: 1 } },
          ],
          responses: { '200': { description: '{index, size, leafHash, root, proof[]} (hex)' }, ...errors(400, 401) },
        },
      },
      '/api/v1/ledger/proof/consistency': {
        get: {
          summary: 'RFC 6962 consistency proof between tree sizes `from` and `to`',
          security: auth,
          parameters: [
            { name: 'from', in: 'query', required: true, schema: { type: 'integer', minimum: 1 } },
            { name: 'to', in: 'query', required: true, schema: { type: 'integer', minimum: 1 } },
          ],
          responses: { '200': { description: '{from, to, fromRoot, toRoot, proof[]} (hex)' }, ...errors(400, 401) },
        },
      },
      '/api/v1/ledger/events': {
        get: {
          summary: 'Ledger entries about a customer or by a person (security roles only; the query is itself recorded)',
          security: auth,
          parameters: [
            { name: 'subject', in: 'query', schema: { type: 'string' } },
            { name: 'actor', in: 'query', schema: { type: 'string' } },
            { name: 'from', in: 'query', schema: { type: 'string', format: 'date-time' } },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'date-time' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
          ],
          responses: { '200': { description: '{items: [{index, event}]}' }, ...errors(400, 401, 403, 503) },
        },
      },
      '/api/v1/events': {
        post: {
          summary: 'Access events of another system (integration tokens only), put on the ledger and judged by live detection',
          security: [{ bearer: [] }],
          requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['events'], properties: { events: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'object' } } } } } } },
          responses: { '201': { description: '{accepted, first, last}' }, ...errors(400, 401, 403, 413, 503) },
        },
      },
      '/api/v1/alerts': {
        get: {
          summary: 'The alert queue, newest first (security roles only; the read is recorded)',
          security: auth,
          parameters: [
            { name: 'status', in: 'query', schema: { type: 'string', enum: ['open', 'assigned', 'dismissed', 'case'] } },
            { name: 'actor', in: 'query', schema: { type: 'string' } },
            { name: 'severity', in: 'query', description: 'at least this severity', schema: { type: 'string', enum: ['low', 'medium', 'high', 'critical'] } },
            { name: 'before', in: 'query', description: 'the `next` of the previous page', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
          ],
          responses: { '200': { description: '{items: [alert], next}' }, ...errors(400, 401, 403, 503) },
        },
      },
      '/api/v1/alerts/{id}': {
        get: { summary: 'One alert and the holds on its person', security: auth, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'alert' }, ...errors(401, 403, 404) } },
      },
      '/api/v1/alerts/{id}/triage': {
        post: {
          summary: 'Assign, dismiss or reopen an alert (never one about yourself)',
          security: auth,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['action'], properties: { action: { type: 'string', enum: ['assign', 'dismiss', 'reopen'] }, assignee: { type: 'string' }, reason: { type: 'string', minLength: 3, maxLength: 500 } } } } } },
          responses: { '200': { description: 'the alert' }, ...errors(400, 401, 403, 404, 503) },
        },
      },
      '/api/v1/holds': { get: { summary: 'Throttles and suspensions in force', security: auth, responses: { '200': { description: '{items: [hold]}' }, ...errors(401, 403) } } },
      '/api/v1/holds/{staffId}/lift': {
        post: {
          summary: "Lift every hold on a person (never one's own)",
          security: auth,
          parameters: [{ name: 'staffId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 3, maxLength: 500 } } } } } },
          responses: { '200': { description: '{lifted}' }, ...errors(400, 401, 403, 404, 503) },
        },
      },
      '/api/v1/trace/leak': { post: { summary: 'Who could have leaked these customers {subjects} or {file: {filename, content}}, ranked with reasons (security roles)', security: auth, responses: { '200': { description: '{subjects, customers, outside, suspects, perSubject, canaries}' }, ...errors(400, 401, 403, 503) } } },
      '/api/v1/canaries': {
        get: { summary: 'The canary people: ids and audiences (security roles)', security: auth, responses: { '200': { description: '{canaries}' }, ...errors(401, 403, 503) } },
        post: { summary: 'Create canary people {audience: viewer:<id>|team:<department>|export:<id>, count} (security roles)', security: auth, responses: { '201': { description: '{canaries}' }, ...errors(400, 401, 403, 503) } },
      },
      '/api/v1/canaries/hits': { post: { summary: "A canary's value found outside {kind, value, channel, note}: the canary, who saw it, critical alerts (security roles or an integration token)", security: auth, responses: { '200': { description: '{canary, shownTo, export?, alerts}' }, ...errors(400, 401, 403, 404, 503) } } },
      ...caseOpenApiPaths({ json, errors, auth }),
      '/api/v1/holds/{staffId}/suspend': {
        post: {
          summary: 'Suspend a person by hand (never oneself)',
          security: auth,
          parameters: [{ name: 'staffId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 3, maxLength: 500 }, alert: { type: 'string' } } } } } },
          responses: { '201': { description: '{hold, sessionsEnded}' }, ...errors(400, 401, 403, 404, 503) },
        },
      },
      '/api/v1/risk/board': { get: { summary: 'People ranked by risk, with daily entries and their peer group', security: auth, parameters: [{ name: 'days', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 60 } }, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } }], responses: { '200': { description: '{from, days, people: [...]}' }, ...errors(400, 401, 403, 503) } } },
      '/api/v1/risk/people/{staffId}': { get: { summary: "A person's distinct customers per day against their own and their peers' baselines", security: auth, parameters: [{ name: 'staffId', in: 'path', required: true, schema: { type: 'string' } }, { name: 'days', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 60 } }], responses: { '200': { description: '{entries, customers, baseline, peers}' }, ...errors(400, 401, 403, 404, 503) } } },
      '/api/v1/risk/departments': { get: { summary: 'Departments and their active staff', security: auth, responses: { '200': { description: '{items: [{department, people}]}' }, ...errors(401, 403, 503) } } },
      '/api/v1/risk/heatmap': { get: { summary: "A department's access by hour of week", security: auth, parameters: [{ name: 'department', in: 'query', required: true, schema: { type: 'string' } }, { name: 'days', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 90 } }, { name: 'tzOffset', in: 'query', schema: { type: 'integer', minimum: -720, maximum: 840 } }], responses: { '200': { description: '{cells: [7][24], entries, people, truncated}' }, ...errors(400, 401, 403, 404, 503) } } },
    },
  };
}

export function openApiRoutes(app: FastifyInstance, version: string): void {
  const doc = openApiDocument(version);
  app.get('/openapi.json', (_request, reply) => reply.send(doc));
}
