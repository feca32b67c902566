// Builds the console (vite.config.ts) into a fresh folder and swaps it in for dist/web, so that a server
// starting meanwhile (or a test building concurrently) never reads a half-written console.
import { randomBytes } from 'node:crypto';
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

// Always a production build (React's production runtime), also when run from a test runner that sets NODE_ENV=test.
process.env.NODE_ENV = 'production';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'dist', 'web');
const fresh = join(root, 'dist', `.web-${process.pid}-${randomBytes(4).toString('hex')}`);

await build({ configFile: join(root, 'vite.config.ts'), mode: 'production', logLevel: 'warn', build: { outDir: fresh, emptyOutDir: true } });

// The bundle sizes, for docs and for keeping an eye on them.
let total = 0;
for (const entry of readdirSync(fresh, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const file = join(entry.parentPath ?? entry.path, entry.name);
  const size = statSync(file).size;
  total += size;
  console.log(`web: ${file.slice(fresh.length + 1).padEnd(40)} ${(size / 1024).toFixed(1).padStart(8)} KiB`);
}
console.log(`web: total ${(total / 1024).toFixed(1)} KiB in dist/web`);

// Swap: move the old build aside, put the fresh one in place. Another build finishing at the same moment may
// take the place first; then move that one aside too and try again (both builds are of the same sources).
for (let attempt = 0; ; attempt++) {
  const old = `${fresh}-old${attempt}`;
  try {
    renameSync(target, old);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  try {
    renameSync(fresh, target);
    rmSync(old, { recursive: true, force: true });
    break;
  } catch (e) {
    rmSync(old, { recursive: true, force: true });
    if (!['ENOTEMPTY', 'EEXIST', 'EPERM'].includes(e.code) || attempt > 20) throw e;
  }
}
