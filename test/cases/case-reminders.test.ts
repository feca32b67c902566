import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { buildApp, loadConfig, openRuntime } from '../../src/server/index.js';
import { login, type Credential } from '../helpers/harness.js';

const MINUTE = 60_000;

describe('reporting-deadline reminders (injected clock, real webhook on loopback)', () => {
  const clock = manualClock(new Date('2026-03-02T09:00:00.000Z'));
  const received: Record<string, unknown>[] = [];
  let hook: Server;
  let app: FastifyInstance;
  let dataDir: string;
  let security: { cookie: string; csrf: string };
  let customer: string;

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push(JSON.parse(body) as Record<string, unknown>);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    dataDir = await mkdtemp(join(tmpdir(), 'custos-remind-'));
    const config = loadConfig({
      CUSTOS_DATA: dataDir,
      CUSTOS_DEMO_CUSTOMERS: '500',
      CUSTOS_DEMO_STAFF: '20',
      CUSTOS_DEMO_SEED: 'remind',
      CUSTOS_DETECT: 'false',
      CUSTOS_ALERT_WEBHOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
      CUSTOS_OPERATOR_KIND: 'cii',
      CUSTOS_CASE_REMINDER_LEAD_MINUTES: '15',
      // The runtime's own timer looks every second; the test drives the clock it reads.
      CUSTOS_CASE_REMINDER_SECONDS: '1',
    });
    app = await buildApp(await openRuntime(config, { clock }), { logger: false });
    const creds = JSON.parse(await readFile(join(dataDir, 'demo-credentials.json'), 'utf8')) as Credential[];
    security = await login(app, creds.find((c) => c.role === 'security_analyst')!);
    customer = (await app.custos.source.selectFrom('customers').select('id').limit(1).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await app?.close();
    hook?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const send = (method: 'POST' | 'PUT' | 'GET', url: string, payload?: Record<string, unknown>) =>
    app.inject({ method, url, headers: { cookie: security.cookie, 'x-custos-csrf': security.csrf }, ...(payload !== undefined ? { payload } : {}) });

  it('reminds before and at the deadline of a reportable case, once each, on the ledger, and stops once reported', async () => {
    const quiet = (await send('POST', '/api/v1/complaints', { subjects: [customer], channel: 'phone', description: 'one person, no hour deadline' })).json<{ caseId: string }>().caseId;
    const caseId = (await send('POST', '/api/v1/complaints', { subjects: [customer], channel: 'regulator', description: 'the whole customer table was offered for sale' })).json<{ caseId: string }>().caseId;
    // A table of 1.2 million people: 较大, reported by a CII operator within 1 hour of discovery (09:00).
    expect((await send('PUT', `/api/v1/cases/${caseId}/severity`, { people: 1_200_000 })).statusCode).toBe(200);

    const rt = app.custos;
    clock.set(new Date('2026-03-02T09:44:00.000Z'));
    expect(await rt.caseReminders.tick()).toBe(0);
    let view = (await send('GET', `/api/v1/cases/${caseId}`)).json<{ assessment: { clock: { deadline: string; msLeft: number; overdue: boolean; operator: string } } }>();
    expect(view.assessment.clock).toMatchObject({ operator: 'cii', deadline: '2026-03-02T10:00:00.000Z', msLeft: 16 * MINUTE, overdue: false });

    // 15 minutes before: the runtime's own timer sends the first reminder.
    clock.set(new Date('2026-03-02T09:45:00.000Z'));
    for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    // The timer's pass may still be recording it: a pass of our own runs after it and finds nothing more to send.
    expect(received).toEqual([{ kind: 'custos.case.deadline', stage: 'before', case: caseId, grade: 'relatively_major', operator: 'cii', deadline: '2026-03-02T10:00:00.000Z', msLeft: 15 * MINUTE, reportTo: expect.any(String) as string }]);
    expect(await rt.caseReminders.tick()).toBe(0);

    clock.set(new Date('2026-03-02T10:00:30.000Z'));
    await rt.caseReminders.tick();
    expect(received.map((r) => [r['case'], r['stage']])).toEqual([[caseId, 'before'], [caseId, 'due']]);
    expect(received.some((r) => r['case'] === quiet)).toBe(false);
    view = (await send('GET', `/api/v1/cases/${caseId}`)).json();
    expect(view.assessment.clock).toMatchObject({ overdue: true, msLeft: -30_000 });

    const trail = await rt.ledger.events({ subject: customer, limit: 200 });
    const reminders = trail.filter((e) => (e.event.detail as { kind?: string } | undefined)?.kind === 'case.reminder');
    expect(reminders.map((e) => e.event.detail)).toEqual([
      { kind: 'case.reminder', case: caseId, stage: 'before', deadline: '2026-03-02T10:00:00.000Z', delivered: true, webhook: true },
      { kind: 'case.reminder', case: caseId, stage: 'due', deadline: '2026-03-02T10:00:00.000Z', delivered: true, webhook: true },
    ]);

    // Reported late (the case reaches notified at 10:05): the clock stops and says so; no more reminders.
    for (const to of ['investigating', 'contained']) expect((await send('POST', `/api/v1/cases/${caseId}/transition`, { to })).statusCode).toBe(200);
    clock.set(new Date('2026-03-02T10:05:00.000Z'));
    expect((await send('POST', `/api/v1/cases/${caseId}/transition`, { to: 'notified' })).statusCode).toBe(200);
    view = (await send('GET', `/api/v1/cases/${caseId}`)).json();
    expect(view.assessment.clock).toMatchObject({ overdue: false, msLeft: null, reportedAt: '2026-03-02T10:05:00.000Z', reportedLate: true });
    clock.set(new Date('2026-03-02T12:00:00.000Z'));
    expect(await rt.caseReminders.tick()).toBe(0);
    expect(received).toHaveLength(2);
  });
});
