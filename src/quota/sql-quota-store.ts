import type { Kysely } from 'kysely';
import type { StoreSchema } from '../store/index.js';
import type { AdmitResult, QuotaBucket, QuotaStore } from './quota-types.js';

interface Cached {
  readonly members: Set<string>;
  expiresAt: number;
}

/**
 * Counters in Custos's own store (the embedded default): one row per (bucket, customer). The counts are cached
 * in memory after the first read of a bucket, so this store is for ONE server process; replicas share
 * counters through Redis (`CUSTOS_REDIS_URL`). Rows survive restarts; expired rows are deleted hourly.
 */
export function sqlQuotaStore(db: Kysely<StoreSchema>, now: () => Date): QuotaStore {
  const cache = new Map<string, Cached>();
  let lastSweep = 0;
  // One admit at a time: the check and the insert must not interleave with another view.
  let chain: Promise<unknown> = Promise.resolve();

  async function cached(key: string): Promise<Cached> {
    let c = cache.get(key);
    if (c !== undefined) return c;
    const rows = await db.selectFrom('quota_seen').select(['subject', 'expires_at']).where('bucket', '=', key).execute();
    c = { members: new Set(rows.map((r) => r.subject)), expiresAt: rows.reduce((m, r) => Math.max(m, Date.parse(r.expires_at)), 0) };
    cache.set(key, c);
    return c;
  }

  async function sweep(t: number): Promise<void> {
    if (t - lastSweep < 3_600_000) return;
    lastSweep = t;
    await db.deleteFrom('quota_seen').where('expires_at', '<', new Date(t).toISOString()).execute();
    for (const [key, c] of cache) if (c.expiresAt < t) cache.delete(key);
  }

  async function admitNow(buckets: readonly QuotaBucket[]): Promise<AdmitResult> {
    const t = now().getTime();
    await sweep(t);
    const fresh: { bucket: QuotaBucket; entry: Cached; add: string[] }[] = [];
    for (const b of buckets) {
      const entry = await cached(b.key);
      const add = [...new Set(b.members)].filter((m) => !entry.members.has(m));
      if (entry.members.size + add.length > b.limit) return { ok: false, bucket: b, used: entry.members.size };
      fresh.push({ bucket: b, entry, add });
    }
    const rows = fresh.flatMap(({ bucket, add }) => add.map((subject) => ({ bucket: bucket.key, subject, expires_at: new Date(t + bucket.ttlSeconds * 1000).toISOString() })));
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .insertInto('quota_seen')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.columns(['bucket', 'subject']).doNothing())
        .execute();
    }
    for (const { bucket, entry, add } of fresh) {
      for (const m of add) entry.members.add(m);
      entry.expiresAt = Math.max(entry.expiresAt, t + bucket.ttlSeconds * 1000);
    }
    return { ok: true };
  }

  return {
    admit(buckets) {
      const run = chain.then(() => admitNow(buckets));
      chain = run.catch(() => undefined);
      return run;
    },
    async used(key) {
      return (await cached(key)).members.size;
    },
    async close() {
      await chain;
      cache.clear();
    },
  };
}
