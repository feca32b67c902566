import { sql, type Kysely } from 'kysely';
import type { SourceSchema } from '../store/index.js';

/**
 * Reads the ID numbers of people from the data source's subject table (the column the catalog types as a
 * resident ID), in chunks. The numbers stay in memory for the minors flag; nothing is logged or returned.
 */
export function sourceIdNumbers(source: Kysely<SourceSchema>, plan: { readonly table: string; readonly key: string; readonly fields: readonly { readonly column: string; readonly mask: string | null }[] }): (subjects: readonly string[]) => Promise<ReadonlyMap<string, string>> {
  const column = plan.fields.find((f) => f.mask === 'cn_id_card')?.column;
  return async (subjects) => {
    const out = new Map<string, string>();
    if (column === undefined) return out;
    for (let i = 0; i < subjects.length && i < 10_000; i += 500) {
      const rows = await source
        .selectFrom(plan.table as 'customers')
        .select([sql.ref<string>(plan.key).as('k'), sql.ref<string>(column).as('v')])
        .where(plan.key as 'id', 'in', subjects.slice(i, Math.min(i + 500, 10_000)))
        .execute();
      for (const r of rows) out.set(String(r.k), String(r.v));
    }
    return out;
  };
}
