import type { FastifyInstance } from 'fastify';
import { scanText } from '../../catalog/index.js';
import { redactPiece } from '../../masking/index.js';
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
      // The answer lists the findings, so they are objects anyway: scan once, mask from the list.
      const findings = scanText(body.text, { minConfidence: body.minConfidence ?? 0.5 });
      return { text: redactPiece(body.text, findings, rt.masker), findings: findings.map((f) => ({ type: f.type, start: f.start, end: f.end, confidence: f.confidence })) };
    });
    done();
  });
}
