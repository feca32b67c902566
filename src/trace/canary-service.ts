import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import { CustosError } from '../core/errors.js';
import { canonicalOf } from '../marks/index.js';
import { createRandom } from '../sim/index.js';
import type { CustomerTable, SourceSchema, StoreSchema } from '../store/index.js';
import { canaryValue, generateCanaryPerson, type CanaryPerson } from './canary-person.js';

/** The `canaries` table of Custos's store (migration 0014_canaries): a customer row plus its audience. */
export interface CanaryTable extends CustomerTable {
  /** `viewer:<staff id>`, `team:<department>` or `export:<export id>`. */
  audience: string;
  created_at: string;
  created_by: string;
}

type CanaryDb = Kysely<StoreSchema & { canaries: CanaryTable }>;

export type Audience = { readonly kind: 'viewer'; readonly staff: string } | { readonly kind: 'team'; readonly department: string } | { readonly kind: 'export'; readonly exportId: string };

/** A canary as security sees it: its id and audience (never its values in listings). */
export interface Canary {
  readonly id: string;
  readonly audience: string;
  readonly createdAt: string;
  readonly createdBy: string;
}

/** What a value found outside can be. */
export const HIT_KINDS = ['phone', 'email', 'id_number', 'bank_card', 'name', 'address'] as const;
export type HitKind = (typeof HIT_KINDS)[number];

const AUDIENCE = /^(viewer|team|export):([A-Za-z0-9._:@-]{1,128})$/;
export const MAX_CANARIES_PER_CALL = 50;

/** Parses `viewer:u0042`, `team:sales` or `export:<id>`. */
export function parseAudience(text: string): Audience {
  const m = AUDIENCE.exec(text.trim());
  if (m === null) throw new CustosError('CUSTOS_CANARY_BAD_AUDIENCE', 400, 'An audience is viewer:<staff id>, team:<department> or export:<export id>.');
  const [, kind, ref] = m as unknown as [string, 'viewer' | 'team' | 'export', string];
  return kind === 'viewer' ? { kind, staff: ref } : kind === 'team' ? { kind, department: ref } : { kind, exportId: ref };
}

export function audienceText(a: Audience): string {
  return a.kind === 'viewer' ? `viewer:${a.staff}` : a.kind === 'team' ? `team:${a.department}` : `export:${a.exportId}`;
}

export interface CanaryServiceOptions {
  readonly store: Kysely<StoreSchema>;
  /** The customer data (to give canaries ids that look like its ids and never collide with them). */
  readonly source: Kysely<SourceSchema>;
  readonly table: string;
  readonly key: string;
  readonly clock: Clock;
}

export interface CanaryService {
  /** Creates `count` canaries for an audience; viewers and teams get them as assigned customers. */
  create(audience: Audience, count: number, createdBy: string): Promise<Canary[]>;
  list(limit?: number): Promise<Canary[]>;
  get(id: string): Promise<Canary | undefined>;
  /** Every canary id (for live detection and attribution). */
  ids(): Promise<string[]>;
  /** The canaries' values as customer rows, for these ids (others ignored). */
  rows(ids: readonly string[]): Promise<Map<string, CanaryPerson & { id: string }>>;
  /** Canary ids whose value of a search key equals `value` (the gateway's search). */
  search(key: 'mobile' | 'name' | 'id_number', value: string): Promise<string[]>;
  /** The canary a value found outside belongs to, if any. */
  findByValue(kind: HitKind, value: string): Promise<Canary | undefined>;
  /** The canaries made for one export (created on first call: `count` of them), in a stable order. */
  forExport(exportId: string, count: number): Promise<string[]>;
}

const COLUMNS = ['id', 'audience', 'name', 'mobile', 'id_number', 'bank_card', 'address', 'email', 'balance', 'employer', 'created_at', 'created_by'] as const;

function toCanary(r: Pick<CanaryTable, 'id' | 'audience' | 'created_at' | 'created_by'>): Canary {
  return { id: r.id, audience: r.audience, createdAt: r.created_at, createdBy: r.created_by };
}

/**
 * Canary (honeytoken) people kept in Custos's own store, so that the company's database is never written.
 * The gateway serves them to their audience like any customer; any access raises a critical alert, and a
 * value of theirs found outside names the audience it was shown to.
 */
