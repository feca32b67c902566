import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { PII_TYPES, scanDatabase, type Catalog, type SourceLocation } from '../catalog/index.js';
import { CustosError } from '../core/errors.js';
import type { FieldPlan, FieldRule } from '../gateway/index.js';
import type { MaskKind } from '../masking/index.js';

/** The table the record API serves, and its catalog entry's shape (what the gateway needs of it). */
export const SUBJECT_TABLE = 'customers';

const MASKS: readonly string[] = [...PII_TYPES, 'text'];

const catalogShape = z.object({
  format: z.literal('custos-catalog/1'),
  reviewed: z.boolean(),
  tables: z.array(
    z.object({
      name: z.string(),
      key: z.string().nullable(),
      columns: z.array(z.object({ name: z.string(), key: z.boolean(), mask: z.string().nullable().refine((m) => m === null || MASKS.includes(m), 'unknown mask kind') })).max(1000),
    }),
  ),
});

/** The field plan of the subject table from a catalog: every column but the key, in order, with its mask. */
export function fieldPlanFromCatalog(catalog: unknown, table = SUBJECT_TABLE): FieldPlan {
  const parsed = catalogShape.safeParse(catalog);
  if (!parsed.success) {
    throw new CustosError('CUSTOS_CATALOG_INVALID', 500, `The catalog file does not have the catalog format (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''}).`);
  }
  const t = parsed.data.tables.find((x) => x.name === table);
  if (t === undefined || t.key === null) throw new CustosError('CUSTOS_CATALOG_INVALID', 500, `The catalog has no table ${table} with a key column; scan the source again (custos scan db).`);
  const fields: FieldRule[] = t.columns.filter((c) => !c.key).map((c) => ({ column: c.name, mask: c.mask as MaskKind | null }));
  return { table, key: t.key, fields };
}

/**
 * The field plan the gateway serves with. It comes from the catalog file (`catalog.json` in the data directory):
 * on first start the data source is scanned and the proposals are written there for review; after that the
 * file, as the administrator left it, is what counts.
 */
export async function loadFieldPlan(catalogFile: string, source: SourceLocation, say: (m: string) => void = () => {}): Promise<{ plan: FieldPlan; created: boolean }> {
  if (existsSync(catalogFile)) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(catalogFile, 'utf8'));
    } catch {
      throw new CustosError('CUSTOS_CATALOG_INVALID', 500, `The catalog file ${catalogFile} is not readable JSON.`);
    }
    return { plan: fieldPlanFromCatalog(json), created: false };
  }
  const catalog: Catalog = await scanDatabase(source, { tables: [SUBJECT_TABLE], onProgress: say });
  await writeFile(catalogFile, `${JSON.stringify(catalog, null, 2)}\n`, { mode: 0o640 });
  return { plan: fieldPlanFromCatalog(catalog), created: true };
}
