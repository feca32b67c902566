// Copies the data files the compiled code reads at run time (src/**/data/*.json) next to it in dist/.
import { cpSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
  const dir = entry.parentPath ?? entry.path;
  if (entry.isFile() && entry.name.endsWith('.json') && dir.split(/[\\/]/).includes('data')) {
    const from = join(dir, entry.name);
    cpSync(from, join(root, 'dist', relative(src, from)));
  }
}