export function createCanaryService(options: CanaryServiceOptions): CanaryService {
  const db: CanaryDb = options.store.withTables<{ canaries: CanaryTable }>();
  const { source, clock } = options;
  let idShape: { prefix: string; width: number; above: number } | undefined;

  /** Ids like the source's (prefix and width), above its highest number so that none ever collides. */
  async function newId(rng: ReturnType<typeof createRandom>): Promise<string> {
    if (idShape === undefined) {
      const top = await source
        .selectFrom(options.table as 'customers')
        .select(options.key as 'id')
        .orderBy(options.key as 'id', 'desc')
        .limit(1)
        .executeTakeFirst();
      const m = /^([A-Za-z_-]*)(\d+)$/.exec(String(top?.id ?? 'c000000'));
      const prefix = m?.[1] ?? 'c';
      const digits = m?.[2] ?? '000000';
      const above = Number(digits);
      const width = above * 10 < 10 ** digits.length ? digits.length : digits.length + 1;
      idShape = { prefix, width, above };
    }
    for (let attempt = 0; attempt < 50; attempt++) {
      const { prefix, width, above } = idShape;
      const n = rng.int(above + 1, Math.min(Number.MAX_SAFE_INTEGER, 10 ** width - 1));
      const id = prefix + String(n).padStart(width, '0');
      const [inSource, inStore] = await Promise.all([
        source.selectFrom(options.table as 'customers').select(options.key as 'id').where(options.key as 'id', '=', id).executeTakeFirst(),
        db.selectFrom('canaries').select('id').where('id', '=', id).executeTakeFirst(),
      ]);
      if (inSource === undefined && inStore === undefined) return id;
    }
    throw new CustosError('CUSTOS_CANARY_NO_ID', 500, 'No free customer id was found for a canary; the id space is nearly full.');
  }

  async function audienceStaff(a: Audience): Promise<string[]> {
    if (a.kind === 'viewer') {
      const s = await db.selectFrom('staff').select(['id', 'status']).where('id', '=', a.staff).executeTakeFirst();
      if (s === undefined || s.status !== 'active') throw new CustosError('CUSTOS_CANARY_BAD_AUDIENCE', 400, `No active member of staff has the id ${a.staff}.`);
      return [s.id];
    }
    if (a.kind === 'team') {
      const rows = await db.selectFrom('staff').select('id').where('department', '=', a.department).where('status', '=', 'active').execute();
      if (rows.length === 0) throw new CustosError('CUSTOS_CANARY_BAD_AUDIENCE', 400, `No active member of staff is in the department ${a.department}.`);
      return rows.map((r) => r.id);
    }
    const x = await db.selectFrom('access_requests').select(['kind', 'status']).where('id', '=', a.exportId).executeTakeFirst();
    if (x === undefined || x.kind !== 'export') throw new CustosError('CUSTOS_CANARY_BAD_AUDIENCE', 400, `No export has the id ${a.exportId}.`);
    return [];
  }

  async function insert(audience: Audience, count: number, createdBy: string): Promise<Canary[]> {
    if (!Number.isInteger(count) || count < 1 || count > MAX_CANARIES_PER_CALL) throw new CustosError('CUSTOS_CANARY_BAD_COUNT', 400, `Create 1 to ${MAX_CANARIES_PER_CALL} canaries at a time.`);
    const staff = await audienceStaff(audience);
    const rng = createRandom(randomBytes(16).toString('hex'));
    const now = clock.now();
    const rows: CanaryTable[] = [];
    for (let i = 0; i < count; i++) {
      const id = await newId(rng);
      if (rows.some((r) => r.id === id)) {
        i--;
        continue;
      }
      rows.push({ ...generateCanaryPerson(randomBytes(16).toString('hex'), now), id, audience: audienceText(audience), created_at: now.toISOString(), created_by: createdBy });
    }
    await db.transaction().execute(async (tx) => {
      await tx.insertInto('canaries').values(rows).execute();
      const links = rows.flatMap((r) => staff.map((s) => ({ staff_id: s, customer_id: r.id })));
      for (let i = 0; i < links.length; i += 500) await tx.insertInto('assignments').values(links.slice(i, i + 500)).execute();
    });
    return rows.map(toCanary);
  }

  return {
    create: insert,
    async list(limit = 10_000) {
      const rows = await db.selectFrom('canaries').select(['id', 'audience', 'created_at', 'created_by']).orderBy('created_at').orderBy('id').limit(limit).execute();
      return rows.map(toCanary);
    },
    async get(id) {
      const r = await db.selectFrom('canaries').select(['id', 'audience', 'created_at', 'created_by']).where('id', '=', id).executeTakeFirst();
      return r === undefined ? undefined : toCanary(r);
    },
    async ids() {
      return (await db.selectFrom('canaries').select('id').execute()).map((r) => r.id);
    },
    async rows(ids) {
      const out = new Map<string, CanaryPerson & { id: string }>();
      for (let i = 0; i < ids.length; i += 500) {
        const found = await db.selectFrom('canaries').select([...COLUMNS]).where('id', 'in', ids.slice(i, i + 500)).execute();
        for (const r of found) out.set(r.id, { id: r.id, name: r.name, mobile: r.mobile, id_number: r.id_number, bank_card: r.bank_card, address: r.address, email: r.email, balance: Number(r.balance), employer: r.employer });
      }
      return out;
    },
    async search(key, value) {
      const rows = await db.selectFrom('canaries').select('id').where(key, '=', value).where('audience', 'not like', 'export:%').limit(100).execute();
      return rows.map((r) => r.id);
    },
    async findByValue(kind, value) {
      const v = value.trim();
      if (v.length === 0 || v.length > 256) return undefined;
      const q = db.selectFrom('canaries').select(['id', 'audience', 'created_at', 'created_by']);
      const where =
        kind === 'phone' ? q.where('mobile', '=', canonicalOf('cn_mobile', v))
        : kind === 'id_number' ? q.where('id_number', '=', canonicalOf('cn_id_card', v))
        : kind === 'bank_card' ? q.where('bank_card', '=', canonicalOf('bank_card', v))
        : kind === 'email' ? q.where('email', '=', canonicalOf('email', v))
        : kind === 'address' ? q.where('address', '=', canonicalOf('cn_address', v))
        : q.where('name', '=', v.replace(/\s+/g, ''));
      const rows = await where.limit(2).execute();
      // A name can be shared; only a unique match names a canary.
      return rows.length === 1 ? toCanary(rows[0]!) : undefined;
    },
    async forExport(exportId, count) {
      const audience = `export:${exportId}`;
      const have = await db.selectFrom('canaries').select('id').where('audience', '=', audience).orderBy('id').execute();
      if (have.length > 0) return have.map((r) => r.id);
      return (await insert({ kind: 'export', exportId }, count, 'export')).map((c) => c.id).sort();
    },
  };
}

export { canaryValue, type CanaryPerson };
