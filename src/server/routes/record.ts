import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { CustosError } from '../../core/errors.js';
import type { Principal } from '../../identity/index.js';
import type { EventAction, EventOutcome } from '../../ledger/index.js';
import type { Runtime } from '../runtime.js';

/** Roles that work on the ledger, alerts and holds (and never see customer data). */
export const SECURITY_ROLES: ReadonlySet<string> = new Set(['security_analyst']);

export interface RequestRecord {
  readonly action: EventAction;
  readonly outcome: EventOutcome;
  readonly detail: Record<string, unknown> & { kind: string };
  readonly subjects?: readonly string[];
  readonly reason?: string;
  /** The ticket or grant (an approved request's id) the action rests on. */
  readonly ticket?: string;
  readonly count?: number;
}

/**
 * Puts what a person did through the API on the ledger before the answer leaves; if the ledger cannot take
 * it, the request fails with CUSTOS_LEDGER_UNAVAILABLE and nothing is done or shown (fail closed).
 */
export async function recordRequest(rt: Runtime, request: FastifyRequest, who: Principal, r: RequestRecord): Promise<void> {
  try {
    await rt.ledger.append({
      id: rt.ids.next('e'),
      time: rt.clock.now().toISOString(),
      actor: who.staffId,
      action: r.action,
      system: who.via === 'session' ? 'custos-console' : 'custos-api',
      subjects: [...(r.subjects ?? [])],
      fields: [],
      session: who.sessionId,
      ip: request.ip,
      outcome: r.outcome,
      detail: r.detail,
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
      ...(r.ticket !== undefined ? { ticket: r.ticket } : {}),
      ...(r.count !== undefined ? { count: r.count } : {}),
    });
  } catch {
    throw new CustosError('CUSTOS_LEDGER_UNAVAILABLE', 503, 'The request could not be recorded on the ledger, so it was not carried out. Try again.');
  }
}

/**
 * Security-only endpoints: a refused attempt is itself recorded (who tried to read alerts), then refused with
 * a message naming who can.
 */
export async function requireSecurityRole(rt: Runtime, request: FastifyRequest, who: Principal, kind: string, what: string): Promise<void> {
  if (SECURITY_ROLES.has(who.role)) return;
  await recordRequest(rt, request, who, { action: 'query', outcome: 'denied', detail: { kind }, reason: 'CUSTOS_SECURITY_ONLY' });
  throw new CustosError('CUSTOS_SECURITY_ONLY', 403, `The role ${who.role} cannot ${what}; the security team can.`);
}

/** SHA-256 (hex) of free text: what goes on the ledger in place of notes, reasons and descriptions. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
