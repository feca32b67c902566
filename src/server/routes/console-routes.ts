import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const FILES: Record<string, string> = {
  '/': 'index.html',
  '/app.js': 'app.js',
  '/app.css': 'app.css',
};
const TYPES: Record<string, string> = { html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };

/** The web console's static files live in `web/` at the package root (found from this file, in src/ or dist/). */
export function webRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'web');
}

export function consoleRoutes(app: FastifyInstance): void {
  const root = webRoot();
  for (const [path, file] of Object.entries(FILES)) {
    app.get(path, async (_request, reply) => {
      const body = await readFile(join(root, file));
      return reply
        .type(TYPES[file.split('.').pop()!]!)
        .header('cache-control', 'no-cache')
        .send(body);
    });
  }
}
