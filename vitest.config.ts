import { defineConfig } from 'vitest/config';

/**
 * The server and policy suites (the fatal error below killed quota-api, policy-api and reveal workers in CI). Suites that save new policy versions: each save compiles the policy and runs every shipped test case through
 * Cedar (cedar-wasm) in a tight loop, and on Node 20 (V8 11.3) that path reliably hits a V8 fatal error in the
 * deoptimizer ("unreachable code", Deoptimizer::DoComputeBuiltinContinuation). They run without TurboFan
 * (--no-opt), which avoids it. The server itself can hit the same bug when a policy version is saved: issue 5 is
 * open on it (move the version check out of process, or find the V8 flag that avoids it).
 */
const CEDAR_HEAVY = ['test/policy/**/*.test.ts', 'test/server/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'custos', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: CEDAR_HEAVY } },
      { extends: true, test: { name: 'cedar-no-opt', include: CEDAR_HEAVY, execArgv: ['--no-opt'] } },
    ],
  },
});
