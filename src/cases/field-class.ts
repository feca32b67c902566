import { classifyType, nameHint, PII_TYPES, type PiiType } from '../catalog/index.js';
import { categoryOfField } from '../quota/index.js';
import type { FieldClassOf } from './assessment.js';

const PII: ReadonlySet<string> = new Set(PII_TYPES);

/**
 * What each served column holds, from the catalog's classification: its legal category (the same one quotas
 * count by) and whether PIPL Art. 28 counts it as sensitive (by its type, else by its name). A column the plan
 * does not know is "other", not sensitive.
 *
 * @example fieldClasses([{ column: 'bank_card', mask: 'bank_card' }])('bank_card') // { category: 'property', sensitive: true, type: 'bank_card' }
 */
export function fieldClasses(fields: readonly { readonly column: string; readonly mask: string | null }[]): FieldClassOf {
  const known = new Map(
    fields.map((f) => {
      const byType = f.mask !== null && PII.has(f.mask) ? classifyType(f.mask as PiiType).piplSensitive : false;
      return [f.column, { category: categoryOfField(f.column, f.mask), sensitive: byType || nameHint(f.column)?.sensitive === true, type: f.mask !== null && PII.has(f.mask) ? f.mask : null }] as const;
    }),
  );
  return (column) => known.get(column) ?? { category: 'other', sensitive: false, type: null };
}
