/**
 * The attributes of fields that policies read, from the catalog's classification (PII type, legal category,
 * sensitivity level). A column name the catalog has no hint for is `other`, C1.
 */
import { classifyType, nameHint } from '../catalog/index.js';
import type { FieldAttributes } from './policy-types.js';

/** The columns of the demo company's customer table (src/sim, the record API's field plan). */
export const DEMO_CUSTOMER_COLUMNS = ['name', 'mobile', 'id_number', 'bank_card', 'address', 'email', 'balance', 'employer'] as const;

/** The classification of one column of a dataset, from its name (as the catalog proposes it). */
export function classifyColumn(dataset: string, column: string): FieldAttributes {
  const hint = nameHint(column);
  if (hint?.type !== undefined) {
    const c = classifyType(hint.type);
    return { dataset, name: column, piiType: hint.type, category: c.category, level: c.level, sensitive: c.piplSensitive };
  }
  return { dataset, name: column, piiType: null, category: hint?.category ?? 'other', level: hint?.level ?? 'C1', sensitive: hint?.sensitive ?? false };
}

/** The fields by `dataset.field`, as the engine takes them. */
export function fieldMap(fields: readonly FieldAttributes[]): ReadonlyMap<string, FieldAttributes> {
  return new Map(fields.map((f) => [`${f.dataset}.${f.name}`, f]));
}

/** The demo company's customer fields with their catalog classification. */
export function demoFields(): readonly FieldAttributes[] {
  return DEMO_CUSTOMER_COLUMNS.map((c) => classifyColumn('customers', c));
}
