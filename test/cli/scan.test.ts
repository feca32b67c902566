import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');

async function custos(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run(tsx, [join(root, 'src/cli/main.ts'), ...args], { cwd: root });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout, err: err.stderr };
  }
}

function withStdin(input: string, ...args: string[]): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(tsx, [join(root, 'src/cli/main.ts'), ...args], { cwd: root });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    child.once('exit', (code) => (code === 0 ? ok(out) : fail(new Error(`exit ${String(code)}`))));
    child.stdin.end(input);
  });
}

const TEXT = '客户张伟来电，手机138 1234 5678，身份证11010519491231002X。\n订单号202311221234567890，卡号6222021234567890128\n';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'custos-scan-cli-'));
  await writeFile(join(dir, 'notes.txt'), TEXT);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('custos scan and redact', () => {
  it('scan text prints JSON Lines with exact offsets, from a file and from stdin', async () => {
    const r = await custos('scan', 'text', join(dir, 'notes.txt'), '--min-confidence', '0.5');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; start: number; end: number; confidence: number });
    expect(lines.map((f) => [f.type, TEXT.slice(f.start, f.end)])).toEqual([
      ['cn_name', '张伟'],
      ['cn_mobile', '138 1234 5678'],
      ['cn_id_card', '11010519491231002X'],
      ['bank_card', '6222021234567890128'],
    ]);
    expect(Object.keys(lines[0]!)).toEqual(['type', 'start', 'end', 'confidence']);
    expect(await withStdin(TEXT, 'scan', 'text', '-', '--min-confidence', '0.5')).toBe(r.out);
  }, 60_000);

  it('redact masks every finding and keeps the rest of the text', async () => {
    const out = await withStdin(TEXT, 'redact', '-');
    expect(out).toBe('客户张*来电，手机138****5678，身份证110105********002X。\n订单号202311221234567890，卡号622202*********0128\n');
  }, 60_000);

  it('refuses unknown types, bad confidences and missing files with codes, echoing no values', async () => {
    const fails = async (code: string, ...args: string[]): Promise<void> => {
      const r = await custos(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toContain(code);
    };
    await fails('CUSTOS_SCAN_NO_FILE', 'scan', 'text', join(dir, 'nope.txt'));
    await fails('CUSTOS_SCAN_BAD_TYPE', 'scan', 'text', join(dir, 'notes.txt'), '--types', 'cn_mobile,secret');
    await fails('CUSTOS_SCAN_BAD_CONFIDENCE', 'redact', join(dir, 'notes.txt'), '--min-confidence', '2');
  }, 60_000);

  it('scan db writes a catalog, and will not overwrite one without --force', async () => {
    const file = join(dir, 'src.db');
    const db = new SQLite(file);
    db.exec("CREATE TABLE t (id TEXT PRIMARY KEY, phone TEXT); INSERT INTO t VALUES ('a', '13812345678'), ('b', '13912345678')");
    db.close();
    const out = join(dir, 'catalog.json');
    const r = await custos('scan', 'db', '--source', `sqlite:${file}`, '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toContain('1 with personal identifiers');
    const catalog = JSON.parse(await readFile(out, 'utf8')) as { format: string; reviewed: boolean; tables: { columns: { name: string; piiType: string | null }[] }[] };
    expect(catalog).toMatchObject({ format: 'custos-catalog/1', reviewed: false });
    expect(catalog.tables[0]!.columns.find((c) => c.name === 'phone')!.piiType).toBe('cn_mobile');
    const again = await custos('scan', 'db', '--source', `sqlite:${file}`, '--out', out);
    expect([again.code, again.err.includes('CUSTOS_SCAN_OUT_EXISTS')]).toEqual([1, true]);
    expect((await custos('scan', 'db', '--source', `sqlite:${file}`, '--out', out, '--force')).code).toBe(0);
    const ftp = await custos('scan', 'db', '--source', 'ftp://x/y');
    expect([ftp.code, ftp.err.includes('CUSTOS_SCAN_BAD_SOURCE')]).toEqual([1, true]);
  }, 60_000);
});
