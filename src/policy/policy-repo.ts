/** Policy versions in Custos's store (SQLite or PostgreSQL; migration 0013_policy_versions). */
import type { Kysely } from 'kysely';
import { CustosError } from '../core/errors.js';
import type { PolicyVersionTable, StoreSchema } from '../store/index.js';
import type { PolicyVersion, PolicyVersionRepo } from './policy-store.js';

const toVersion = (r: PolicyVersionTable): PolicyVersion => ({
  version: Number(r.version),
  hash: r.hash,
  text: r.text,
  author: r.author,
  message: r.message,
  savedAt: r.saved_at,
  diff: r.diff,
  restoredFrom: r.restored_from === null ? null : Number(r.restored_from),
});

/**
 * The versions table. `append` inserts under the version's primary key, so of two concurrent saves of the same
 * number one fails with CUSTOS_POLICY_CONFLICT.
 *
 * @example const store = createPolicyStore({ repo: sqlPolicyRepo(db), clock });
 */
export function sqlPolicyRepo(db: Kysely<StoreSchema>): PolicyVersionRepo {
  return {
    async latest() {
      const r = await db.selectFrom('policy_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
      return r === undefined ? undefined : toVersion(r);
    },
    async get(n) {
      const r = await db.selectFrom('policy_versions').selectAll().where('version', '=', n).executeTakeFirst();
      return r === undefined ? undefined : toVersion(r);
    },
    async list() {
      return (await db.selectFrom('policy_versions').selectAll().orderBy('version', 'asc').limit(10_000).execute()).map(toVersion);
    },
    async append(v) {
      const prev = await db.selectFrom('policy_versions').select('version').orderBy('version', 'desc').limit(1).executeTakeFirst();
      const conflict = new CustosError('CUSTOS_POLICY_CONFLICT', 409, 'The policy changed while you were saving; load the current version and apply your change again.');
      if (v.version !== Number(prev?.version ?? 0) + 1) throw conflict;
      try {
        await db
          .insertInto('policy_versions')
          .values({ version: v.version, hash: v.hash, text: v.text, author: v.author, message: v.message, saved_at: v.savedAt, diff: v.diff, restored_from: v.restoredFrom })
          .execute();
      } catch {
        throw conflict;
      }
    },
  };
}
