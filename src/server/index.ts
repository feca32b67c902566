/** server: configuration, the runtime (stores, ledger, services) and the Fastify application. */
export { buildApp, VERSION, type AppOptions } from './app.js';
export { openRuntime, type Runtime, type RuntimeOptions } from './runtime.js';
export { loadConfig, type CustosConfig } from './config.js';
export { traceLeakedFile, type TracedFile } from './trace-file.js';
export { leakEvidence } from './trace-file.js';
export { reportCanaryHit, canaryExposure, hitKindOf, runtimeAccessSource, type CanaryExposure } from './trace-canary.js';
