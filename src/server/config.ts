import { resolve } from 'node:path';
import { z } from 'zod';
import { parseMaskRules, type MaskRules } from '../masking/index.js';
import { CustosError } from '../core/errors.js';
import { DEFAULT_CONFIG, RESPONSE_KINDS, SEVERITIES, type DetectorConfig } from '../detect/index.js';
import { DEFAULT_WATCH, type WatchSettings } from './watch/live-watch.js';
import type { ApprovalRules } from '../access/index.js';
import { DEFAULT_QUOTAS, parseQuotaRules, type QuotaRules } from '../quota/index.js';
import { OPERATOR_KINDS, type CaseSettings } from '../cases/index.js';

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
  CUSTOS_LEDGER_FSYNC: z.enum(['checkpoint', 'batch']).default('batch'),
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
  CUSTOS_DETECT: bool.default(true),
  CUSTOS_DETECT_REPLAY_DAYS: z.coerce.number().int().min(0).max(90).default(14),
  CUSTOS_DETECT_RESPONSES: z.string().max(2000).optional(),
  CUSTOS_THROTTLE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(10),
  CUSTOS_THROTTLE_MINUTES: z.coerce.number().int().min(1).max(10_080).default(60),
  CUSTOS_ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).max(2048).optional(),
  CUSTOS_REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').max(2048).optional(),
  CUSTOS_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9:._-]{1,64}$/, '1-64 of A-Z a-z 0-9 : . _ -').default('custos:'),
  CUSTOS_QUOTAS: z.string().max(20_000).optional(),
  CUSTOS_EXPORT_MAX_ROWS: z.coerce.number().int().min(1).max(10_000).default(10_000),
  CUSTOS_APPROVER_ROLES: z.string().regex(/^[a-z][a-z0-9_]{0,63}(,[a-z][a-z0-9_]{0,63})*$/, 'a comma-separated list of roles').default('security_analyst'),
  CUSTOS_GRANT_MAX_HOURS: z.coerce.number().int().min(1).max(720).default(168),
  CUSTOS_BREAK_GLASS_MINUTES: z.coerce.number().int().min(5).max(240).default(30),
  CUSTOS_OPERATOR_KIND: z.enum(OPERATOR_KINDS).default('other'),
  CUSTOS_CASE_REMINDER_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  CUSTOS_CASE_REMINDER_LEAD_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),
  CUSTOS_COMPANY_NAME: z.string().trim().min(1).max(200).optional(),
  CUSTOS_COMPANY_CONTACT: z.string().trim().min(1).max(500).optional(),
  CUSTOS_POLICY_ISOLATION: z.enum(['process', 'inline']).default('process'),
  CUSTOS_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/** Keys that once configured something the access policy now decides, and where that lives now. */
const RETIRED_KEYS: readonly (readonly [string, string])[] = [
  ['CUSTOS_BREAK_GLASS_ROLES', 'who may break the glass is decided by the access policy (rule break-glass-roles in policies/default.cedar; docs/policy.md)'],
];

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
  /** Embedded ledger: fsync at every signed checkpoint (acknowledged = survives a process crash) or at every batch (survives power loss). */
  readonly ledgerFsync: 'checkpoint' | 'batch';
  /** Signed checkpoints: every N events, every T seconds when the ledger grew (0: off), and where to hand them. */
  readonly checkpoints: { readonly every: number; readonly seconds: number; readonly witnessFile?: string; readonly witnessUrl?: string };
  readonly cookieSecure: boolean;
  /** Display-mask rules over the defaults (CUSTOS_MASKS, JSON; docs/masking.md). */
  readonly maskRules: MaskRules;
  readonly demo: { readonly enabled: boolean; readonly customers: number; readonly staff: number; readonly seed: string };
  readonly logLevel: string;
  /** Where the policy engine runs: a decision process of its own (default), or inline in the server's process. */
  readonly policyIsolation: 'process' | 'inline';
  /** Shared counters (quotas) across gateway replicas; unset: counters in Custos's own store (one process). */
  readonly redisUrl?: string;
  /** Prefix of every Redis key Custos writes (several deployments may share one Redis). */
  readonly redisPrefix: string;
  /** Quota rules per role (defaults + CUSTOS_QUOTAS; docs/quotas.md). */
  readonly quotas: QuotaRules;
  /** Roles CUSTOS_QUOTAS names: their rules override the access policy's @quota. */
  readonly quotaOverrides?: readonly string[];
  /** Hard ceiling of rows in one export. */
  readonly exportMaxRows: number;
  /** Who approves requests besides the requester's managers, and how long grants and break-glass last. */
  readonly approval: ApprovalRules;
  /** Live detection (docs/alerts.md). */
  readonly watch: WatchSettings;
  /** Cases: the kind of operator (reporting deadlines), deadline reminders, the company named in notices (docs/cases.md). */
  readonly cases: CaseSettings;
}

