/**
 * A person as the access policy sees them: the directory's role, department, employment, manager and leaving date,
 * and a risk level from the alert queue (the risk board feeding the policy, DESIGN.md's path of a record view).
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import { CustosError } from '../core/errors.js';
import type { Principal } from '../identity/index.js';
import type { PersonAttributes } from '../policy/index.js';
import type { StoreSchema } from '../store/index.js';

/** Alerts that still count against a person: not dismissed, raised within this many days. */
export const RISK_ALERT_DAYS = 30;
const ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const DATE = /^\d{4}-\d{2}-\d{2}/;

/**
 * Reads a person's attributes for the policy. Risk is `high` while a high or critical alert on them is open, assigned
 * or in a case; `medium` for a medium one; else `low`. A person not in the directory is refused.
 *
 * @example const person = await personAttributes(store, clock)(principal);
 */
export function personAttributes(db: Kysely<StoreSchema>, clock: Clock): (who: Pick<Principal, 'staffId'>) => Promise<PersonAttributes> {
  return async (who) => {
    const since = new Date(clock.now().getTime() - RISK_ALERT_DAYS * 86_400_000).toISOString();
    const [staff, alerts] = await Promise.all([
      db.selectFrom('staff').select(['role', 'department', 'employment', 'manager', 'leaving', 'status']).where('id', '=', who.staffId).executeTakeFirst(),
      db.selectFrom('alerts').select('severity').distinct().where('actor', '=', who.staffId).where('status', 'in', ['open', 'assigned', 'case']).where('time', '>=', since).execute(),
    ]);
    if (staff === undefined || staff.status !== 'active') throw new CustosError('CUSTOS_UNAUTHENTICATED', 401, 'Your account is not active in the staff directory.');
    const severities = new Set(alerts.map((a) => a.severity));
    const risk = severities.has('high') || severities.has('critical') ? 'high' : severities.has('medium') ? 'medium' : 'low';
    return {
      id: who.staffId,
      role: staff.role,
      department: staff.department,
      employment: staff.employment === 'outsourced' ? 'outsourced' : 'employee',
      manager: staff.manager !== null && ID.test(staff.manager) ? staff.manager : null,
      leaving: staff.leaving !== null && DATE.test(staff.leaving) ? staff.leaving.slice(0, 10) : null,
      risk,
    };
  };
}
