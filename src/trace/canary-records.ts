import { createHash } from 'node:crypto';
import type { AccessService, ExportMarker, ExportRow, ExportTable } from '../access/index.js';
import type { ExtraRecords, FieldPlan } from '../gateway/index.js';
import { canaryValue, type CanaryPerson, type CanaryService } from './canary-service.js';

/** A canary as a row of the customer table, by the plan's columns. */
export function canaryRow(plan: FieldPlan, id: string, p: CanaryPerson): Record<string, string | number> {
  const row: Record<string, string | number> = { [plan.key]: id };
  for (const f of plan.fields) if (f.column !== plan.key) row[f.column] = canaryValue(p, f.column, f.mask);
  return row;
}

/** The canaries as records the gateway serves (search, view, assigned list) like the data source's. */
export function canaryRecords(canaries: CanaryService, plan: FieldPlan): ExtraRecords {
  return {
    async rows(ids) {
      const out = new Map<string, Record<string, unknown>>();
      for (const [id, p] of await canaries.rows(ids)) out.set(id, canaryRow(plan, id, p));
      return out;
    },
    search: (key, value) => canaries.search(key, value),
  };
}

/** Canary rows per export: one, and one more per 200 rows, at most five. */
export function canaryRowsFor(rows: number): number {
  return Math.min(5, 1 + Math.floor(rows / 200));
}

/**
 * Adds canary rows to every approved export as it is written: rows of canaries made for that export alone
 * (created on its first download, recorded against it in the store), and the rows of canaries among the
 * export's customers (viewer and team canaries, which the data source does not hold). Each canary row sits at
 * a place chosen by a hash of (export, canary), the same at every download.
 */
export function canaryExportMarker(canaries: CanaryService, access: Pick<AccessService, 'get'>, plan: FieldPlan): ExportMarker {
  return {
    async mark(exportId, _recipient, table) {
      const request = await access.get(exportId);
      const present = new Set(table.rows.map((r) => String(r[plan.key])));
      const missing = (request?.subjects ?? []).filter((s) => !present.has(s));
      const own = await canaries.forExport(exportId, canaryRowsFor(table.rows.length));
      const people = await canaries.rows([...new Set([...missing, ...own])]);
      const rows: ExportRow[] = [...table.rows];
      for (const [id, p] of [...people].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        const full = canaryRow(plan, id, p);
        const row = Object.fromEntries(table.columns.map((c) => [c, full[c] ?? '']));
        const at = createHash('sha256').update(`${exportId}\u0000${id}`).digest().readUInt32BE(0) % (rows.length + 1);
        rows.splice(at, 0, row);
      }
      return { columns: table.columns, rows } satisfies ExportTable;
    },
  };
}

/** Markers applied one after another (canary rows first, so that they are fingerprinted too). */
export function chainMarkers(...markers: readonly ExportMarker[]): ExportMarker {
  return {
    async mark(exportId, recipient, table) {
      let t = table;
      for (const m of markers) t = await m.mark(exportId, recipient, t);
      return t;
    },
  };
}
