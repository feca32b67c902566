import { generateCustomers, type DemoCustomer } from '../sim/index.js';

/** A synthetic person: every identifier valid (GB 11643 check digit, real area code, allocated mobile prefix). */
export type CanaryPerson = Omit<DemoCustomer, 'id'>;

/**
 * A canary person drawn exactly as a demo customer is (the same generator and distributions), so that nothing
 * in the values tells it apart. The seed must be unpredictable in use (from crypto).
 */
export function generateCanaryPerson(seed: string, now: Date): CanaryPerson {
  for (const [first] of generateCustomers({ staff: 1, customers: 1, seed, now }, 1)) {
    if (first !== undefined) {
      const { id: _id, ...person } = first;
      return person;
    }
  }
  throw new Error('the customer generator yielded nobody');
}

/** The value of a canary for a customer-table column: by the column's name, else by its mask kind. */
export function canaryValue(p: CanaryPerson, column: string, mask: string | null): string | number {
  if (column in p) return p[column as keyof CanaryPerson];
  const byKind: Record<string, keyof CanaryPerson> = { cn_mobile: 'mobile', cn_id_card: 'id_number', bank_card: 'bank_card', email: 'email', cn_address: 'address', cn_name: 'name', name: 'name' };
  const k = mask === null ? undefined : byKind[mask];
  return k === undefined ? '' : p[k];
}
