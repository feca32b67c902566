import { createReadStream, existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { CustosError } from '../core/errors.js';
import { parseSource, PII_TYPES, scanDatabase, scanEach, textPieces, type PiiType, type ScanOptions } from '../catalog/index.js';
import { createMasker, redactWith } from '../masking/index.js';
import { configFor } from './options.js';

/** FILE or `-` (standard input) as a stream; a missing file is a clear error, not a stack trace. */
function input(file: string): Readable {
  if (file === '-') return process.stdin;
  if (!existsSync(file)) throw new CustosError('CUSTOS_SCAN_NO_FILE', 400, `Cannot read ${file}.`);
  return createReadStream(file, { highWaterMark: 1 << 20 });
}

function parseTypes(list: string | undefined): ReadonlySet<PiiType> | undefined {
  if (list === undefined) return undefined;
  const types = list.split(',').map((t) => t.trim());
  for (const t of types) {
    if (!(PII_TYPES as readonly string[]).includes(t)) throw new CustosError('CUSTOS_SCAN_BAD_TYPE', 400, `Unknown type ${t.slice(0, 32)}; the types are ${PII_TYPES.join(', ')}.`);
  }
  return new Set(types as PiiType[]);
}

function parseConfidence(v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!(n >= 0 && n <= 1)) throw new CustosError('CUSTOS_SCAN_BAD_CONFIDENCE', 400, '--min-confidence must be a number from 0 to 1.');
  return n;
}

/** Writes, waiting when stdout is full (a pipe to a slow reader must not grow memory without bound). */
function write(s: string): Promise<void> {
  return process.stdout.write(s) ? Promise.resolve() : new Promise((ok) => process.stdout.once('drain', () => ok()));
}

/**
 * The JSON Lines of `scan text` for the findings of one piece of text at offset `base`, built without an object per
 * finding. Byte for byte JSON.stringify({ type, start, end, confidence }): types are plain ASCII names, and a finite
 * number prints the same in JSON as in a template string.
 */
export function findingLines(text: string, base: number, options: ScanOptions): string {
  let out = '';
  scanEach(text, options, (type, start, end, confidence) => {
    out += `{"type":"${type}","start":${base + start},"end":${base + end},"confidence":${confidence}}\n`;
  });
  return out;
}

/** `custos scan text|db` and `custos redact`. */
export function register(program: Command): void {
  const scan = program.command('scan').description('find personal information in text or in a database');

  scan
    .command('text')
    .description('scan a UTF-8 text file (or - for stdin); prints JSON Lines {"type","start","end","confidence"}, offsets in JavaScript string indices')
    .argument('<file>', 'text file, or - for standard input')
    .option('--types <list>', `only these types (comma-separated: ${PII_TYPES.join(',')})`)
    .option('--min-confidence <n>', 'drop findings below this confidence (0–1, default 0: all, each with its confidence)')
    .action(async (file: string, o: { types?: string; minConfidence?: string }) => {
      const types = parseTypes(o.types);
      const options = { ...(types ? { types } : {}), minConfidence: parseConfidence(o.minConfidence, 0) };
      for await (const { text, base } of textPieces(input(file))) {
        const out = findingLines(text, base, options);
        if (out.length > 0) await write(out);
      }
    });

  scan
    .command('db')
    .description('sample every column of a SQLite, PostgreSQL or MySQL source and propose a classification per column (catalog.json)')
    .requiredOption('--source <url>', 'postgres://…[?schema=NAME], mysql://…, sqlite:PATH or a SQLite file')
    .option('--out <file>', 'catalog file to write', 'catalog.json')
    .option('--sample <rows>', 'rows sampled per table', '1000')
    .option('--force', 'overwrite an existing catalog file (a reviewed catalog is kept unless this is given)')
    .action(async (o: { source: string; out: string; sample: string; force?: boolean }) => {
      if (existsSync(o.out) && o.force !== true) throw new CustosError('CUSTOS_SCAN_OUT_EXISTS', 400, `${o.out} exists (it may hold reviewed decisions); pass --force to replace it or choose another --out.`);
      const sample = Number(o.sample);
      const catalog = await scanDatabase(parseSource(o.source), { sample, onProgress: (m) => process.stderr.write(`${m}\n`) });
      await writeFile(o.out, `${JSON.stringify(catalog, null, 2)}\n`, { mode: 0o640 });
      const columns = catalog.tables.flatMap((t) => t.columns);
      process.stdout.write(
        `${catalog.tables.length} tables, ${columns.length} columns, ${columns.filter((c) => c.piiType !== null).length} with personal identifiers; proposals written to ${o.out} (review them, then set "reviewed": true)\n`,
      );
    });

  program
    .command('redact')
    .description('mask every finding in a UTF-8 text (file or - for stdin) and print the text')
    .argument('<file>', 'text file, or - for standard input')
    .option('--min-confidence <n>', 'mask findings at or above this confidence (0–1)', '0.5')
    .action(async (file: string, o: { minConfidence: string }) => {
      const minConfidence = parseConfidence(o.minConfidence, 0.5);
      const masker = createMasker(configFor({}).maskRules);
      for await (const { text } of textPieces(input(file))) await write(redactWith(text, (visit) => scanEach(text, { minConfidence }, visit), masker));
    });
}
