/**
 * Crash rounds against the real server: `custos serve` on an embedded data directory, staff signed in and
 * viewing their customers concurrently over HTTP, then SIGKILL at a random moment. After each kill the ledger
 * must hold every view that was answered with 200 (the gateway answers only after the view is durable) and
 * must verify. Used by the test suite (20 rounds) and by the soak script (as many as asked).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { loadOrCreateLedgerKey, openLedger } from '../../src/ledger/index.js';

const root = resolve(import.meta.dirname, '../..');
const ORIGIN = 'custos.local/ledger';

interface Server {
  readonly child: ChildProcess;
  readonly url: string;
}

function startServer(dataDir: string): Promise<Server> {
  // node itself runs the server (a launcher's child would outlive a SIGKILL sent to the launcher).
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/main.ts'), 'serve', '--port', '0'], {
    cwd: root,
    env: { ...process.env, CUSTOS_DATA: dataDir, CUSTOS_DEMO_CUSTOMERS: '2000', CUSTOS_DEMO_STAFF: '40', CUSTOS_DEMO_SEED: 'crash', CUSTOS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`the server did not start:\n${out}`));
    }, 60_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok({ child, url: m[1]! });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the server exited with ${String(code)}:\n${out}`));
    });
  });
}

interface Viewer {
  readonly cookie: string;
  readonly subjects: readonly string[];
}

async function signIn(url: string, cred: { user: string; password: string }): Promise<Viewer> {
  const res = await fetch(`${url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: cred.user, password: cred.password }) });
  if (res.status !== 200) throw new Error(`login of ${cred.user} answered ${res.status}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).join('; ');
  const page = await fetch(`${url}/api/v1/me/assigned?limit=50`, { headers: { cookie } });
  if (page.status !== 200) throw new Error(`assigned list answered ${page.status}`);
  const subjects = ((await page.json()) as { items: { id: string }[] }).items.map((i) => i.id);
  return { cookie, subjects };
}

export interface RoundResult {
  /** Views answered 200 in this round. */
  readonly acknowledged: number;
  /** Answered views the ledger does not hold (must be 0). */
  readonly lost: number;
  readonly ledgerSize: number;
  readonly verified: { ok: true; size: number } | { ok: false; index: number; reason: string };
}

/**
 * One round: start, sign in, view concurrently, SIGKILL after `killAfterMs`, then check the ledger.
 * Each round signs in afresh, so its views are told apart from earlier rounds' by session.
 */
export async function crashRound(dataDir: string, killAfterMs: number, concurrency = 16): Promise<RoundResult> {
  const server = await startServer(dataDir);
  const exited = new Promise<void>((ok) => server.child.once('exit', () => ok()));
  const creds = JSON.parse(await readFile(join(dataDir, 'demo-credentials.json'), 'utf8')) as { user: string; password: string; role: string }[];
  const sizeBefore = ledgerSize(dataDir);
  const viewers: Viewer[] = [];
  for (const c of creds.filter((x) => x.role === 'telesales' || x.role === 'service_agent').slice(0, 4)) {
    const v = await signIn(server.url, c);
    if (v.subjects.length > 0) viewers.push(v);
  }
  if (viewers.length === 0) throw new Error('no demo login has assigned customers');

  /** Answered views per subject (each ledger entry of this round's sessions accounts for at most one). */
  const acked = new Map<string, number>();
  let stop = false;
  const loops = Array.from({ length: concurrency }, async (_, k) => {
    for (let n = 0; !stop; n++) {
      const v = viewers[(k + n) % viewers.length]!;
      const subject = v.subjects[(k * 7 + n) % v.subjects.length]!;
      try {
        const res = await fetch(`${server.url}/api/v1/subjects/${subject}`, { headers: { cookie: v.cookie } });
        if (res.status === 200) {
          await res.arrayBuffer();
          acked.set(subject, (acked.get(subject) ?? 0) + 1);
        }
      } catch {
        // the server is gone: this view was never answered
        return;
      }
    }
  });
  await new Promise((r) => setTimeout(r, killAfterMs));
  server.child.kill('SIGKILL');
  stop = true;
  await Promise.all([...loops, exited]);

  // The sessions of this round: each viewer's login in this round is on the ledger (it was answered).
  const db = new SQLite(join(dataDir, 'ledger.db'), { readonly: true });
  let lost = 0;
  let acknowledged = 0;
  try {
    const counts = new Map<string, number>();
    const rows = db
      .prepare(
        `SELECT json_extract(leaf, '$.session') AS session, json_extract(leaf, '$.action') AS action, json_extract(leaf, '$.subjects[0]') AS subject, json_extract(leaf, '$.outcome') AS outcome
         FROM ledger_entries WHERE idx >= ?`,
      )
      .all(sizeBefore) as { session: string | null; action: string; subject: string | null; outcome: string }[];
    const sessions = new Set(rows.filter((r) => r.action === 'login' && r.outcome === 'allowed').map((r) => r.session));
    for (const r of rows) {
      if (r.action !== 'view' || r.outcome === 'denied' || !sessions.has(r.session)) continue;
      counts.set(r.subject ?? '', (counts.get(r.subject ?? '') ?? 0) + 1);
    }
    for (const [key, n] of acked) {
      acknowledged += n;
      lost += Math.max(0, n - (counts.get(key) ?? 0));
    }
  } finally {
    db.close();
  }
  const { signer } = await loadOrCreateLedgerKey(dataDir, ORIGIN);
  const ledger = await openLedger({ storage: { kind: 'sqlite', file: join(dataDir, 'ledger.db') }, signer, origin: ORIGIN });
  try {
    const verified = await ledger.verify(signer.verifierKey());
    return { acknowledged, lost, ledgerSize: await ledger.size(), verified: verified.ok ? { ok: true, size: verified.size } : { ok: false, index: verified.index, reason: verified.reason } };
  } finally {
    await ledger.close();
  }
}

function ledgerSize(dataDir: string): number {
  try {
    const db = new SQLite(join(dataDir, 'ledger.db'), { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT COALESCE(MAX(idx) + 1, 0) AS n FROM ledger_entries').get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}
