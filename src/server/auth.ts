import type { FastifyReply, FastifyRequest } from 'fastify';
import { CustosError } from '../core/errors.js';
import type { Identity, Principal } from '../identity/index.js';

export const SESSION_COOKIE = 'custos_session';
export const CSRF_HEADER = 'x-custos-csrf';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves who is calling: an API token (`Authorization: Bearer cus_t_…`) or the console's session cookie.
 * Cookie sessions must echo their CSRF token on every state-changing request.
 */
export function authenticate(identity: Identity, gate?: (who: Principal) => void) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const m = /^Bearer (cus_t_[A-Za-z0-9_-]{20,100})$/.exec(header);
      const principal = m ? await identity.resolveToken(m[1]!) : undefined;
      if (!principal) throw new CustosError('CUSTOS_UNAUTHENTICATED', 401, 'The API token is unknown or revoked. Ask an administrator for a new token.');
      gate?.(principal);
      request.principal = principal;
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    const principal = cookie !== undefined && cookie.length <= 200 ? await identity.resolveSession(cookie) : undefined;
    if (!principal) throw new CustosError('CUSTOS_UNAUTHENTICATED', 401, 'Log in first (POST /api/v1/session) or send an API token.');
    if (!SAFE.has(request.method) && request.headers[CSRF_HEADER] !== principal.csrf) {
      throw new CustosError('CUSTOS_CSRF', 403, `State-changing requests from the console must carry the ${CSRF_HEADER} header returned at login.`);
    }
    gate?.(principal);
    request.principal = principal;
  };
}

/** The authenticated principal of a request (routes behind `authenticate` only). */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new CustosError('CUSTOS_UNAUTHENTICATED', 401, 'Log in first (POST /api/v1/session) or send an API token.');
  return request.principal;
}
