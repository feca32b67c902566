import type { LegalCategory } from '../catalog/index.js';

/** Limits for one role: distinct customers per day and per hour, and per legal category per day. */
export interface QuotaRule {
  readonly customersPerDay: number;
  readonly customersPerHour: number;
  /**
   * Distinct customers per day whose fields of this category were shown unmasked (revealed or shown plain).
   * A category not named here is bounded only by the customer limits.
   */
  readonly perCategoryPerDay: Readonly<Partial<Record<LegalCategory, number>>>;
}

/** Rules per role, with `*` for every role not named. */
export type QuotaRules = Readonly<Record<string, QuotaRule>>;

/** One counter a view adds to: a set of distinct members under a key, with a limit and a lifetime. */
export interface QuotaBucket {
  /** Stable key: person, window and what is counted (never a personal value). */
  readonly key: string;
  readonly limit: number;
  /** How long the counter must be kept (the window plus a margin). */
  readonly ttlSeconds: number;
  /** Customer ids this view adds to the bucket. */
  readonly members: readonly string[];
  /** What the bucket counts, for the refusal message: `customers today`, `customers this hour`, `property fields today`. */
  readonly label: string;
  /** When the window ends (for Retry-After). */
  readonly endsAt: Date;
}

export type AdmitResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly bucket: QuotaBucket; readonly used: number };

/**
 * Where counters live. `admit` is all-or-nothing: either every bucket takes its members (each staying within
 * its limit) or none changes. Members already counted in a window do not count again.
 */
export interface QuotaStore {
  admit(buckets: readonly QuotaBucket[]): Promise<AdmitResult>;
  /** Members counted so far in a bucket (for the person's own quota meter). */
  used(key: string): Promise<number>;
  close(): Promise<void>;
}
