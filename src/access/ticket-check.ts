import { CustosError } from '../core/errors.js';
import type { Identity } from '../identity/index.js';

/**
 * A ticket justifies a reveal only if it exists, is open, is assigned to the person asking and names this
 * customer. Returns the refusal that says which of these failed (and what would fix it), or undefined.
 */
export async function ticketProblem(identity: Pick<Identity, 'ticket'>, staffId: string, ticketId: string, subject: string): Promise<CustosError | undefined> {
  const t = await identity.ticket(ticketId);
  if (t === undefined) return new CustosError('CUSTOS_TICKET_UNKNOWN', 403, `There is no ticket ${ticketId}. Attach an open ticket of yours that names customer ${subject}.`);
  if (t.status !== 'open') return new CustosError('CUSTOS_TICKET_CLOSED', 403, `Ticket ${ticketId} is closed. Reopen it or attach an open ticket for customer ${subject}.`);
  if (t.assignee !== staffId) return new CustosError('CUSTOS_TICKET_NOT_YOURS', 403, `Ticket ${ticketId} is assigned to someone else. Attach a ticket assigned to you, or have this one reassigned.`);
  if (!t.subjects.includes(subject)) return new CustosError('CUSTOS_TICKET_OTHER_CUSTOMER', 403, `Ticket ${ticketId} does not name customer ${subject}. Add the customer to the ticket or attach the ticket about them.`);
  return undefined;
}
