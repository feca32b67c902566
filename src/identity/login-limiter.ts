/**
 * Login attempt limiter: at most `perKey` failures per user and `perIp` per address within `windowMs`.
 * In memory, per process (the many-node mode moves these counters to Redis with the quotas).
 */
export interface LoginLimiter {
  /** Milliseconds until a new attempt is allowed, or 0. */
  blockedFor(user: string, ip: string, nowMs: number): number;
  fail(user: string, ip: string, nowMs: number): void;
  succeed(user: string): void;
}

export function createLoginLimiter(options: { windowMs: number; perUser: number; perIp: number; maxKeys?: number }): LoginLimiter {
  const failures = new Map<string, number[]>();
  const maxKeys = options.maxKeys ?? 100_000;
  const recent = (key: string, nowMs: number): number[] => {
    const list = (failures.get(key) ?? []).filter((t) => nowMs - t < options.windowMs);
    if (list.length > 0) failures.set(key, list);
    else failures.delete(key);
    return list;
  };
  const wait = (list: number[], limit: number, nowMs: number): number =>
    list.length >= limit ? options.windowMs - (nowMs - list[list.length - limit]!) : 0;
  return {
    blockedFor(user, ip, nowMs) {
      return Math.max(wait(recent(`u:${user}`, nowMs), options.perUser, nowMs), wait(recent(`i:${ip}`, nowMs), options.perIp, nowMs));
    },
    fail(user, ip, nowMs) {
      if (failures.size > maxKeys) {
        // Bounded memory: drop the oldest keys (Map keeps insertion order).
        for (const k of [...failures.keys()].slice(0, failures.size - maxKeys)) failures.delete(k);
      }
      for (const key of [`u:${user}`, `i:${ip}`]) failures.set(key, [...recent(key, nowMs), nowMs]);
    },
    succeed(user) {
      failures.delete(`u:${user}`);
    },
  };
}
