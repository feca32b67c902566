/**
 * `npm run bench`: runs every benchmark module in bench/ (each exports `run()`), one after another, or only
 * those named on the command line (`npm run bench -- view ledger`).
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = new Set(process.argv.slice(2));
const modules = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('bench-'))
  .filter((f) => wanted.size === 0 || wanted.has(f.replace(/\.ts$/, '')))
  .sort();

for (const file of modules) {
  process.stdout.write(`\n=== bench/${file} ===\n`);
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { run?: () => Promise<void> };
  if (typeof mod.run !== 'function') {
    process.stdout.write('(no run() export; skipped)\n');
    continue;
  }
  await mod.run();
}
