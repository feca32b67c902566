import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Custos</title></head><body>
<p>The console is not built: run <code>npm run build</code> (or <code>npm start</code>, which builds first).</p>
<p>控制台尚未构建：请运行 <code>npm run build</code>（或 <code>npm start</code>，它会先构建）。</p></body></html>`;

/** The built console (Vite output) at `dist/web` under the package root (found from this file, in src/ or dist/). */
export function webRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist', 'web');
}

interface Asset {
  readonly body: Buffer;
  readonly type: string;
}

/** Every file of the built console, read once when the app is built (a few hundred KB), keyed by URL path. */
function readConsole(root: string): Map<string, Asset> {
  const files = new Map<string, Asset>();
  if (!existsSync(join(root, 'index.html'))) return files;
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = join(entry.parentPath, entry.name);
    const type = TYPES[extname(entry.name).toLowerCase()];
    if (type === undefined) continue;
    files.set(`/${relative(root, file).split(sep).join('/')}`, { body: readFileSync(file), type });
  }
  return files;
}

/**
 * Serves the console: `/` (and the client-side routes, which live after `#`) is index.html, `/assets/…` the
 * hashed bundles (cached for good: a new build has new names). Only files of the build are served; the CSP
 * (app.ts) allows scripts and styles from this origin only.
 */
export function consoleRoutes(app: FastifyInstance, root: string = webRoot()): void {
  const files = readConsole(root);
  const index = files.get('/index.html');
  app.get('/', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(index?.body ?? NOT_BUILT),
  );
  app.get('/assets/*', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const asset = files.get(path);
    if (asset === undefined) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    return reply.type(asset.type).header('cache-control', 'public, max-age=31536000, immutable').send(asset.body);
  });
}
