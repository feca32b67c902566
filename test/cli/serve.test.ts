import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);

/**
 * `custos serve` as `npm start` runs it: a fresh data directory gets a demo company and a credentials file,
 * the server answers, a demo login works, and a second start reuses the data.
 */
const root = resolve(import.meta.dirname, '../..');
const children: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function start(dataDir: string): Promise<Started> {
  // What `npm start` runs after its build: the compiled server (so a file the build forgets fails here).
  const child = spawn(process.execPath, [join(root, 'dist/cli/main.js'), 'serve', '--port', '0'], {
    cwd: root,
    env: { ...process.env, CUSTOS_DATA: dataDir, CUSTOS_DEMO_CUSTOMERS: '3000', CUSTOS_DEMO_STAFF: '60', CUSTOS_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`serve did not start:\n${out}`)), 50_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const m = /listening on (http:\/\/[\d.]+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        ok({ child, url: m[1]!, output: () => out });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`serve exited with ${String(code)}:\n${out}`));
    });
  });
}

function stop(s: Started): Promise<void> {
  return new Promise((ok) => {
    s.child.removeAllListeners('exit');
    s.child.once('exit', () => ok());
    s.child.kill('SIGTERM');
  });
}

beforeAll(async () => {
  // `npm start` = `npm run build` then `node dist/cli/main.js serve`.
  await run('npm', ['run', 'build'], { cwd: root });
}, 120_000);

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('custos serve (npm start)', () => {
  it('generates a demo company on first start, serves it, and reuses it on the second start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'custos-serve-'));
    try {
      const first = await start(dir);
      expect(first.output()).toContain(`embedded mode, data in ${dir}`);
      expect(first.output()).toContain(`demo credentials written to ${join(dir, 'demo-credentials.json')}`);
      const health = await fetch(`${first.url}/healthz`);
      expect(health.status).toBe(200);

      const credFile = join(dir, 'demo-credentials.json');
      expect((await stat(credFile)).mode & 0o077).toBe(0);
      const raw = await readFile(credFile, 'utf8');
      const creds = JSON.parse(raw) as { user: string; password: string; role: string; department: string }[];
      expect(creds.length).toBeGreaterThan(3);
      for (const c of creds) expect(Object.keys(c)).toEqual(expect.arrayContaining(['user', 'password', 'role', 'department']));
      // Generated, not fixed: long and distinct.
      expect(new Set(creds.map((c) => c.password)).size).toBe(creds.length);
      expect(Math.min(...creds.map((c) => c.password.length))).toBeGreaterThanOrEqual(16);

      const login = await fetch(`${first.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: creds[0]!.user, password: creds[0]!.password }),
      });
      expect(login.status).toBe(200);
      await stop(first);

      const second = await start(dir);
      expect(second.output()).toContain('reusing existing data');
      expect(second.output()).not.toContain('demo credentials written');
      expect(await readFile(credFile, 'utf8')).toBe(raw);
      const again = await fetch(`${second.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ user: creds[0]!.user, password: creds[0]!.password }),
      });
      expect(again.status).toBe(200);
      await stop(second);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
