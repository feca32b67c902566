/**
 * The one place that loads Cedar (`@cedar-policy/cedar-wasm`, the Node.js build). Loaded lazily on first use, so
 * importing the policy capability has no side effects.
 */
import { createRequire } from 'node:module';
import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';

export type CedarModule = typeof CedarWasm;

let loaded: CedarModule | undefined;

/** The Cedar module (synchronous: the Node.js build instantiates its WebAssembly on require). */
export function cedar(): CedarModule {
  if (loaded === undefined) loaded = createRequire(import.meta.url)('@cedar-policy/cedar-wasm/nodejs') as CedarModule;
  return loaded;
}
