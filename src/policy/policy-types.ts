import type { LegalCategory, PiiType, SensitivityLevel } from '../catalog/index.js';
import type { Basis, PolicyAction, RelationName } from './cedar-schema.js';

/** The person asking, as policies see them (from the identity directory and the risk board). */
export interface PersonAttributes {
  readonly id: string;
  readonly role: string;
  readonly department: string;
  readonly employment: 'employee' | 'outsourced';
  readonly manager: string | null;
  /** Leaving date (YYYY-MM-DD) or null. */
  readonly leaving: string | null;
  readonly risk: 'low' | 'medium' | 'high';
}

/** The circumstances of a request: why, under which ticket, when and from where. */
export interface RequestContext {
  readonly purpose: string;
  /** The ticket stated with the request (its id), or null. */
  readonly ticket: string | null;
  /** Hour of day (0–23) in the company's time zone. */
  readonly hour: number;
  /** Today (YYYY-MM-DD) in the company's time zone, for the days until a leaving date. */
  readonly date: string;
  readonly device: 'managed' | 'unmanaged' | 'unknown';
  readonly session: 'password' | 'mfa';
  /** A break-glass reason was given (the reason's text itself never reaches the policy). */
  readonly reason: boolean;
}

/** One field of a dataset with its catalog classification. */
export interface FieldAttributes {
  readonly dataset: string;
  readonly name: string;
  readonly piiType: PiiType | null;
  readonly category: LegalCategory;
  readonly level: SensitivityLevel;
  readonly sensitive: boolean;
}

export type Relations = Readonly<Partial<Record<RelationName, boolean>>>;

/** One question to the engine: may this person do this to this resource, in this context, for this record? */
export interface PolicyRequest {
  readonly person: PersonAttributes;
  readonly action: PolicyAction;
  /** A dataset (`customers`, `ledger`), a field (`customers.id_number`) or a purpose (`purpose:complaint`). */
  readonly resource: string;
  readonly context: RequestContext;
  readonly relation?: Relations;
  readonly basis?: Basis;
}

/** An expected outcome is a value: the decision and which policies made it. */
export interface Decision {
  readonly effect: 'allow' | 'deny';
  /** Ids of the policies that decided: the permits that allowed, or the forbids that denied (empty: default deny). */
  readonly policies: readonly string[];
  /** Why, in words, from the deciding policies' @why annotations (or "no policy allows it"). */
  readonly reasons: readonly string[];
  /** Policies that failed to evaluate (they count as not applying; the result fails closed). */
  readonly errors: readonly string[];
}

/**
 * What an action on a record takes: allowed as it stands, allowed with an approved access request, allowed only
 * as a break-glass reveal, or denied.
 */
export type Effect = 'allow' | 'approval' | 'break_glass' | 'deny';

export interface Ruling {
  readonly effect: Effect;
  /** The policies behind the effect (the permits at the weakest basis that allows; the forbids that deny). */
  readonly policies: readonly string[];
  /** For `approval` and `break_glass`: the forbids that stand in the way as things are (basis none), if any. */
  readonly forbids?: readonly string[];
}

/** Per-day and per-hour limits, in the shape the quota service takes. */
export interface QuotaLimits {
  readonly customersPerDay: number;
  readonly customersPerHour: number;
  readonly perCategoryPerDay: Readonly<Partial<Record<LegalCategory, number>>>;
}
