import { Redis } from 'ioredis';
import { CustosError } from '../core/errors.js';
import type { AdmitResult, QuotaBucket, QuotaStore } from './quota-types.js';

/**
 * Check-and-add for every bucket at once, atomically (a Lua script runs alone on the Redis server), so replicas
 * never let two views through that together pass a limit.
 * KEYS: the bucket sets. ARGV: for each bucket its limit, its ttl and its member count, then all members.
 * Returns 0 when admitted, or the 1-based index of the first bucket that would pass its limit and its size.
 */
const ADMIT = `
local n = #KEYS
local pos = 3 * n + 1
local fresh = {}
for i = 1, n do
  local limit = tonumber(ARGV[3 * i - 2])
  local count = tonumber(ARGV[3 * i])
  local add = {}
  for j = 0, count - 1 do
    local m = ARGV[pos + j]
    if redis.call('SISMEMBER', KEYS[i], m) == 0 then add[#add + 1] = m end
  end
  pos = pos + count
  local size = redis.call('SCARD', KEYS[i])
  if size + #add > limit then return {i, size} end
  fresh[i] = add
end
for i = 1, n do
  local add = fresh[i]
  for k = 1, #add, 1000 do
    redis.call('SADD', KEYS[i], unpack(add, k, math.min(k + 999, #add)))
  end
  redis.call('EXPIRE', KEYS[i], tonumber(ARGV[3 * i - 1]))
end
return {0, 0}
`;

/** Opens the shared counters on Redis. Fails closed: when Redis does not answer, views are refused. */
export function redisQuotaStore(url: string, prefix = 'custos:quota:'): QuotaStore {
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 3000, commandTimeout: 3000 });
  // Connection errors surface on each command (and fail that view closed), not as unhandled events.
  redis.on('error', () => undefined);
  const unavailable = (): CustosError => new CustosError('CUSTOS_QUOTA_UNAVAILABLE', 503, 'The quota counters (Redis) do not answer, so no data is shown. Try again; if it persists, the operators need to look at Redis.');

  return {
    async admit(buckets: readonly QuotaBucket[]): Promise<AdmitResult> {
      const keys = buckets.map((b) => prefix + b.key);
      const uniq = buckets.map((b) => [...new Set(b.members)]);
      const args: (string | number)[] = [];
      buckets.forEach((b, i) => args.push(b.limit, b.ttlSeconds, uniq[i]!.length));
      for (const u of uniq) args.push(...u);
      let r: unknown;
      try {
        r = await redis.eval(ADMIT, keys.length, ...keys, ...args);
      } catch {
        throw unavailable();
      }
      const [index, size] = r as [number, number];
      if (index === 0) return { ok: true };
      return { ok: false, bucket: buckets[index - 1]!, used: size };
    },
    async used(key) {
      try {
        return await redis.scard(prefix + key);
      } catch {
        throw unavailable();
      }
    },
    close() {
      redis.disconnect();
      return Promise.resolve();
    },
  };
}
