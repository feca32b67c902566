import type { FieldPlan } from '../gateway/index.js';

/**
 * The reviewed classification of the demo source's customer table: which columns the record API shows and
 * how each is masked. Interim: declared here until the catalog's database scan (issue 3) produces
 * catalog.json and this plan is derived from it.
 */
export const DEMO_FIELD_PLAN: FieldPlan = {
  table: 'customers',
  key: 'id',
  fields: [
    { column: 'name', mask: 'cn_name' },
    { column: 'mobile', mask: 'cn_mobile' },
    { column: 'id_number', mask: 'cn_id_card' },
    { column: 'bank_card', mask: 'bank_card' },
    { column: 'address', mask: 'cn_address' },
    { column: 'email', mask: 'email' },
    { column: 'balance', mask: 'text' },
    { column: 'employer', mask: 'text' },
  ],
};

export function loadFieldPlan(): Promise<FieldPlan> {
  return Promise.resolve(DEMO_FIELD_PLAN);
}
