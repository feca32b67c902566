import type { Kysely } from 'kysely';
import { generatePassword, hashPassword } from '../identity/index.js';
import type { SourceSchema, StoreSchema } from '../store/index.js';
import { generateAssignments, generateCustomers, generateStaff, generateTickets, pickDemoLogins, type DemoOptions } from './demo-company.js';

/** One generated login, as written to `demo-credentials.json`. */
export interface DemoCredential {
  readonly user: string;
  readonly password: string;
  readonly role: string;
  readonly department: string;
  readonly employment: string;
}

export interface SeedProgress {
  readonly phase: 'staff' | 'customers' | 'assignments' | 'tickets' | 'logins';
  readonly done: number;
  readonly total: number;
}

const BATCH = 1000;

async function insertBatches<T>(rows: Iterable<T>, size: number, write: (batch: T[]) => Promise<void>): Promise<number> {
  let batch: T[] = [];
  let n = 0;
  for (const row of rows) {
    batch.push(row);
    if (batch.length === size) {
      await write(batch);
      n += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) {
    await write(batch);
    n += batch.length;
  }
  return n;
}

/**
 * Generates the demo company into Custos's store (staff, assignments, tickets, logins) and the data source
 * (customers), streaming customers in batches with progress. Passwords are random (never derived from the
 * seed) and returned once, in clear, for `demo-credentials.json`; only their scrypt hashes are stored.
 */
export async function seedDemoCompany(
  store: Kysely<StoreSchema>,
  source: Kysely<SourceSchema>,
  options: DemoOptions,
  onProgress: (p: SeedProgress) => void = () => {},
): Promise<DemoCredential[]> {
  const staff = generateStaff(options);
  await insertBatches(staff, 200, async (batch) => {
    await store.insertInto('staff').values(batch.map((s) => ({ ...s, status: 'active' }))).execute();
  });
  onProgress({ phase: 'staff', done: staff.length, total: staff.length });

  let done = 0;
  for (const batch of generateCustomers(options, BATCH)) {
    await source.insertInto('customers').values(batch).execute();
    done += batch.length;
    onProgress({ phase: 'customers', done, total: options.customers });
  }

  const assigned = await insertBatches(generateAssignments(options, staff), 2000, async (batch) => {
    await store.insertInto('assignments').values(batch).execute();
  });
  onProgress({ phase: 'assignments', done: assigned, total: assigned });

  const tickets = generateTickets(options, staff);
  await insertBatches(tickets, 500, async (batch) => {
    await store.insertInto('tickets').values(batch.map(({ subjects: _s, ...t }) => ({ ...t, system: 'demo-ticketing' }))).execute();
    await store
      .insertInto('ticket_subjects')
      .values(batch.flatMap((t) => t.subjects.map((customer_id) => ({ ticket_id: t.id, customer_id }))))
      .execute();
  });
  onProgress({ phase: 'tickets', done: tickets.length, total: tickets.length });

  const logins = pickDemoLogins(staff);
  const credentials: DemoCredential[] = [];
  const now = options.now.toISOString();
  for (const s of logins) {
    const password = generatePassword();
    await store.insertInto('credentials').values({ staff_id: s.id, password_hash: await hashPassword(password), updated_at: now }).execute();
    credentials.push({ user: s.id, password, role: s.role, department: s.department, employment: s.employment });
    onProgress({ phase: 'logins', done: credentials.length, total: logins.length });
  }
  return credentials;
}
