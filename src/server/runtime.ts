import { appendFile, chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { systemClock, ulidSource, type Clock, type IdSource } from '../core/clock.js';
import { createGateway, policyContext, type FieldPlan, type Gateway } from '../gateway/index.js';
import { createIdentity, type Identity } from '../identity/index.js';
import { loadLedgerKey, loadOrCreateLedgerKey, openLedger, type Checkpoint, type Ledger, type LedgerStorage } from '../ledger/index.js';
import { seedDemoCompany, type SeedProgress } from '../sim/index.js';
import { migrateSource, migrateStore, openDatabase, type DatabaseLocation, type SourceSchema, type StoreSchema } from '../store/index.js';
import { loadFieldPlan } from './field-catalog.js';
import { createMasker, type Masker } from '../masking/index.js';
import type { SourceLocation } from '../catalog/index.js';
import type { CustosConfig } from './config.js';
import { openLiveWatch, type LiveWatch } from './watch/live-watch.js';
import { createCaseReminders, createCaseService, fieldClasses, sourceIdNumbers, type CaseReminders, type CaseService } from '../cases/index.js';
import { createFingerprinter, createMarks, FINGERPRINT_KINDS, type Fingerprinter, type FingerprintKind, type Marks } from '../marks/index.js';
import { createAccessService, type AccessService, type ExportMarker } from '../access/index.js';
import { classifyColumn, openPolicyService, policyChangeEvent, sqlPolicyRepo, type PersonAttributes, type PolicyService } from '../policy/index.js';
import type { Principal } from '../identity/index.js';
import { personAttributes } from './policy-person.js';
import { categoryOfField, createQuota, redisQuotaStore, sqlQuotaStore, type Quota } from '../quota/index.js';
import { canaryExportMarker, canaryRecords, chainMarkers, createCanaryService, seedDemoCanaries, type CanaryService } from '../trace/index.js';
import { createOrgMirror } from './watch/org-mirror.js';

/** Everything a running Custos holds open. */
export interface Runtime {
  readonly config: CustosConfig;
  readonly store: Kysely<StoreSchema>;
  readonly source: Kysely<SourceSchema>;
  /** The ledger; every event that becomes durable through it is also handed to live detection. */
  readonly ledger: Ledger;
  /** Live detection: alerts, holds (throttle, suspend), responses. */
  readonly watch: LiveWatch;
  readonly identity: Identity;
  readonly gateway: Gateway;
  /** View codes and invisible text marks, keyed by a secret derived from the ledger key. */
  readonly marks: Marks;
  /** Investigations: complaints and alerts to findings and evidence. */
  readonly cases: CaseService;
  /** Reporting-deadline reminders of open cases (the timer runs from openRuntime to close). */
  readonly caseReminders: CaseReminders;
  /** Access requests, approvals, grants and break-glass. */
  readonly access: AccessService;
  /** The access policy in force (Cedar), its versions and the shipped test cases every version passes. */
  readonly policies: PolicyService;
  /** A person's attributes as the policy sees them (directory and risk). */
  readonly person: (who: Pick<Principal, 'staffId'>) => Promise<PersonAttributes>;
  /** Export fingerprints (keyed by a secret derived from the ledger key). */
  readonly fingerprinter: Fingerprinter;
  /** What makes each export unique to its recipient (fingerprints; the seam to leak tracing). */
  readonly exportMarker: ExportMarker;
  /** Per-person quotas (the gateway counts every record shown; the console shows the meter). */
  readonly quota: Quota;
  /** Canary people (kept in the store, served by the gateway, in every export; live detection knows them at once). */
  readonly canaries: CanaryService;
  readonly plan: FieldPlan;
  /** The display masks in force (defaults + CUSTOS_MASKS). */
  readonly masker: Masker;
  readonly clock: Clock;
  readonly ids: IdSource;
  /** Set when this start generated the demo company. */
  readonly demoCredentialsFile?: string;
  /** Set when this start generated the ledger key. */
  readonly createdLedgerKey?: string;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  readonly clock?: Clock;
  readonly ids?: IdSource;
  /** Progress of first-start work (demo generation, catalog scan), for the console of `custos serve`. */
  readonly onProgress?: (message: string) => void;
}

function locations(config: CustosConfig): { store: DatabaseLocation; source: DatabaseLocation; ledger: LedgerStorage } {
  if (config.databaseUrl !== undefined) {
    const pg = { kind: 'postgres' as const, url: config.databaseUrl, ...(config.databaseSchema !== undefined ? { schema: config.databaseSchema } : {}) };
    return { store: pg, source: pg, ledger: pg };
  }
  return {
    store: { kind: 'sqlite', file: join(config.dataDir, 'custos.db') },
    source: { kind: 'sqlite', file: join(config.dataDir, 'customers.db') },
    ledger: { kind: 'sqlite', file: join(config.dataDir, 'ledger.db'), fsync: config.ledgerFsync },
  };
}

/**
 * Hands each kept checkpoint to the outside witnesses configured: appended to a file (notes separated by a
 * blank line) and POSTed as text/plain to a URL (5 s timeout). A witness that fails never blocks the ledger.
 */
function witness(c: CustosConfig['checkpoints']): ((cp: Checkpoint) => Promise<void>) | undefined {
  if (c.witnessFile === undefined && c.witnessUrl === undefined) return undefined;
  return async (cp) => {
    const jobs: Promise<unknown>[] = [];
    if (c.witnessFile !== undefined) jobs.push(appendFile(c.witnessFile, `${cp.note}\n`, { mode: 0o644 }));
    if (c.witnessUrl !== undefined) {
      jobs.push(fetch(c.witnessUrl, { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' }, body: cp.note, signal: AbortSignal.timeout(5000) }));
    }
    await Promise.allSettled(jobs);
  };
}

function describeProgress(p: SeedProgress): string {
  return `demo: ${p.phase} ${p.done.toLocaleString('en')}/${p.total.toLocaleString('en')}`;
}

/**
 * Opens the store, the data source and the ledger; on first start generates the demo company (embedded
 * default). The fields shown come from the catalog (scanned from the source on first start; see field-catalog.ts).
 */
export async function openRuntime(config: CustosConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? ulidSource(clock);
  const say = options.onProgress ?? (() => {});
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  const where = locations(config);

  const store = await openDatabase<StoreSchema>(where.store);
  await migrateStore(store);
  const source = await openDatabase<SourceSchema>(where.source);
  await migrateSource(source);

  let createdLedgerKey: string | undefined;
  let signer;
  if (config.ledgerKeyFile !== undefined) {
    signer = await loadLedgerKey(config.ledgerKeyFile, config.ledgerOrigin);
  } else {
    const key = await loadOrCreateLedgerKey(config.dataDir, config.ledgerOrigin);
    signer = key.signer;
    if (key.created) createdLedgerKey = key.publicKeyFile;
  }
  const rawLedger = await openLedger({
    storage: where.ledger,
    signer,
    origin: config.ledgerOrigin,
    checkpointEvery: config.checkpoints.every,
    onCheckpoint: witness(config.checkpoints),
  });
  let lastCheckpointSize = -1;
  const timer =
    config.checkpoints.seconds > 0
      ? setInterval(() => {
          void rawLedger
            .size()
            .then(async (n) => {
              if (n !== lastCheckpointSize) lastCheckpointSize = (await rawLedger.checkpoint()).size;
            })
            .catch(() => undefined);
        }, config.checkpoints.seconds * 1000)
      : undefined;
  timer?.unref();

  let demoCredentialsFile: string | undefined;
  let demoLogins: ReadonlySet<string> | undefined;
  const seeded = await store.selectFrom('meta').select('value').where('key', '=', 'demo_seeded').executeTakeFirst();
  if (seeded === undefined && config.demo.enabled) {
    let last = 0;
    const credentials = await seedDemoCompany(
      store,
      source,
      { staff: config.demo.staff, customers: config.demo.customers, seed: config.demo.seed, now: clock.now() },
      (p) => {
        const t = Date.now();
        if (t - last > 1000 || p.done === p.total) {
          last = t;
          say(describeProgress(p));
        }
      },
    );
    demoCredentialsFile = join(config.dataDir, 'demo-credentials.json');
    demoLogins = new Set(credentials.map((c) => c.user));
    await writeFile(demoCredentialsFile, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
    await chmod(demoCredentialsFile, 0o600);
    await store.insertInto('meta').values({ key: 'demo_seeded', value: clock.now().toISOString() }).execute();
  }

  const catalogFile = join(config.dataDir, 'catalog.json');
  const sourceLocation: SourceLocation = where.source.kind === 'sqlite' ? where.source : { kind: 'postgres', url: where.source.url, ...(where.source.schema !== undefined ? { schema: where.source.schema } : {}) };
  const { plan, created: catalogCreated } = await loadFieldPlan(catalogFile, sourceLocation, say);
  if (catalogCreated) say(`catalog: the data source was scanned and classified; proposals written to ${catalogFile} for review`);
  const storedCanaries = createCanaryService({ store, source, table: plan.table, key: plan.key, clock });
  const mirror = createOrgMirror(store, { maxAgeMs: config.watch.orgMaxAgeSeconds * 1000, canaries: () => storedCanaries.ids() });
  // Detection reads the organisation again at once after canaries are made, so the first touch already alerts.
  const canaries: CanaryService = {
    ...storedCanaries,
    async create(audience, count, by) {
      const made = await storedCanaries.create(audience, count, by);
      await mirror.refresh(true).catch(() => undefined);
      return made;
    },
    async forExport(exportId, count) {
      const made = await storedCanaries.forExport(exportId, count);
      if (made.some((id) => !mirror.lookup.isCanary(id))) await mirror.refresh(true).catch(() => undefined);
      return made;
    },
  };
  if (demoLogins !== undefined) await seedDemoCanaries(canaries, store, rawLedger, clock, ids, demoLogins);
  const watch = await openLiveWatch({ store, ledger: rawLedger, clock, ids, settings: config.watch, warn: say, mirror });
  if (watch.stats().replayed > 0) say(`detection: ${watch.stats().replayed.toLocaleString('en')} ledger events replayed to rebuild baselines`);
  const ledger: Ledger = {
    ...rawLedger,
    async append(event) {
      const r = await rawLedger.append(event);
      watch.observe(event);
      return r;
    },
  };
  // Ed25519 signatures are deterministic: signing a fixed label gives a secret only the ledger key's holder has.
  const marks = createMarks(signer.sign(Buffer.from('custos/marks/v1', 'utf8')));
  const identity = createIdentity({ db: store, clock, ids });
  const access = createAccessService(store, clock, ids, config.approval);
  const cases = createCaseService(store, rawLedger, identity, clock, ids, { classOf: fieldClasses(plan.fields), idNumbers: sourceIdNumbers(source, plan), operator: config.cases.operator });
  const caseReminders = createCaseReminders({ store, cases, ledger: rawLedger, clock, ids, settings: config.cases });
  caseReminders.start();
  const fingerprinter = createFingerprinter(signer.sign(Buffer.from('custos/fingerprint/v1', 'utf8')));
  const exportMarker = chainMarkers(canaryExportMarker(canaries, access, plan), fingerprintMarker(fingerprinter, plan));
  const masker = createMasker(config.maskRules);
  const quotaStore = config.redisUrl !== undefined ? redisQuotaStore(config.redisUrl, `${config.redisPrefix}quota:`) : sqlQuotaStore(store, () => clock.now());
  const categories = new Map(plan.fields.map((f) => [f.column, categoryOfField(f.column, f.mask)]));
  const policies = await openPolicyService({
    repo: sqlPolicyRepo(store),
    clock,
    fields: plan.fields.map((f) => classifyColumn(plan.table, f.column)),
    dataset: plan.table,
    isolation: config.policyIsolation,
    onEngineCrash: ({ code, signal }) => say(`the policy decision process ended unexpectedly (code ${String(code)}, signal ${String(signal)}); requests in flight were retried once on a new process or refused`),
    // The shipped default becomes version 1 on first start, recorded on the ledger like any change.
    onInstall: async (v) => void (await ledger.append(policyChangeEvent(v, undefined, { id: ids.next('e'), actor: 'cli' }))),
  });
  // Another replica's save reaches this one within 10 s (this replica's own saves apply at once).
  const policyTimer = setInterval(() => void policies.refresh().catch(() => undefined), 10_000);
  policyTimer.unref();
  const person = personAttributes(store, clock);
  const quotaOverrides = new Set(config.quotaOverrides ?? []);
  const quota = createQuota({
    store: quotaStore,
    rules: config.quotas,
    clock,
    categoryOf: (column) => categories.get(column) ?? 'other',
    // The policy's @quota decides, unless CUSTOS_QUOTAS names the role (docs/quotas.md).
    ruleFor: async (who) => {
      if (quotaOverrides.has(who.role)) return undefined;
      const staff = await person(who);
      const decider = policies.decider();
      return (await decider.grantFor(staff, policyContext(clock.now(), decider.compiled.purposes[0] ?? 'none', null, false))).quotas ?? undefined;
    },
  });
  const gateway = createGateway({ source, identity, ledger, plan, clock, ids, masker, quota, policy: { decider: () => policies.decider(), person }, access, extraRecords: canaryRecords(canaries, plan) });

  return {
    config,
    store,
    source,
    ledger,
    watch,
    identity,
    gateway,
    quota,
    canaries,
    marks,
    access,
    cases,
    policies,
    person,
    caseReminders,
    fingerprinter,
    exportMarker,
    plan,
    masker,
    clock,
    ids,
    ...(demoCredentialsFile !== undefined ? { demoCredentialsFile } : {}),
    ...(createdLedgerKey !== undefined ? { createdLedgerKey } : {}),
    async close() {
      if (timer !== undefined) clearInterval(timer);
      clearInterval(policyTimer);
      caseReminders.stop();
      await watch.close();
      await quota.close();
      await policies.close();
      await rawLedger.close();
      await store.destroy();
      await source.destroy();
    },
  };
}

/** Export fingerprints over the columns whose mask kind carries them (mobile, ID number, card, e-mail, address). */
function fingerprintMarker(fp: Fingerprinter, plan: FieldPlan): ExportMarker {
  const kinds = new Map<string, FingerprintKind>();
  for (const f of plan.fields) if (f.mask !== null && f.mask in FINGERPRINT_KINDS) kinds.set(f.column, f.mask as FingerprintKind);
  return {
    mark(exportId, _recipient, table) {
      return {
        columns: table.columns,
        rows: table.rows.map((row) => {
          const subject = String(row[plan.key]);
          const out: Record<string, string | number> = { ...row };
          for (const [column, kind] of kinds) {
            const v = row[column];
            if (typeof v === 'string' && v !== '') out[column] = fp.write(exportId, subject, kind, v);
          }
          return out;
        }),
      };
    },
  };
}
