import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../src/core/clock.js';
import { loadOrCreateLedgerKey } from '../../src/ledger/index.js';
import { buildApp, loadConfig, openRuntime, type CustosConfig } from '../../src/server/index.js';
import { dropPostgresSchema } from '../../src/store/index.js';

export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  readonly enabled: boolean;
  readonly skipReason: string;
}

export const PG_URL = process.env['CUSTOS_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The backends the integration suites run on: SQLite always; PostgreSQL when CUSTOS_TEST_PG is set. */
export const BACKENDS: readonly Backend[] = [
  { name: 'sqlite', enabled: true, skipReason: '' },
  {
    name: 'postgres',
    enabled: process.env['CUSTOS_TEST_PG'] !== undefined && process.env['CUSTOS_TEST_PG'] !== '',
    skipReason: 'PostgreSQL suite skipped: set CUSTOS_TEST_PG=1 (server at CUSTOS_TEST_PG_URL or postgres://postgres@127.0.0.1:5432/test)',
  },
];

export interface Credential {
  readonly user: string;
  readonly password: string;
  readonly role: string;
  readonly department: string;
  readonly employment: string;
}

export interface Harness {
  readonly app: FastifyInstance;
  readonly config: CustosConfig;
  readonly credentials: readonly Credential[];
  readonly logs: string[];
  /** The ledger's verifier key file (what an auditor is given). */
  readonly verifierKeyFile: string;
  /** Closes the app and opens a new one on the same data (a server restart); `app` is then the new one. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** A running app on a fresh data directory (and a fresh PostgreSQL schema) with a small demo company. */
/**
 * A clock running at real speed, moved forward (never back) so that local time (UTC+8) is 10:00 at the start: for
 * suites whose flows the policy allows only in office hours (exports 07:00–21:00, teller reveals 08:00–19:00).
 */
export function officeHoursClock(): Clock {
  const localHour = new Date(Date.now() + 8 * 3_600_000).getUTCHours();
  const shift = ((10 - localHour + 24) % 24) * 3_600_000;
  return { now: () => new Date(Date.now() + shift) };
}

export async function startHarness(backend: Backend, demo = { customers: 3000, staff: 60 }, extraEnv: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<Harness> {
  const dataDir = await mkdtemp(join(tmpdir(), 'custos-test-'));
  const schema = `custos_t_${randomBytes(6).toString('hex')}`;
  const env: Record<string, string> = {
    CUSTOS_DATA: dataDir,
    CUSTOS_DEMO_CUSTOMERS: String(demo.customers),
    CUSTOS_DEMO_STAFF: String(demo.staff),
    CUSTOS_DEMO_SEED: 'test-seed',
    ...extraEnv,
  };
  if (backend.name === 'postgres') {
    // Server mode never generates secrets: the test makes its key first, as an operator would.
    const key = await loadOrCreateLedgerKey(join(dataDir, 'keys'), 'custos.test/ledger');
    env['CUSTOS_DATABASE_URL'] = PG_URL;
    env['CUSTOS_DATABASE_SCHEMA'] = schema;
    env['CUSTOS_LEDGER_KEY'] = join(dataDir, 'keys', 'ledger-key.pem');
    env['CUSTOS_LEDGER_ORIGIN'] = 'custos.test/ledger';
    void key;
  }
  const config = loadConfig(env);
  const rt = await openRuntime(config, options.clock !== undefined ? { clock: options.clock } : {});
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(chunk.toString('utf8'));
      cb();
    },
  });
  let app = await buildApp(rt, { logger: { level: 'info', stream } });
  const credentials = JSON.parse(await readFile(join(dataDir, 'demo-credentials.json'), 'utf8')) as Credential[];
  return {
    get app() {
      return app;
    },
    config,
    credentials,
    logs,
    verifierKeyFile: backend.name === 'postgres' ? join(dataDir, 'keys', 'ledger-key.pub') : join(dataDir, 'ledger-key.pub'),
    async restart() {
      await app.close();
      app = await buildApp(await openRuntime(config, options.clock !== undefined ? { clock: options.clock } : {}), { logger: { level: 'info', stream } });
    },
    async close() {
      await app.close();
      if (backend.name === 'postgres') await dropPostgresSchema(PG_URL, schema);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Logs in through the HTTP API; returns the cookie header and CSRF token. */
export async function login(app: FastifyInstance, cred: { user: string; password: string }): Promise<{ cookie: string; csrf: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { user: cred.user, password: cred.password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.cookies.find((c) => c.name === 'custos_session');
  if (!setCookie) throw new Error('no session cookie');
  return { cookie: `custos_session=${setCookie.value}`, csrf: res.json<{ csrf: string }>().csrf };
}

/** Open tickets of service agents (optionally of one employment) with the customers they name, from the store. */
export async function agentTickets(h: Harness, employment?: string): Promise<{ id: string; assignee: string; customer_id: string }[]> {
  let q = h.app.custos.store
    .selectFrom('tickets')
    .innerJoin('ticket_subjects', 'ticket_subjects.ticket_id', 'tickets.id')
    .innerJoin('staff', 'staff.id', 'tickets.assignee')
    .select(['tickets.id', 'tickets.assignee', 'ticket_subjects.customer_id'])
    .where('tickets.status', '=', 'open')
    .where('staff.role', '=', 'service_agent');
  if (employment !== undefined) q = q.where('staff.employment', '=', employment);
  return q.execute();
}
