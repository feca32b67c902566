import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { ping } from '../store/index.js';
import { registerErrorHandling } from './http-errors.js';
import { consoleRoutes } from './routes/console-routes.js';
import { openApiRoutes } from './routes/openapi.js';
import { sessionRoutes } from './routes/session-routes.js';
import { ledgerRoutes } from './routes/ledger-routes.js';
import { alertRoutes } from './routes/alert-routes.js';
import { eventRoutes } from './routes/event-routes.js';
import { traceFileRoutes, traceRoutes } from './routes/trace-routes.js';
import { canaryRoutes } from './routes/canary-routes.js';
import { accessRoutes } from './routes/access-routes.js';
import { riskRoutes } from './routes/risk-routes.js';
import { caseRoutes } from './routes/case-routes.js';
import { redactRoutes } from './routes/redact-routes.js';
import { subjectRoutes } from './routes/subject-routes.js';
import { policyRoutes } from './routes/policy-routes.js';
import type { Runtime } from './runtime.js';

declare module 'fastify' {
  interface FastifyInstance {
    custos: Runtime;
  }
}

export const VERSION = '0.1.0';

export interface AppOptions {
  /** Pino logger options (a level, and a stream to capture logs in tests), or false for none. */
  readonly logger?: false | { level: string; stream?: NodeJS.WritableStream };
}

/**
 * Builds the HTTP application on an open runtime; does not listen (main.ts does). Closing the app closes the
 * runtime.
 *
 * @example const app = await buildApp(await openRuntime(config)); await app.listen({ port: 7300 });
 */
export async function buildApp(rt: Runtime, options: AppOptions = {}): Promise<FastifyInstance> {
  const logger = options.logger ?? { level: rt.config.logLevel };
  const app = Fastify({
    logger:
      logger === false
        ? false
        : {
            ...logger,
            // Paths only: query strings can carry search keys (phone, ID number), never logged.
            serializers: {
              req: (req: { method: string; url: string; id: string }) => ({ method: req.method, path: req.url.split('?')[0], id: req.id }),
            },
          },
    bodyLimit: 64 * 1024,
    routerOptions: { maxParamLength: 512 },
    trustProxy: false,
  });
  app.decorate('custos', rt);
  // Only JSON bodies: a cross-site HTML form cannot send application/json without a CORS preflight.
  app.removeContentTypeParser('text/plain');
  await app.register(cookie);
  registerErrorHandling(app);

  app.addHook('onSend', async (_request, reply, payload) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('x-frame-options', 'DENY');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header(
      'content-security-policy',
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
    return payload;
  });

  app.get('/healthz', async (_request, reply) => {
    try {
      await ping(rt.store);
      await ping(rt.source);
      return { status: 'ok', version: VERSION, ledgerSize: await rt.ledger.size() };
    } catch {
      return reply.status(503).send({ status: 'unavailable' });
    }
  });
  openApiRoutes(app, VERSION);
  sessionRoutes(app, rt);
  subjectRoutes(app, rt);
  ledgerRoutes(app, rt);
  redactRoutes(app, rt);
  alertRoutes(app, rt);
  eventRoutes(app, rt);
  traceRoutes(app, rt);
  traceFileRoutes(app, rt);
  canaryRoutes(app, rt);
  accessRoutes(app, rt);
  caseRoutes(app, rt);
  policyRoutes(app, rt);
  riskRoutes(app, rt);
  consoleRoutes(app);

  app.addHook('onClose', async () => {
    await rt.close();
  });
  return app;
}
