import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The console (web/) built into dist/web, which the server serves (src/server/routes/console-routes.ts) under
 * a strict CSP: no inline scripts or styles in the HTML, no eval. ECharts is its own chunk, loaded by the pages
 * that chart. `npm run build` runs scripts/build-web.mjs, which builds here into a fresh folder and swaps it in.
 */
export default defineConfig({
  root: fileURLToPath(new URL('./web', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1200,
    assetsInlineLimit: 0,
  },
  server: {
    // `npx vite` for console work: the API comes from a running `npm start`.
    proxy: { '/api': 'http://127.0.0.1:7300', '/healthz': 'http://127.0.0.1:7300' },
  },
});
