import type { FastifyInstance } from 'fastify';
import { scanEach, type Finding } from '../../catalog/index.js';
import { redactWith } from '../../masking/index.js';
import type { Runtime } from '../runtime.js';
import { authenticate } from '../auth.js';
import { redactBody } from './schemas.js';

/**
 * `POST /api/v1/redact`: masks every finding in a text (ticket notes, chat logs) before it is stored or shared.
 * It shows nothing Custos holds, so it is not a ledger event; the text is neither logged nor kept.
 */
export function redactRoutes(app: FastifyInstance, rt: Runtime): void {
  app.register((scoped, _options, done) => {
    scoped.addHook('preHandler', authenticate(rt.identity, rt.watch.gate));
    scoped.addHook('onSend', (_request, reply, payload, next) => {
      void reply.header('cache-control', 'no-store');
      next(null, payload);
    });
    scoped.post('/api/v1/redact', (request) => {
      const body = redactBody.parse(request.body);
      // One pass: each finding is masked and listed as it is found (one object each, the one the answer shows).
      const findings: Finding[] = [];
      const text = redactWith(
        body.text,
        (visit) =>
          scanEach(body.text, { minConfidence: body.minConfidence ?? 0.5 }, (type, start, end, confidence) => {
            findings.push({ type, start, end, confidence });
            visit(type, start, end, confidence);
          }),
        rt.masker,
      );
      return { text, findings };
    });
    done();
  });
}
