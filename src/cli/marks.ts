import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { CustosError } from '../core/errors.js';
import { resolveView } from '../marks/index.js';
import { openRuntime, traceLeakedFile, type Runtime } from '../server/index.js';
import { configFor, recordAdminAction, withDataOption } from './options.js';

const MAX_TEXT = 50 * 1024 * 1024;

export async function withRuntime<T>(opts: { data?: string }, work: (rt: Runtime) => Promise<T>): Promise<T> {
  const config = configFor(opts);
  const rt = await openRuntime({ ...config, demo: { ...config.demo, enabled: false }, watch: { ...config.watch, enabled: false } });
  try {
    return await work(rt);
  } finally {
    await rt.close();
  }
}

async function readInput(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of process.stdin as AsyncIterable<Buffer>) {
      size += c.length;
      if (size > MAX_TEXT) throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, 'The text is larger than 50 MB.');
      chunks.push(c);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  try {
    const buf = await readFile(file);
    if (buf.length > MAX_TEXT) throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, 'The file is larger than 50 MB.');
    return buf.toString('utf8');
  } catch (e) {
    if (e instanceof CustosError) throw e;
    throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, `Cannot read ${file}.`);
  }
}

/**
 * `custos trace code CODE` and `custos trace text FILE|-`: the page views named by a watermark's view code or by
 * the invisible marks in a pasted text, each with its access event and its inclusion proof (JSON). Each
 * lookup is itself on the ledger (actor `cli`).
 */
export function registerMarkCommands(trace: Command): void {
  withDataOption(trace.command('code').description('the access event a watermark view code names, with its inclusion proof').argument('<code>', 'the view code, e.g. 0007-K4QX'))
    .action(async (code: string, opts: { data?: string }) => {
      await withRuntime(opts, async (rt) => {
        const index = rt.marks.decode(code);
        await recordAdminAction(rt, { kind: 'trace.code', ...(index !== undefined ? { index } : { malformed: true }) });
        if (index === undefined) throw new CustosError('CUSTOS_TRACE_BAD_CODE', 400, 'The view code is malformed or its check characters do not match: re-read it (0/O and 1/I/L are read alike).');
        const view = await resolveView(rt.ledger, index);
        if (view === undefined) throw new CustosError('CUSTOS_TRACE_UNKNOWN_VIEW', 404, 'The view code is well formed but names no entry of this ledger.');
        process.stdout.write(`${JSON.stringify(view, null, 2)}\n`);
      });
    });
  withDataOption(trace.command('text').description('the page views named by the invisible marks in a pasted text').argument('<file>', 'a text file, or - for standard input'))
    .action(async (file: string, opts: { data?: string }) => {
      const text = await readInput(file);
      await withRuntime(opts, async (rt) => {
        const indexes = rt.marks.readText(text);
        await recordAdminAction(rt, { kind: 'trace.text', found: indexes.length, indexes: indexes.slice(0, 100) });
        const views = [];
        for (const i of indexes.slice(0, 1000)) {
          const v = await resolveView(rt.ledger, i);
          if (v !== undefined) views.push(v);
        }
        process.stdout.write(`${JSON.stringify({ found: indexes.length, views }, null, 2)}\n`);
      });
    });
}

/**
 * `custos trace file LEAK.csv|LEAK.xlsx`: the approved exports ranked by their fingerprint in a leaked file, with
 * recipient and confidence (JSON, then one line per export on standard error). Ledgered with counts only.
 */
export function registerTraceFileCommand(trace: Command): void {
  withDataOption(trace.command('file').description('which approved export a leaked CSV or XLSX came from, by its fingerprint').argument('<file>', 'the leaked file (.csv in UTF-8 or GBK, or .xlsx)'))
    .action(async (file: string, opts: { data?: string }) => {
      let data: Buffer;
      try {
        data = await readFile(file);
      } catch {
        throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, `Cannot read ${file}.`);
      }
      await withRuntime(opts, async (rt) => {
        const t = await traceLeakedFile(rt, file, data);
        const canaryIds = new Set(t.canaries.map((c) => c.id));
        await recordAdminAction(rt, { kind: 'trace.file', rows: t.table.length, resolved: t.leaked.rows.length, candidates: t.candidates.length, top: t.ranked[0]?.exportId ?? null, canaries: [...canaryIds].slice(0, 100) }, [...t.subjects].filter((s) => !canaryIds.has(s)).slice(0, 10_000));
        process.stdout.write(`${JSON.stringify({ rows: t.table.length, resolved: t.leaked.rows.length, exports: t.ranked, canaries: t.canaries }, null, 2)}\n`);
        for (const c of t.canaries) process.stderr.write(`canary row: ${c.id}, audience ${c.audience}\n`);
        const top = t.ranked[0];
        process.stderr.write(
          top !== undefined && top.confidence > 0.99
            ? `named: export ${top.exportId} to ${top.recipient} (confidence ${top.confidence.toFixed(6)}, ${top.agreeing}/${top.compared} values written its way)\n`
            : `no export named with confidence > 0.99 (${t.leaked.rows.length} of ${t.table.length} rows resolved to customers; trace by who saw them instead)\n`,
        );
      });
    });
}