/**
 * Parses configuration from environment variables.
 * @example const config = loadConfig(process.env);
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>, overrides: Partial<CustosConfig> = {}): CustosConfig {
  const picked = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('CUSTOS_') && v !== undefined && v !== ''));
  // A key that no longer decides anything must not look as if it still did (who may break the glass is the policy's).
  for (const [key, instead] of RETIRED_KEYS) {
    if (key in picked) throw new CustosError('CUSTOS_CONFIG_INVALID', 500, `Configuration key ${key} is no longer used: ${instead}. Remove it.`);
  }
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
    ledgerFsync: e.CUSTOS_LEDGER_FSYNC,
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
    policyIsolation: e.CUSTOS_POLICY_ISOLATION,
    ...(e.CUSTOS_REDIS_URL !== undefined ? { redisUrl: e.CUSTOS_REDIS_URL } : {}),
    redisPrefix: e.CUSTOS_REDIS_PREFIX,
    quotas: quotasFrom(e.CUSTOS_QUOTAS),
    quotaOverrides: e.CUSTOS_QUOTAS !== undefined ? Object.keys(JSON.parse(e.CUSTOS_QUOTAS) as object) : [],
    exportMaxRows: e.CUSTOS_EXPORT_MAX_ROWS,
    approval: { approverRoles: e.CUSTOS_APPROVER_ROLES.split(','), maxGrantHours: e.CUSTOS_GRANT_MAX_HOURS, breakGlassMinutes: e.CUSTOS_BREAK_GLASS_MINUTES },
    watch: {
      ...DEFAULT_WATCH,
      enabled: e.CUSTOS_DETECT,
      replayDays: e.CUSTOS_DETECT_REPLAY_DAYS,
      throttlePerMinute: e.CUSTOS_THROTTLE_PER_MINUTE,
      throttleMinutes: e.CUSTOS_THROTTLE_MINUTES,
      ...(e.CUSTOS_ALERT_WEBHOOK_URL !== undefined ? { webhookUrl: e.CUSTOS_ALERT_WEBHOOK_URL } : {}),
      ...(e.CUSTOS_DETECT_RESPONSES !== undefined ? { detector: { responses: responsesFrom(e.CUSTOS_DETECT_RESPONSES) } } : {}),
    },
    cases: {
      operator: e.CUSTOS_OPERATOR_KIND,
      reminderSeconds: e.CUSTOS_CASE_REMINDER_SECONDS,
      reminderLeadMinutes: e.CUSTOS_CASE_REMINDER_LEAD_MINUTES,
      ...(e.CUSTOS_COMPANY_NAME !== undefined ? { companyName: e.CUSTOS_COMPANY_NAME } : {}),
      ...(e.CUSTOS_COMPANY_CONTACT !== undefined ? { companyContact: e.CUSTOS_COMPANY_CONTACT } : {}),
      ...(e.CUSTOS_ALERT_WEBHOOK_URL !== undefined ? { webhookUrl: e.CUSTOS_ALERT_WEBHOOK_URL } : {}),
    },
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

/**
 * CUSTOS_DETECT_RESPONSES: the live responses per severity over the defaults, as JSON, e.g.
 * `{"high":["throttle","notify"],"critical":["suspend","notify"]}`.
 */
function responsesFrom(json: string): DetectorConfig['responses'] {
  const bad = (why: string): CustosError => new CustosError('CUSTOS_CONFIG_INVALID', 500, `Configuration key CUSTOS_DETECT_RESPONSES is invalid: ${why}.`);
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw bad('not JSON');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw bad('not an object of severity → list of responses');
  const out: Record<string, readonly string[]> = { ...DEFAULT_CONFIG.responses };
  for (const [severity, kinds] of Object.entries(v)) {
    if (!(SEVERITIES as readonly string[]).includes(severity)) throw bad(`unknown severity ${severity.slice(0, 20)} (one of ${SEVERITIES.join(', ')})`);
    if (!Array.isArray(kinds) || !kinds.every((k) => typeof k === 'string' && (RESPONSE_KINDS as readonly string[]).includes(k))) {
      throw bad(`the responses for ${severity} must be a list of ${RESPONSE_KINDS.join(', ')}`);
    }
    out[severity] = kinds as string[];
  }
  return out as DetectorConfig['responses'];
}

/** CUSTOS_QUOTAS: per-role rules over the defaults, checked at start (docs/quotas.md). */
function quotasFrom(json: string | undefined): QuotaRules {
  if (json === undefined) return DEFAULT_QUOTAS;
  try {
    return parseQuotaRules(json);
  } catch (e) {
    throw new CustosError('CUSTOS_CONFIG_INVALID', 500, `Configuration key CUSTOS_QUOTAS is invalid: ${e instanceof RangeError ? e.message : 'not JSON'}.`);
  }
}
