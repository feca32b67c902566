import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const ROOT = resolve(import.meta.dirname, '../..');
const tsx = join(ROOT, 'node_modules/.bin/tsx');

/** Runs `custos …` from the sources (tsx); exit code and stdout + stderr, never throws on a non-zero exit. */
export async function custos(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run(tsx, [join(ROOT, 'src/cli/main.ts'), ...args], { cwd: ROOT, env: { ...process.env, CUSTOS_LOG_LEVEL: 'silent' } });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}
