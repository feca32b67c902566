import type { FastifyInstance } from 'fastify';
import { CustosError } from '../../core/errors.js';
import type { AccessEvent } from '../../ledger/index.js';
import type { Runtime } from '../runtime.js';
import { authenticate, principalOf, SESSION_COOKIE } from '../auth.js';
import { loginBody } from './schemas.js';

/** Login and logout; both are events on the ledger, recorded before the answer leaves (fail closed). */
export function sessionRoutes(app: FastifyInstance, rt: Runtime): void {
  const { identity, ledger, clock, ids } = rt;
  /** The limits a form needs before it asks (the console's export form shows the hard ceiling on rows). */
  const limits = () => ({ exportMaxRows: rt.config.exportMaxRows });

  async function record(event: Omit<AccessEvent, 'id' | 'time' | 'system' | 'subjects' | 'fields'>): Promise<void> {
    try {
      await ledger.append({ id: ids.next('e'), time: clock.now().toISOString(), system: 'custos-console', subjects: [], fields: [], ...event });
    } catch {
      throw new CustosError('CUSTOS_LEDGER_UNAVAILABLE', 503, 'The login could not be recorded on the ledger, so it was refused. Try again shortly.');
    }
  }

  app.post('/api/v1/session', async (request, reply) => {
    const body = loginBody.parse(request.body);
    const result = await identity.login(body.user, body.password, { ip: request.ip });
    if (!result.ok) {
      await record({ actor: result.staffId ?? 'anonymous', action: 'login', outcome: 'denied', ip: request.ip, reason: result.reason });
      if (result.reason === 'rate_limited') {
        const seconds = Math.ceil((result.retryAfterMs ?? 60_000) / 1000);
        throw new CustosError('CUSTOS_LOGIN_RATE_LIMITED', 429, `Too many failed logins. Wait ${seconds} seconds before trying again.`, { retryAfterSeconds: seconds });
      }
      if (result.reason === 'suspended') throw new CustosError('CUSTOS_ACCOUNT_SUSPENDED', 403, 'This account is suspended. Contact the security team.');
      throw new CustosError('CUSTOS_LOGIN_FAILED', 401, 'Unknown user or wrong password.');
    }
    const p = result.principal;
    // Checked only after the password, so that a suspension does not tell strangers who exists.
    try {
      rt.watch.gateLogin(p.staffId);
    } catch (e) {
      await identity.logout(result.token);
      await record({ actor: p.staffId, action: 'login', outcome: 'denied', ip: request.ip, reason: 'CUSTOS_ACCESS_SUSPENDED' });
      throw e;
    }
    try {
      await record({ actor: p.staffId, action: 'login', outcome: 'allowed', ip: request.ip, session: p.sessionId });
    } catch (e) {
      await identity.logout(result.token);
      throw e;
    }
    void reply.setCookie(SESSION_COOKIE, result.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: rt.config.cookieSecure,
      expires: result.expiresAt,
    });
    return { id: p.staffId, name: p.name, role: p.role, department: p.department, employment: p.employment, limits: limits(), csrf: result.csrf };
  });

  app.register((scoped, _options, done) => {
    scoped.addHook('preHandler', authenticate(identity, rt.watch.gate));
    scoped.get('/api/v1/me', (request, reply) => {
      const p = principalOf(request);
      return reply.send({ id: p.staffId, name: p.name, role: p.role, department: p.department, employment: p.employment, limits: limits(), ...(p.csrf !== undefined ? { csrf: p.csrf } : {}) });
    });
    scoped.get('/api/v1/me/quota', async (request) => rt.quota.meter(principalOf(request)));
    scoped.delete('/api/v1/session', async (request, reply) => {
      const p = principalOf(request);
      const cookie = request.cookies[SESSION_COOKIE];
      if (p.via === 'session' && cookie !== undefined) {
        await record({ actor: p.staffId, action: 'logout', outcome: 'allowed', ip: request.ip, session: p.sessionId });
        await identity.logout(cookie);
      }
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    });
    done();
  });
}
