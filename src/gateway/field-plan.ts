import { createMasker, type Masker, type MaskKind } from '../masking/index.js';

const DEFAULT_MASKER = createMasker();

/** How one column of the customer table is shown: plain, or masked with a display mask. */
export interface FieldRule {
  readonly column: string;
  /** null = not personal data, shown as is. */
  readonly mask: MaskKind | null;
}

/** The columns the record API may show, in display order, with their masks (from the catalog). */
export interface FieldPlan {
  readonly table: string;
  readonly key: string;
  readonly fields: readonly FieldRule[];
}

/** Applies the display masks of a plan to one row. Returns the shown fields and which were masked. */
export function maskRow(plan: FieldPlan, row: Readonly<Record<string, unknown>>, masker: Masker = DEFAULT_MASKER): { fields: Record<string, string | number>; masked: string[] } {
  const fields: Record<string, string | number> = {};
  const masked: string[] = [];
  for (const rule of plan.fields) {
    const value = row[rule.column];
    if (value === null || value === undefined) continue;
    if (rule.mask === null) {
      fields[rule.column] = typeof value === 'number' ? value : scalarText(value);
    } else {
      fields[rule.column] = masker.mask(rule.mask, scalarText(value));
      masked.push(rule.column);
    }
  }
  return { fields, masked };
}


/** A column value as text: strings as they are, numbers and booleans in their usual form, anything else as JSON. */
export function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}
