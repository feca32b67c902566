import type { Kysely } from 'kysely';
import type { Clock, IdSource } from '../core/clock.js';
import type { AccessEvent } from '../ledger/index.js';
import type { StoreSchema } from '../store/index.js';
import type { Audience, CanaryService } from './canary-service.js';

/**
 * The demo company's canaries, made on its first start: one for a single viewer in each of customer service and
 * tele-sales (staff without a demo login, so that trying the console does not trip them), and one for the
 * whole tele-sales team. Each creation is an admin event on the ledger (actor `custos`), ids only.
 */
export async function seedDemoCanaries(
  canaries: Pick<CanaryService, 'create'>,
  store: Kysely<StoreSchema>,
  ledger: { append(e: AccessEvent): Promise<unknown> },
  clock: Clock,
  ids: IdSource,
  logins: ReadonlySet<string> = new Set(),
): Promise<number> {
  const audiences: Audience[] = [];
  for (const department of ['customer_service', 'telesales']) {
    const staff = await store.selectFrom('staff').select('id').where('department', '=', department).where('status', '=', 'active').orderBy('id').execute();
    const viewer = staff.map((s) => s.id).filter((id) => !logins.has(id)).at(-1);
    if (viewer !== undefined) audiences.push({ kind: 'viewer', staff: viewer });
  }
  if ((await store.selectFrom('staff').select('id').where('department', '=', 'telesales').executeTakeFirst()) !== undefined) audiences.push({ kind: 'team', department: 'telesales' });
  let made = 0;
  for (const audience of audiences) {
    const created = await canaries.create(audience, 1, 'custos');
    made += created.length;
    await ledger.append({
      id: ids.next('e'),
      time: clock.now().toISOString(),
      actor: 'custos',
      action: 'admin',
      system: 'custos',
      subjects: [],
      fields: [],
      outcome: 'allowed',
      detail: { kind: 'canary.create', audience: audience.kind, canaries: created.map((c) => c.id) },
    });
  }
  return made;
}
