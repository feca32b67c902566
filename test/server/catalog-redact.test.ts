import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskRow } from '../../src/gateway/index.js';
import { createMasker } from '../../src/masking/index.js';
import { loadConfig } from '../../src/server/index.js';
import { fieldPlanFromCatalog } from '../../src/server/field-catalog.js';
import { login, startHarness, BACKENDS, type Harness } from '../helpers/harness.js';

describe('the demo company through the catalog, and the redact API', () => {
  let h: Harness;
  let agent: { cookie: string; csrf: string };
  beforeAll(async () => {
    h = await startHarness(BACKENDS[0]!);
    agent = await login(h.app, h.credentials.find((c) => c.role === 'telesales')!);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('classified the demo source on first start and serves the plan it proposed', async () => {
    const catalog = JSON.parse(await readFile(join(h.config.dataDir, 'catalog.json'), 'utf8')) as unknown;
    const plan = fieldPlanFromCatalog(catalog);
    expect(plan.key).toBe('id');
    expect(Object.fromEntries(plan.fields.map((f) => [f.column, f.mask]))).toEqual({
      name: 'cn_name',
      mobile: 'cn_mobile',
      id_number: 'cn_id_card',
      bank_card: 'bank_card',
      address: 'cn_address',
      email: 'email',
      balance: 'text',
      employer: 'text',
    });
    const customers = (catalog as { tables: { name: string; columns: { name: string; category: string; threshold: number; level: string; piplSensitive: boolean }[] }[] }).tables.find((t) => t.name === 'customers')!;
    expect(customers.columns.find((c) => c.name === 'bank_card')).toMatchObject({ category: 'property', threshold: 50, level: 'C2', piplSensitive: true });
    expect(customers.columns.find((c) => c.name === 'balance')).toMatchObject({ category: 'property', threshold: 50 });
  });

  it('follows an administrator\'s edits to the catalog, and refuses a catalog it cannot trust', async () => {
    const catalog = JSON.parse(await readFile(join(h.config.dataDir, 'catalog.json'), 'utf8')) as { tables: { name: string; columns: { name: string; mask: string | null }[] }[] };
    const customers = catalog.tables.find((t) => t.name === 'customers')!;
    customers.columns.find((c) => c.name === 'employer')!.mask = null;
    expect(fieldPlanFromCatalog(catalog).fields.find((f) => f.column === 'employer')!.mask).toBeNull();
    customers.columns.find((c) => c.name === 'mobile')!.mask = 'nothing';
    expect(() => fieldPlanFromCatalog(catalog)).toThrow(expect.objectContaining({ code: 'CUSTOS_CATALOG_INVALID' }) as Error);
    expect(() => fieldPlanFromCatalog({ format: 'custos-catalog/1', reviewed: true, tables: [] })).toThrow(expect.objectContaining({ code: 'CUSTOS_CATALOG_INVALID' }) as Error);
  });

  it('POST /api/v1/redact masks what it finds and returns types and offsets only', async () => {
    const text = '客户张伟，手机13812345678，邮箱lihua@163.com';
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/redact', headers: { cookie: agent.cookie, 'x-custos-csrf': agent.csrf }, payload: { text } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json<{ text: string; findings: { type: string; start: number; end: number }[] }>();
    expect(body.text).toBe('客户张*，手机138****5678，邮箱l***@163.com');
    expect(body.findings.map((f) => f.type)).toEqual(['cn_name', 'cn_mobile', 'email']);
    expect(JSON.stringify(body.findings)).not.toContain('13812345678');
  });

  it('refuses the redact API without a login, without the CSRF header, and with a bad body', async () => {
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/redact', payload: { text: 'x' } })).statusCode).toBe(401);
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/redact', headers: { cookie: agent.cookie }, payload: { text: 'x' } })).statusCode).toBe(403);
    const bad = await h.app.inject({ method: 'POST', url: '/api/v1/redact', headers: { cookie: agent.cookie, 'x-custos-csrf': agent.csrf }, payload: { text: 'x', extra: 1 } });
    expect(bad.statusCode).toBe(400);
    const long = await h.app.inject({ method: 'POST', url: '/api/v1/redact', headers: { cookie: agent.cookie, 'x-custos-csrf': agent.csrf }, payload: { text: 'a'.repeat(60_001) } });
    expect(long.statusCode).toBe(400);
  });

  it('applies CUSTOS_MASKS over the defaults, and refuses a bad rule naming the key, not the value', () => {
    const config = loadConfig({ CUSTOS_DATA: h.config.dataDir, CUSTOS_MASKS: '{"cn_mobile":{"keepHead":3,"keepTail":2},"email":{"style":"full"}}' });
    const plan = { table: 'customers', key: 'id', fields: [{ column: 'mobile', mask: 'cn_mobile' as const }, { column: 'email', mask: 'email' as const }, { column: 'name', mask: 'cn_name' as const }] };
    const shown = maskRow(plan, { mobile: '13812345678', email: 'lihua@163.com', name: '张三' }, createMasker(config.maskRules)).fields;
    expect(shown).toEqual({ mobile: '138******78', email: '*************', name: '张*' });
    expect(() => loadConfig({ CUSTOS_MASKS: '{"cn_mobile":{"keepHead":-1,"keepTail":"secret-value"}}' })).toThrow(expect.objectContaining({ code: 'CUSTOS_CONFIG_INVALID' }) as Error);
    try {
      loadConfig({ CUSTOS_MASKS: '{"cn_mobile":{"keepHead":-1,"keepTail":"secret-value"}}' });
    } catch (e) {
      expect((e as Error).message).toContain('CUSTOS_MASKS');
      expect((e as Error).message).not.toContain('secret-value');
    }
  });
});
