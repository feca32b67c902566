/**
 * Policy versions: each save is a new version (text, author, hash, the unified diff against the previous one);
 * restoring an old version saves its text again as a new version, so history is never rewritten. A version is
 * compiled before it is kept: an invalid policy never becomes current. The in-memory store is the reference; a
 * database store implements the same interface (`PolicyVersionRepo`).
 */
import { createHash } from 'node:crypto';
import { CustosError } from '../core/errors.js';
import { compilePolicy } from './policy-source.js';
import { unifiedDiff } from './unified-diff.js';

export interface PolicyVersion {
  readonly version: number;
  readonly hash: string;
  readonly text: string;
  /** Staff id of who saved it. */
  readonly author: string;
  readonly message: string;
  /** ISO time. */
  readonly savedAt: string;
  /** Unified diff from the previous version ('' for the first). */
  readonly diff: string;
  /** The version this one restored, if it was a restore. */
  readonly restoredFrom: number | null;
}

/** Where versions are kept (memory here; a Kysely table later). Versions are numbered 1, 2, … and never change. */
export interface PolicyVersionRepo {
  latest(): Promise<PolicyVersion | undefined>;
  get(version: number): Promise<PolicyVersion | undefined>;
  list(): Promise<readonly PolicyVersion[]>;
  /** Appends `v`, which must be numbered latest + 1 (a concurrent save makes this fail). */
  append(v: PolicyVersion): Promise<void>;
}

export interface PolicyStore {
  current(): Promise<PolicyVersion | undefined>;
  findVersion(version: number): Promise<PolicyVersion | undefined>;
  /** Throws CUSTOS_POLICY_VERSION_UNKNOWN (404). */
  getVersion(version: number): Promise<PolicyVersion>;
  history(): Promise<readonly PolicyVersion[]>;
  /** Compiles and saves a new version; a text equal to the current one is refused (CUSTOS_POLICY_UNCHANGED). */
  save(input: { readonly text: string; readonly author: string; readonly message: string }): Promise<PolicyVersion>;
  /** Saves an earlier version's text as the new current version. */
  restore(version: number, author: string, message?: string): Promise<PolicyVersion>;
  /**
   * The version a save (or, with `restoredFrom`, a restore) would make, checked but not kept: the caller puts its
   * change event on the ledger, then `commit`s it.
   */
  prepare(input: { readonly text: string; readonly author: string; readonly message: string; readonly restoredFrom?: number }): Promise<PolicyVersion>;
  /** Keeps a prepared version (CUSTOS_POLICY_CONFLICT when another was saved meanwhile). */
  commit(v: PolicyVersion): Promise<void>;
}

/** Versions in memory. */
export function memoryPolicyRepo(): PolicyVersionRepo {
  const versions: PolicyVersion[] = [];
  return {
    latest: () => Promise.resolve(versions[versions.length - 1]),
    get: (n) => Promise.resolve(versions[n - 1]),
    list: () => Promise.resolve([...versions]),
    append(v) {
      if (v.version !== versions.length + 1) return Promise.reject(new CustosError('CUSTOS_POLICY_CONFLICT', 409, 'The policy changed while you were saving; load the current version and apply your change again.'));
      versions.push(v);
      return Promise.resolve();
    },
  };
}

const AUTHOR = /^[A-Za-z0-9._:@-]{1,128}$/;
const MAX_EVENT_DIFF = 32 * 1024;

/**
 * A policy store over a repo.
 *
 * @example
 * const store = createPolicyStore({ repo: memoryPolicyRepo(), clock: { now: () => new Date() } });
 * const v1 = await store.save({ text, author: 'u0007', message: 'initial policy' });
 * const event = policyChangeEvent(v1, undefined, { id: 'e-1', actor: 'u0007' }); // append to the ledger
 */
