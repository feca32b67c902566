import type { Command } from 'commander';
import { CustosError } from '../core/errors.js';
import { buildApp, openRuntime } from '../server/index.js';
import { configFor, withDataOption } from './options.js';

/** `custos serve`: starts the HTTP server (what `npm start` runs). */
export function register(program: Command): void {
  withDataOption(program.command('serve').description('run the Custos server (embedded SQLite under the data directory by default)'))
    .option('--port <port>', 'port to listen on (default: $CUSTOS_PORT or 7300)')
    .action(async (opts: { data?: string; port?: string }) => {
      const config = configFor(opts);
      const port = opts.port !== undefined ? Number(opts.port) : config.port;
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new CustosError('CUSTOS_BAD_ARGUMENT', 400, '--port must be a whole number from 0 (any free port) to 65535.');
      }
      const say = (m: string): void => {
        process.stdout.write(`${m}\n`);
      };
      say(config.databaseUrl !== undefined ? 'custos: server mode on PostgreSQL' : `custos: embedded mode, data in ${config.dataDir}`);
      const rt = await openRuntime(config, { onProgress: say });
      if (rt.createdLedgerKey !== undefined) say(`custos: generated a new ledger signing key; public key in ${rt.createdLedgerKey}`);
      if (rt.demoCredentialsFile !== undefined) say(`custos: generated the demo company; demo credentials written to ${rt.demoCredentialsFile}`);
      else if (config.demo.enabled) say(`custos: reusing existing data; demo credentials are in ${config.dataDir}/demo-credentials.json`);
      const app = await buildApp(rt);
      await app.listen({ port, host: config.host });
      const address = app.server.address();
      const actualPort = typeof address === 'object' && address !== null ? address.port : port;
      say(`custos: listening on http://${config.host}:${actualPort} (console at /, API description at /openapi.json)`);
      const stop = (): void => {
        void app.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
