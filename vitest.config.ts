import { defineConfig } from 'vitest/config';

/**
 * The policy suites run the Cedar engine (cedar-wasm) in the test process itself, in tight loops (grants, every
 * shipped test case). On Node 20 (V8 11.3) such loops have hit a V8 fatal error in the deoptimizer ("unreachable
 * code", Deoptimizer::DoComputeBuiltinContinuation), which kills the test worker. They run without TurboFan
 * (--no-opt), which avoids it. Servers never run the engine in their own process: it runs in a decision process
 * (src/policy/decision-process.ts, itself started with --no-opt), so the server, browser and CLI suites run normally.
 */
const CEDAR_INLINE = ['test/policy/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'custos', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: CEDAR_INLINE } },
      { extends: true, test: { name: 'cedar-inline', include: CEDAR_INLINE, execArgv: ['--no-opt'] } },
    ],
  },
});