export function createPolicyStore(deps: { readonly repo: PolicyVersionRepo; readonly clock: { now(): Date } }): PolicyStore {
  const { repo, clock } = deps;
  async function getVersion(version: number): Promise<PolicyVersion> {
    const v = Number.isInteger(version) && version >= 1 ? await repo.get(version) : undefined;
    if (v === undefined) throw new CustosError('CUSTOS_POLICY_VERSION_UNKNOWN', 404, `There is no policy version ${String(version).slice(0, 16)}; list them with the policy history.`, { version: String(version).slice(0, 16) });
    return v;
  }
  async function prepare(text: string, author: string, message: string, restoredFrom: number | null): Promise<PolicyVersion> {
    if (!AUTHOR.test(author)) throw new CustosError('CUSTOS_POLICY_BAD_REQUEST', 400, 'The author is a staff id ([A-Za-z0-9._:@-], at most 128).', { attribute: 'author' });
    if (typeof message !== 'string' || message.length > 500) throw new CustosError('CUSTOS_POLICY_BAD_REQUEST', 400, 'The change message is text of at most 500 characters.', { attribute: 'message' });
    const compiled = compilePolicy(text);
    const prev = await repo.latest();
    if (prev !== undefined && prev.hash === compiled.hash) throw new CustosError('CUSTOS_POLICY_UNCHANGED', 409, `The policy is the same as the current version ${prev.version}; nothing was saved.`, { version: prev.version });
    const version = (prev?.version ?? 0) + 1;
    const v: PolicyVersion = {
      version,
      hash: compiled.hash,
      text,
      author,
      message,
      savedAt: clock.now().toISOString(),
      diff: prev === undefined ? '' : unifiedDiff(prev.text, text, `policy v${prev.version}`, `policy v${version}`),
      restoredFrom,
    };
    return v;
  }
  async function append(text: string, author: string, message: string, restoredFrom: number | null): Promise<PolicyVersion> {
    const v = await prepare(text, author, message, restoredFrom);
    await repo.append(v);
    return v;
  }
  return {
    current: () => repo.latest(),
    findVersion: async (n) => (Number.isInteger(n) && n >= 1 ? repo.get(n) : undefined),
    getVersion,
    history: () => repo.list(),
    save: ({ text, author, message }) => append(text, author, message, null),
    async restore(version, author, message) {
      const old = await getVersion(version);
      return append(old.text, author, message ?? `restore version ${version}`, version);
    },
    async prepare(input) {
      if (input.restoredFrom === undefined) return prepare(input.text, input.author, input.message, null);
      return prepare((await getVersion(input.restoredFrom)).text, input.author, input.message, input.restoredFrom);
    },
    commit: (v) => repo.append(v),
  };
}

/**
 * The ledger admin event for a saved version (the access-event contract of DESIGN.md; ids and the policy diff only,
 * never personal values). The caller appends it to the ledger before the new version takes effect.
 */
export function policyChangeEvent(
  saved: PolicyVersion,
  previous: PolicyVersion | undefined,
  ids: { readonly id: string; readonly actor: string; readonly system?: string },
): {
  id: string;
  time: string;
  actor: string;
  action: 'admin';
  system: string;
  subjects: string[];
  fields: string[];
  outcome: 'allowed';
  detail: Record<string, unknown>;
} {
  return {
    id: ids.id,
    time: saved.savedAt,
    actor: ids.actor,
    action: 'admin',
    system: ids.system ?? 'custos-policy',
    subjects: [],
    fields: [],
    outcome: 'allowed',
    detail: {
      kind: saved.restoredFrom !== null ? 'policy.restore' : 'policy.change',
      version: saved.version,
      hash: saved.hash,
      previousVersion: previous?.version ?? null,
      previousHash: previous?.hash ?? null,
      restoredFrom: saved.restoredFrom,
      author: saved.author,
      message: saved.message,
      // The diff's hash ties the event to the version kept in the store; the diff itself rides along up to 32 KiB.
      diffSha256: createHash('sha256').update(saved.diff, 'utf8').digest('hex'),
      ...(saved.diff.length <= MAX_EVENT_DIFF ? { diff: saved.diff } : { diffBytes: Buffer.byteLength(saved.diff, 'utf8') }),
    },
  };
}
