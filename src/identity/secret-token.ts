import { createHash, randomBytes } from 'node:crypto';

/** A new opaque bearer secret with a readable prefix (`cus_s_…` for sessions, `cus_t_…` for API tokens). */
export function newSecret(prefix: 'cus_s' | 'cus_t' | 'csrf'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

/** Secrets are stored only as their SHA-256 (a database leak does not hand out sessions). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
