import { resolve } from 'node:path';
import { z } from 'zod';
import { parseMaskRules, type MaskRules } from '../masking/index.js';
import { CustosError } from '../core/errors.js';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Configuration from the environment, parsed once at start. A bad value stops start and names the key. */
const envSchema = z.object({
  CUSTOS_PORT: z.coerce.number().int().min(1).max(65535).default(7300),
  CUSTOS_HOST: z.string().min(1).max(255).default('127.0.0.1'),
  CUSTOS_DATA: z.string().min(1).max(4096).default('./data'),
  CUSTOS_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  CUSTOS_DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier').optional(),
  CUSTOS_LEDGER_KEY: z.string().min(1).max(4096).optional(),
  CUSTOS_LEDGER_ORIGIN: z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'printable ASCII, no spaces').optional(),
  CUSTOS_LEDGER_CHECKPOINT_EVERY: z.coerce.number().int().min(1).max(10_000_000).default(1000),
  CUSTOS_LEDGER_CHECKPOINT_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  CUSTOS_LEDGER_WITNESS_FILE: z.string().min(1).max(4096).optional(),
  CUSTOS_LEDGER_WITNESS_URL: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  CUSTOS_COOKIE_SECURE: bool.optional(),
  CUSTOS_MASKS: z.string().max(10_000).optional(),
  CUSTOS_DEMO: bool.default(true),
  CUSTOS_DEMO_CUSTOMERS: z.coerce.number().int().min(1).max(50_000_000).default(100_000),
  CUSTOS_DEMO_STAFF: z.coerce.number().int().min(6).max(100_000).default(300),
  CUSTOS_DEMO_SEED: z.string().min(1).max(100).default('custos-demo'),
  CUSTOS_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export interface CustosConfig {
  readonly port: number;
  readonly host: string;
  /** Absolute path of the data directory. */
  readonly dataDir: string;
  /** Set: server mode on PostgreSQL (store, ledger and demo source); unset: embedded SQLite under dataDir. */
  readonly databaseUrl?: string;
  readonly databaseSchema?: string;
  /** Server mode: the Ed25519 ledger key file (required). Embedded: generated under dataDir if absent. */
  readonly ledgerKeyFile?: string;
  readonly ledgerOrigin: string;
  /** Signed checkpoints: every N events, every T seconds when the ledger grew (0: off), and where to hand them. */
  readonly checkpoints: { readonly every: number; readonly seconds: number; readonly witnessFile?: string; readonly witnessUrl?: string };
  readonly cookieSecure: boolean;
  /** Display-mask rules over the defaults (CUSTOS_MASKS, JSON; docs/masking.md). */
  readonly maskRules: MaskRules;
  readonly demo: { readonly enabled: boolean; readonly customers: number; readonly staff: number; readonly seed: string };
  readonly logLevel: string;
}

/**
 * Parses configuration from environment variables.
 * @example const config = loadConfig(process.env);
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, overrides: Partial<CustosConfig> = {}): CustosConfig {
  const picked = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('CUSTOS_') && v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CustosError('CUSTOS_CONFIG_INVALID', 500, `Configuration key ${String(issue.path[0])} is invalid: ${issue.message}.`);
  }
  const e = parsed.data;
  const config: CustosConfig = {
    port: e.CUSTOS_PORT,
    host: e.CUSTOS_HOST,
    dataDir: resolve(e.CUSTOS_DATA),
    ...(e.CUSTOS_DATABASE_URL !== undefined ? { databaseUrl: e.CUSTOS_DATABASE_URL } : {}),
    ...(e.CUSTOS_DATABASE_SCHEMA !== undefined ? { databaseSchema: e.CUSTOS_DATABASE_SCHEMA } : {}),
    ...(e.CUSTOS_LEDGER_KEY !== undefined ? { ledgerKeyFile: resolve(e.CUSTOS_LEDGER_KEY) } : {}),
    ledgerOrigin: e.CUSTOS_LEDGER_ORIGIN ?? 'custos.local/ledger',
    checkpoints: {
      every: e.CUSTOS_LEDGER_CHECKPOINT_EVERY,
      seconds: e.CUSTOS_LEDGER_CHECKPOINT_SECONDS,
      ...(e.CUSTOS_LEDGER_WITNESS_FILE !== undefined ? { witnessFile: resolve(e.CUSTOS_LEDGER_WITNESS_FILE) } : {}),
      ...(e.CUSTOS_LEDGER_WITNESS_URL !== undefined ? { witnessUrl: e.CUSTOS_LEDGER_WITNESS_URL } : {}),
    },
    cookieSecure: e.CUSTOS_COOKIE_SECURE ?? true,
    maskRules: maskRulesFrom(e.CUSTOS_MASKS),
    demo: { enabled: e.CUSTOS_DEMO, customers: e.CUSTOS_DEMO_CUSTOMERS, staff: e.CUSTOS_DEMO_STAFF, seed: e.CUSTOS_DEMO_SEED },
    logLevel: e.CUSTOS_LOG_LEVEL,
    ...overrides,
  };
  if (config.databaseUrl !== undefined && config.ledgerKeyFile === undefined) {
    throw new CustosError(
      'CUSTOS_CONFIG_INVALID',
      500,
      'Configuration key CUSTOS_LEDGER_KEY is required in server mode (CUSTOS_DATABASE_URL set): server mode never generates its own secrets. Create one with `custos keygen --out FILE`.',
    );
  }
  return config;
}

/** CUSTOS_MASKS: checked now, so a bad rule stops the start with the key named (never the configured value). */
function maskRulesFrom(json: string | undefined): MaskRules {
  if (json === undefined) return {};
  try {
    return parseMaskRules(json);
  } catch (e) {
    throw new CustosError('CUSTOS_CONFIG_INVALID', 500, `Configuration key CUSTOS_MASKS is invalid: ${e instanceof RangeError ? e.message : 'not a JSON object of mask rules'}.`);
  }
}
