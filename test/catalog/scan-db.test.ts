/**
 * `scanDatabase` on SQLite (always), PostgreSQL (CUSTOS_TEST_PG) and MySQL/MariaDB (CUSTOS_TEST_MYSQL): the same
 * table of generated people is classified column by column, and no sampled value reaches the catalog.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { scanDatabase, type Catalog, type SourceLocation } from '../../src/catalog/index.js';
import { createRandom, generateAddress, generateBankCard, generateBirth, generateEmail, generateIdNumber, generateMobile, randomPlace } from '../../src/sim/index.js';
import { dropPostgresSchema } from '../../src/store/index.js';
import { PG_URL } from '../helpers/harness.js';

const MYSQL_URL = process.env['CUSTOS_TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';
const ROWS = 300;

function people(): unknown[][] {
  const rng = createRandom('scan-db');
  const names = ['张伟', '王芳', '李娜', '刘洋', '陈静', '欧阳娜娜', '杨帆', '赵磊'];
  return Array.from({ length: ROWS }, (_, i) => {
    const place = randomPlace(rng);
    return [`p${i}`, names[i % names.length], generateMobile(rng), generateIdNumber(rng, place, generateBirth(rng, 1950, 2005)), generateBankCard(rng), generateAddress(rng, place), generateEmail(rng), rng.int(0, 1_000_000), `备注${i % 7}`];
  });
}

const EXPECTED: Record<string, string | null> = { full_name: 'cn_name', mobile: 'cn_mobile', id_no: 'cn_id_card', card_no: 'bank_card', home: 'cn_address', contact: 'email', balance: null, remark: null };

function check(catalog: Catalog, table: string, rows: unknown[][]): void {
  const t = catalog.tables.find((x) => x.name === table)!;
  expect(t.key).toBe('id');
  expect(t.rowsSampled).toBe(ROWS);
  expect(t.personal).toBe(true);
  for (const [column, type] of Object.entries(EXPECTED)) {
    const c = t.columns.find((x) => x.name === column)!;
    expect(c.piiType, column).toBe(type);
    if (type !== null) {
      expect(c.matchRatio, column).toBeGreaterThan(0.95);
      expect(c.confidence, column).toBeGreaterThan(0.8);
      expect(c.mask).toBe(type);
    }
  }
  const balance = t.columns.find((c) => c.name === 'balance')!;
  expect(balance).toMatchObject({ category: 'property', threshold: 50, piplSensitive: true, mask: 'text' });
  // A column nobody could place, in a table of personal data, is masked until reviewed.
  expect(t.columns.find((c) => c.name === 'remark')!.mask).toBe('text');
  expect(t.columns.find((c) => c.name === 'card_no')).toMatchObject({ category: 'property', threshold: 50, level: 'C2' });
  expect(t.columns.find((c) => c.name === 'id_no')).toMatchObject({ category: 'other', threshold: 5000, piplSensitive: false });
  // Evidence is counts and hints, never the values.
  const json = JSON.stringify(catalog);
  for (const r of rows.slice(0, 50)) for (const v of r.slice(2, 7)) expect(json).not.toContain(String(v));
}

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('scanDatabase', () => {
  it('classifies the columns of a SQLite table, with progress', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-scan-db-'));
    dirs.push(dir);
    const file = join(dir, 'src.db');
    const db = new SQLite(file);
    db.exec('CREATE TABLE people (id TEXT PRIMARY KEY, full_name TEXT, mobile TEXT, id_no TEXT, card_no TEXT, home TEXT, contact TEXT, balance INTEGER, remark TEXT)');
    const rows = people();
    const ins = db.prepare('INSERT INTO people VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    for (const r of rows) ins.run(...r);
    db.close();
    const said: string[] = [];
    const catalog = await scanDatabase({ kind: 'sqlite', file }, { onProgress: (m) => said.push(m) });
    check(catalog, 'people', rows);
    expect(catalog.source).toBe(`sqlite:${file}`);
    expect(said.some((m) => m.includes('people'))).toBe(true);
  });

  it('refuses a bad sample size and a missing source with clear codes', async () => {
    await expect(scanDatabase({ kind: 'sqlite', file: '/nonexistent/x.db' })).rejects.toMatchObject({ code: 'CUSTOS_SCAN_SOURCE_UNAVAILABLE' });
    await expect(scanDatabase({ kind: 'sqlite', file: ':memory:' }, { sample: 0 })).rejects.toMatchObject({ code: 'CUSTOS_SCAN_BAD_SAMPLE' });
  });

  describe.skipIf(!process.env['CUSTOS_TEST_PG'])('on PostgreSQL', () => {
    it('classifies the same table', async () => {
      const schema = `custos_scan_${randomBytes(4).toString('hex')}`;
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        await c.query(`CREATE SCHEMA "${schema}"`);
        await c.query(`CREATE TABLE "${schema}".people (id TEXT PRIMARY KEY, full_name TEXT, mobile TEXT, id_no TEXT, card_no TEXT, home TEXT, contact TEXT, balance BIGINT, remark TEXT)`);
        const rows = people();
        for (const r of rows) await c.query(`INSERT INTO "${schema}".people VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, r);
        const source: SourceLocation = { kind: 'postgres', url: PG_URL, schema };
        const catalog = await scanDatabase(source);
        check(catalog, 'people', rows);
        expect(catalog.source).not.toContain('password');
      } finally {
        await c.end();
        await dropPostgresSchema(PG_URL, schema);
      }
    });
  });

  describe.skipIf(!process.env['CUSTOS_TEST_MYSQL'])('on MySQL/MariaDB', () => {
    it('classifies the same table', async () => {
      const table = `people_${randomBytes(4).toString('hex')}`;
      const conn = await mysql.createConnection({ uri: MYSQL_URL });
      try {
        await conn.query(`CREATE TABLE \`${table}\` (id VARCHAR(16) PRIMARY KEY, full_name VARCHAR(32), mobile VARCHAR(20), id_no VARCHAR(18), card_no VARCHAR(19), home VARCHAR(200), contact VARCHAR(100), balance BIGINT, remark VARCHAR(50)) CHARACTER SET utf8mb4`);
        const rows = people();
        await conn.query(`INSERT INTO \`${table}\` VALUES ?`, [rows]);
        const catalog = await scanDatabase({ kind: 'mysql', url: MYSQL_URL }, { tables: [table] });
        check(catalog, table, rows);
      } finally {
        await conn.query(`DROP TABLE IF EXISTS \`${table}\``);
        await conn.end();
      }
    });
  });
});
