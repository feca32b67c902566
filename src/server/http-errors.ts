import type { FastifyError, FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import { CustosError } from '../core/errors.js';

/** The one error body: `{"error":{"code","message"}}`. Never echoes input values (they may be personal data). */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | CustosError | ZodError | Error, request, reply) => {
    if (err instanceof CustosError) {
      if (err.status >= 500) request.log.error({ code: err.code }, 'request failed');
      const retry = err.details?.['retryAfterSeconds'];
      if (typeof retry === 'number') void reply.header('retry-after', String(retry));
      return reply.status(err.status).send({ error: { code: err.code, message: err.message } });
    }
    if (err instanceof ZodError) {
      const where = err.issues.map((i) => (i.path.length > 0 ? i.path.join('.') : '(body)')).join(', ');
      return reply.status(400).send({ error: { code: 'CUSTOS_BAD_REQUEST', message: `Invalid input at: ${where}. See the API reference for the expected shape.` } });
    }
    const fe = err as FastifyError;
    if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send({ error: { code: 'CUSTOS_UNSUPPORTED_MEDIA_TYPE', message: 'Send the request body as application/json.' } });
    }
    if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send({ error: { code: 'CUSTOS_BODY_TOO_LARGE', message: 'The request body is larger than this endpoint accepts.' } });
    }
    if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply.status(400).send({ error: { code: 'CUSTOS_BAD_REQUEST', message: 'The request could not be parsed. Check the JSON body and the query parameters.' } });
    }
    // Unknown failures: log the class and code only, not the message (it may quote data).
    request.log.error({ err: { type: err.name, code: fe.code } }, 'unexpected error');
    return reply.status(500).send({ error: { code: 'CUSTOS_INTERNAL', message: 'Custos hit an unexpected error. Nothing was shown; the operators can find the request id in the log.' } });
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send({ error: { code: 'CUSTOS_ROUTE_NOT_FOUND', message: 'No such endpoint. The API is described at /openapi.json.' } }),
  );
}
