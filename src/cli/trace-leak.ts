import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { readXlsx } from '../access/index.js';
import { CustosError } from '../core/errors.js';
import { orgSchema, readEvents } from '../detect/index.js';
import { decodeText, leakedRows, MAX_LEAKED_BYTES, parseCsv } from '../marks/index.js';
import { leakEvidence, runtimeAccessSource } from '../server/index.js';
import { createAccessIndex, formatLeakReport, MAX_LEAK_SUBJECTS, rankSuspects, type LeakRanking, type MarkEvidence } from '../trace/index.js';
import { withRuntime } from './marks.js';
import { recordAdminAction, withDataOption } from './options.js';

interface LeakOptions {
  leaked: string;
  org?: string;
  events?: string;
  customers?: string;
  from?: string;
  to?: string;
  limit: string;
  data?: string;
}

function time(name: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t) || v.length > 40) throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, `--${name} must be an ISO-8601 time.`);
  return new Date(t).toISOString();
}

async function readLeaked(file: string): Promise<{ name: string; data: Buffer }> {
  try {
    const data = await readFile(file);
    if (data.length > MAX_LEAKED_BYTES) throw new CustosError('CUSTOS_TRACE_FILE_TOO_LARGE', 400, 'The leaked file is larger than 50 MB; a sample is enough.');
    return { name: file, data };
  } catch (e) {
    if (e instanceof CustosError) throw e;
    throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, `Cannot read ${file}.`);
  }
}

function print(ranking: LeakRanking & { canaries: readonly string[] }): void {
  process.stdout.write(`${JSON.stringify(ranking, null, 2)}\n`);
  process.stderr.write(formatLeakReport(ranking));
  if (ranking.canaries.length > 0) process.stderr.write(`Canaries in the sample: ${ranking.canaries.join(', ')}\n`);
}

/**
 * `custos trace leak --leaked LEAK.csv [--org org.json --events events.jsonl | --data DIR]`: ranks the people and
 * exports that could have leaked a sample, with reasons (JSON on standard output, a readable report on standard
 * error). Over `--data` (a Custos's ledger and customer data) raw rows resolve by phone, ID number, card,
 * e-mail or a unique name, fingerprints and canary rows count as evidence, and the run is ledgered; over
 * an events file the sample must name customer ids.
 */
export function registerTraceLeakCommand(trace: Command): void {
  withDataOption(
    trace
      .command('leak')
      .description('rank the people and exports that could have leaked a sample of customers, with reasons')
      .requiredOption('--leaked <file>', 'the leaked sample: CSV (UTF-8 or GBK), XLSX, or a list of customer ids')
      .option('--org <file>', 'org.json (with --events: offline, no Custos data directory)')
      .option('--events <file>', 'events.jsonl to attribute over (instead of the ledger of --data)')
      .option('--customers <n>', 'with --events: how many customers there are (default: those in the events)')
      .option('--from <time>', 'only accesses at or after this time (ISO-8601)')
      .option('--to <time>', 'only accesses at or before this time (ISO-8601)')
      .option('--limit <n>', 'candidates to list (1 to 100)', '10'),
  ).action(async (o: LeakOptions) => {
    const limit = Number(o.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, '--limit must be a whole number from 1 to 100.');
    const from = time('from', o.from);
    const to = time('to', o.to);
    const window = { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
    const leaked = await readLeaked(o.leaked);
    if (o.events !== undefined) {
      const customers = o.customers === undefined ? undefined : Number(o.customers);
      if (customers !== undefined && !(Number.isInteger(customers) && customers >= 1)) throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, '--customers must be a whole number.');
      let canaries = new Set<string>();
      if (o.org !== undefined) {
        let org;
        try {
          org = orgSchema.safeParse(JSON.parse(readFileSync(o.org, 'utf8')));
        } catch {
          throw new CustosError('CUSTOS_DETECT_BAD_JSON', 400, `The org file ${o.org} cannot be read as JSON.`);
        }
        if (!org.success) throw new CustosError('CUSTOS_DETECT_BAD_ORG', 400, 'The org file does not match the org.json contract.');
        canaries = new Set(org.data.canaries);
      }
      const index = createAccessIndex();
      for await (const e of readEvents(o.events)) index.add(e);
      const source = index.source(customers !== undefined ? { customers } : {});
      const table = /\.xlsx$/i.test(leaked.name) ? await readXlsx(leaked.data) : parseCsv(decodeText(leaked.data));
      const rows = await leakedRows(table, (kind, value) => Promise.resolve(kind === 'subject_id' ? value : undefined));
      const subjects = [...new Set(rows.rows.map((r) => r.subject))].slice(0, MAX_LEAK_SUBJECTS);
      if (subjects.length === 0) throw new CustosError('CUSTOS_TRACE_LEAK_UNRESOLVED', 400, 'No row of the sample names a customer id; over an events file the sample must hold ids (use --data to resolve phones, ID numbers or names).');
      const ranking = await rankSuspects({ subjects, limit, ...window }, source);
      print({ ...ranking, canaries: subjects.filter((s) => canaries.has(s)) });
      return;
    }
    await withRuntime(o, async (rt) => {
      const { traced, marks } = await leakEvidence(rt, leaked.name, leaked.data);
      const subjects = [...traced.subjects].slice(0, MAX_LEAK_SUBJECTS);
      if (subjects.length === 0) throw new CustosError('CUSTOS_TRACE_LEAK_UNRESOLVED', 400, 'No row of the sample resolves to a customer (by id, phone, ID number, card, e-mail or a unique name).');
      const evidence: MarkEvidence[] = marks;
      const ranking = await rankSuspects({ subjects, limit, marks: evidence, ...window }, runtimeAccessSource(rt));
      const top = ranking.suspects[0];
      await recordAdminAction(rt, { kind: 'trace.leak', subjects: subjects.length, top: top === undefined ? null : (top.exportId ?? top.actor), canaries: traced.canaries.map((c) => c.id).slice(0, 100) });
      print({ ...ranking, canaries: traced.canaries.map((c) => c.id) });
    });
  });
}
