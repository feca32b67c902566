import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readXlsx, writeExport, type ExportTable } from '../access/index.js';
import { generateCustomers, type DemoCustomer } from '../sim/index.js';
import { canonicalOf, createFingerprinter, decodeText, FINGERPRINT_KINDS, kindOfValue, leakedRows, matchExports, parseCsv, styleOf, writeStyle, type ExportCandidate, type FingerprintKind } from './index.js';

const customers: DemoCustomer[] = [...generateCustomers({ staff: 10, customers: 3000, seed: 'fp-test', now: new Date('2026-11-01T00:00:00Z') }, 3000)].flat();
const byKind = new Map<string, string>();
for (const c of customers) {
  byKind.set(`subject_id:${c.id}`, c.id);
  byKind.set(`cn_mobile:${c.mobile}`, c.id);
  byKind.set(`cn_id_card:${c.id_number}`, c.id);
  byKind.set(`bank_card:${c.bank_card}`, c.id);
  byKind.set(`email:${c.email.toLowerCase()}`, c.id);
}
const resolve = (kind: string, canonical: string) => Promise.resolve(byKind.get(`${kind}:${canonical}`));
const KIND_OF_COLUMN: Record<string, FingerprintKind | undefined> = { mobile: 'cn_mobile', id_number: 'cn_id_card', bank_card: 'bank_card', email: 'email', address: 'cn_address' };
const COLUMNS = ['id', 'name', 'mobile', 'id_number', 'bank_card', 'address', 'email', 'employer'];

// A fixed key keeps the test reproducible; keys are random in use (the 300-trial figures in docs/trace.md).
const fp = createFingerprinter(Buffer.alloc(32, 7));

/** 30 exports of 500 customers each, overlapping (each customer is in ~5 of them). */
function makeExports(): { candidates: ExportCandidate[]; tables: Map<string, ExportTable> } {
  const candidates: ExportCandidate[] = [];
  const tables = new Map<string, ExportTable>();
  for (let e = 0; e < 30; e++) {
    const exportId = `exp-${e}`;
    const members = customers.filter((_, i) => (i * 7 + e * 13) % 6 === 0).slice(0, 500);
    candidates.push({ exportId, recipient: `u00${e}`, subjects: new Set(members.map((c) => c.id)) });
    const rows = members.map((c) => {
      const row: Record<string, string> = {};
      for (const col of COLUMNS) {
        const raw = String(c[col as keyof DemoCustomer]);
        const kind = KIND_OF_COLUMN[col];
        row[col] = kind === undefined ? raw : fp.write(exportId, c.id, kind, raw);
      }
      return row;
    });
    tables.set(exportId, { columns: COLUMNS, rows });
  }
  return { candidates, tables };
}

const { candidates, tables } = makeExports();

function rngOf(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

async function trace(table: string[][]) {
  const leaked = await leakedRows(table, resolve);
  return matchExports(fp, leaked.rows, candidates);
}

describe('writing styles', () => {
  it('keep every value meaning the same and are recognised back', () => {
    for (const c of customers.slice(0, 300)) {
      for (const [col, kind] of Object.entries(KIND_OF_COLUMN) as [string, FingerprintKind][]) {
        const raw = String(c[col as keyof DemoCustomer]);
        for (let s = 0; s < FINGERPRINT_KINDS[kind]; s++) {
          const w = writeStyle(kind, canonicalOf(kind, raw), s);
          expect(canonicalOf(kind, w)).toBe(canonicalOf(kind, raw));
          expect(styleOf(kind, w)).toBe(s);
          expect(kindOfValue(w), `${kind} style ${s}`).toBe(kind);
        }
      }
    }
  });
});

describe('export fingerprints survive the edits a leaker makes', () => {
  const source = 'exp-17';
  const full = tables.get(source)!;

  function leak(opts: { rows: number; columns: string[]; seed: number; merge?: number }): string[][] {
    const rnd = rngOf(opts.seed);
    const picked = [...full.rows].sort(() => rnd() - 0.5).slice(0, opts.rows);
    const out = picked.map((r) => opts.columns.map((c) => String(r[c] ?? '')));
    // Merged with rows from somewhere else (other customers, written plainly).
    for (let i = 0; i < (opts.merge ?? 0); i++) {
      const c = customers[Math.floor(rnd() * customers.length)]!;
      out.push(opts.columns.map((col) => String(c[col as keyof DemoCustomer])));
    }
    return [opts.columns, ...out.sort(() => rnd() - 0.5)];
  }

  it('names the export from 20 shuffled rows with only a name and a phone column', async () => {
    for (let seed = 1; seed <= 10; seed++) {
      const ranked = await trace(leak({ rows: 20, columns: ['name', 'mobile'], seed }));
      expect(ranked[0]!.exportId).toBe(source);
      expect(ranked[0]!.confidence).toBeGreaterThan(0.99);
      expect(ranked[0]!.recipient).toBe('u0017');
    }
  });

  it('names it from 20 rows of one column each: ID numbers, cards, emails or addresses with the phone', async () => {
    for (const cols of [['id_number'], ['bank_card'], ['name', 'email', 'address']]) {
      const ranked = await trace(leak({ rows: 20, columns: cols, seed: 3 }));
      expect(ranked[0]!.exportId, cols.join(',')).toBe(source);
      expect(ranked[0]!.confidence, cols.join(',')).toBeGreaterThan(0.95);
    }
  });

  it('names it after CSV → XLSX → CSV, re-encoding as GBK, and merging with 200 other rows', async () => {
    const table = leak({ rows: 25, columns: COLUMNS, seed: 9, merge: 200 });
    const asXlsx = await writeExport('xlsx', { columns: table[0]!, rows: table.slice(1).map((r) => Object.fromEntries(table[0]!.map((c, i) => [c, r[i]!]))) }, { exportId: 'x', recipient: 'x' });
    const back = await readXlsx(asXlsx);
    const csv = back.map((r) => r.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',')).join('\r\n');
    const gbk = iconv.encode(csv, 'gbk');
    const reread = parseCsv(decodeText(gbk));
    const ranked = await trace(reread);
    expect(ranked[0]!.exportId).toBe(source);
    expect(ranked[0]!.confidence).toBeGreaterThan(0.99);
  });

  it('finds no export in data that was retyped plainly, or that never came from an export', async () => {
    const plain = [COLUMNS, ...customers.slice(0, 40).map((c) => COLUMNS.map((col) => String(c[col as keyof DemoCustomer])))];
    const ranked = await trace(plain);
    // Nothing reaches the confidence at which a file is named (0.99: chance agreement below 1 in 100).
    expect(ranked.every((r) => r.confidence < 0.99)).toBe(true);
  });

  it('still names it when a quarter of the values were reformatted by hand', async () => {
    const table = leak({ rows: 24, columns: ['name', 'mobile', 'id_number'], seed: 5 });
    for (let i = 1; i < table.length; i += 4) table[i]![1] = canonicalOf('cn_mobile', table[i]![1]!);
    const ranked = await trace(table);
    expect(ranked[0]!.exportId).toBe(source);
  });
});
