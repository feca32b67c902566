import ExcelJS from 'exceljs';
import type { ExportFormat } from './access-service.js';

export type ExportRow = Readonly<Record<string, string | number>>;

/** What an export file holds before it is written: the columns in order and one row per customer. */
export interface ExportTable {
  readonly columns: readonly string[];
  readonly rows: readonly ExportRow[];
}

/**
 * The seam to leak tracing: every approved export passes through it before it is written, with its id and
 * recipient, so that the tracing capability can make the file unique to its recipient (canary rows,
 * value-preserving variations). `custos` wires the tracing marker here when it is configured.
 */
export interface ExportMarker {
  mark(exportId: string, recipient: string, table: ExportTable): Promise<ExportTable> | ExportTable;
}

/** A cell that a spreadsheet would run as a formula (CSV injection) is written as text: quoted with a '. */
function safeText(v: string | number): string {
  const s = String(v);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

function csvCell(v: string | number): string {
  const s = safeText(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes the table as CSV (UTF-8 with a byte-order mark so that Excel reads Chinese right, CRLF) or XLSX. */
export async function writeExport(format: ExportFormat, table: ExportTable, meta: { exportId: string; recipient: string }): Promise<Buffer> {
  if (format === 'csv') {
    const lines = [table.columns.map(csvCell).join(',')];
    for (const row of table.rows) lines.push(table.columns.map((c) => csvCell(row[c] ?? '')).join(','));
    return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8')]);
  }
  const book = new ExcelJS.Workbook();
  book.creator = 'Custos';
  book.title = `export ${meta.exportId}`;
  const sheet = book.addWorksheet('export');
  sheet.addRow([...table.columns]);
  for (const row of table.rows) sheet.addRow(table.columns.map((c) => safeText(row[c] ?? '')));
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** Reads back the first sheet of an XLSX export (for tests and for tracing a leaked file). */
export async function readXlsx(data: Buffer): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(data as unknown as ArrayBuffer);
  const sheet = book.worksheets[0];
  if (sheet === undefined) return [];
  const out: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const values = row.values as unknown[];
    out.push(values.slice(1).map((v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v as string | number))));
  });
  return out;
}
