import { classifyType, LEGAL_CATEGORIES, nameHint, PII_TYPES, type LegalCategory, type PiiType } from '../catalog/index.js';
import type { Clock } from '../core/clock.js';
import { CustosError } from '../core/errors.js';
import type { QuotaBucket, QuotaRule, QuotaRules, QuotaStore } from './quota-types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const PII: ReadonlySet<string> = new Set(PII_TYPES);

/**
 * The shipped defaults per role of the demo company (distinct customers; categories count customers whose
 * fields of that category were shown unmasked). Sized a little above what each job needs in a day: an agent
 * with 60 assigned customers and a few tickets, tele-sales working a campaign list of 150.
 */
export const DEFAULT_QUOTAS: QuotaRules = {
  service_agent: { customersPerDay: 300, customersPerHour: 100, perCategoryPerDay: { property: 50, credit: 50, whereabouts: 50 } },
  telesales: { customersPerDay: 400, customersPerHour: 150, perCategoryPerDay: { property: 20, credit: 20, whereabouts: 20 } },
  teller: { customersPerDay: 200, customersPerHour: 60, perCategoryPerDay: { property: 100, credit: 50, whereabouts: 20 } },
  risk_analyst: { customersPerDay: 500, customersPerHour: 150, perCategoryPerDay: { property: 200, credit: 200, whereabouts: 50 } },
  engineer: { customersPerDay: 50, customersPerHour: 20, perCategoryPerDay: { property: 10, credit: 10, whereabouts: 10 } },
  '*': { customersPerDay: 200, customersPerHour: 60, perCategoryPerDay: { property: 50, credit: 50, whereabouts: 50 } },
};

/** One record about to be shown: its customer id and the fields shown unmasked. */
export interface ShownRecord {
  readonly subject: string;
  readonly plain: readonly string[];
}

/** Where a person stands against their quota today (their own meter). */
export interface QuotaMeter {
  readonly day: string;
  readonly customersToday: { readonly used: number; readonly limit: number };
  readonly customersThisHour: { readonly used: number; readonly limit: number };
  readonly categoriesToday: Readonly<Partial<Record<LegalCategory, { readonly used: number; readonly limit: number }>>>;
}

export interface Quota {
  /**
   * Counts the records against the person's quotas; throws CUSTOS_QUOTA_EXCEEDED (429, with the window's end as
   * Retry-After) and changes no counter when any limit would be passed.
   */
  admit(who: { staffId: string; role: string }, records: readonly ShownRecord[]): Promise<void>;
  meter(who: { staffId: string; role: string }): Promise<QuotaMeter>;
  close(): Promise<void>;
}

export interface QuotaOptions {
  readonly store: QuotaStore;
  readonly rules?: QuotaRules;
  readonly clock: Clock;
  /** The local time zone of the working day (hours east of UTC). */
  readonly utcOffsetHours?: number;
  /**
   * The person's limits from elsewhere (the access policy's @quota), or undefined for the rules by role. A failure
   * refuses the view (CUSTOS_QUOTA_UNAVAILABLE): fail closed.
   */
  readonly ruleFor?: (who: { staffId: string; role: string }) => Promise<QuotaRule | undefined>;
}

/** The legal category of a column from its mask kind (a PII type) or, for columns like a balance, its name. */
export function categoryOfField(column: string, mask: string | null): LegalCategory {
  const byType = mask !== null && PII.has(mask) ? classifyType(mask as PiiType).category : 'other';
  return byType !== 'other' ? byType : (nameHint(column)?.category ?? 'other');
}

/** Checks a set of quota rules (from configuration): every limit a whole number from 1 to 10,000,000. */
export function parseQuotaRules(json: string): QuotaRules {
  const v: unknown = JSON.parse(json);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new RangeError('not an object of role → rule');
  const out: Record<string, QuotaRule> = { ...DEFAULT_QUOTAS };
  const limit = (x: unknown, where: string): number => {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < 1 || x > 10_000_000) throw new RangeError(`${where} must be a whole number from 1 to 10,000,000`);
    return x;
  };
  for (const [role, r] of Object.entries(v as Record<string, unknown>)) {
    if (!/^(\*|[a-z][a-z0-9_]{0,63})$/.test(role)) throw new RangeError(`role names are lower-case identifiers (or *)`);
    if (r === null || typeof r !== 'object' || Array.isArray(r)) throw new RangeError(`the rule for ${role} is not an object`);
    const rule = r as Record<string, unknown>;
    for (const k of Object.keys(rule)) if (!['customersPerDay', 'customersPerHour', 'perCategoryPerDay'].includes(k)) throw new RangeError(`unknown key ${k.slice(0, 40)} in the rule for ${role}`);
    const base = out[role] ?? out['*']!;
    const cats: Partial<Record<LegalCategory, number>> = { ...base.perCategoryPerDay };
    if (rule['perCategoryPerDay'] !== undefined) {
      const pc = rule['perCategoryPerDay'];
      if (pc === null || typeof pc !== 'object' || Array.isArray(pc)) throw new RangeError(`perCategoryPerDay of ${role} is not an object`);
      for (const [c, n] of Object.entries(pc)) {
        if (!(LEGAL_CATEGORIES as readonly string[]).includes(c)) throw new RangeError(`unknown category ${c.slice(0, 40)} (one of ${LEGAL_CATEGORIES.join(', ')})`);
        cats[c as LegalCategory] = limit(n, `${role}.perCategoryPerDay.${c}`);
      }
    }
    out[role] = {
      customersPerDay: rule['customersPerDay'] !== undefined ? limit(rule['customersPerDay'], `${role}.customersPerDay`) : base.customersPerDay,
      customersPerHour: rule['customersPerHour'] !== undefined ? limit(rule['customersPerHour'], `${role}.customersPerHour`) : base.customersPerHour,
      perCategoryPerDay: cats,
    };
  }
  return out;
}

/**
 * Quotas per person per day and per hour: distinct customers seen, and distinct customers whose fields of a
 * legal category were shown unmasked. A record seen again in the same window does not count again.
 *
 * @example
 * const quota = createQuota({ store: sqlQuotaStore(db, () => clock.now()), clock, categoryOf });
 * await quota.admit(who, [{ subject: 'c0000042', plain: ['name'] }]);
 */
export function createQuota(options: QuotaOptions & { readonly categoryOf: (column: string) => LegalCategory }): Quota {
  const rules = options.rules ?? DEFAULT_QUOTAS;
  const offset = (options.utcOffsetHours ?? 8) * HOUR;
  const { store, clock } = options;
  const byRole = (role: string): QuotaRule => rules[role] ?? rules['*'] ?? DEFAULT_QUOTAS['*']!;
  async function ruleOf(who: { staffId: string; role: string }): Promise<QuotaRule> {
    if (options.ruleFor === undefined) return byRole(who.role);
    let r: QuotaRule | undefined;
    try {
      r = await options.ruleFor(who);
    } catch {
      throw new CustosError('CUSTOS_QUOTA_UNAVAILABLE', 503, 'Your quota could not be determined, so no data is shown. Try again shortly.');
    }
    return r ?? byRole(who.role);
  }

  function windows(t: number): { day: string; dayEnds: Date; hour: string; hourEnds: Date } {
    const local = t + offset;
    const dayStart = Math.floor(local / DAY) * DAY;
    const hourStart = Math.floor(local / HOUR) * HOUR;
    return {
      day: new Date(dayStart).toISOString().slice(0, 10),
      dayEnds: new Date(dayStart + DAY - offset),
      hour: new Date(hourStart).toISOString().slice(0, 13),
      hourEnds: new Date(hourStart + HOUR - offset),
    };
  }

  function buckets(staffId: string, rule: QuotaRule, records: readonly ShownRecord[], t: number): QuotaBucket[] {
    const w = windows(t);
    const subjects = records.map((r) => r.subject);
    const out: QuotaBucket[] = [
      { key: `${staffId}|h|${w.hour}|customers`, limit: rule.customersPerHour, ttlSeconds: 2 * 3600, members: subjects, label: 'distinct customers this hour', endsAt: w.hourEnds },
      { key: `${staffId}|d|${w.day}|customers`, limit: rule.customersPerDay, ttlSeconds: 2 * 86_400, members: subjects, label: 'distinct customers today', endsAt: w.dayEnds },
    ];
    for (const [category, limit] of Object.entries(rule.perCategoryPerDay) as [LegalCategory, number][]) {
      const members = records.filter((r) => r.plain.some((f) => options.categoryOf(f) === category)).map((r) => r.subject);
      if (members.length > 0) out.push({ key: `${staffId}|d|${w.day}|${category}`, limit, ttlSeconds: 2 * 86_400, members, label: `customers whose ${category} fields you saw unmasked today`, endsAt: w.dayEnds });
    }
    return out;
  }

  return {
    async admit(who, records) {
      if (records.length === 0) return;
      const t = clock.now().getTime();
      const result = await store.admit(buckets(who.staffId, await ruleOf(who), records, t));
      if (result.ok) return;
      const { bucket, used } = result;
      const seconds = Math.max(1, Math.ceil((bucket.endsAt.getTime() - t) / 1000));
      throw new CustosError(
        'CUSTOS_QUOTA_EXCEEDED',
        429,
        `This would take you past your limit of ${bucket.limit} ${bucket.label} (${used} so far; role ${who.role}). The count starts again at ${bucket.endsAt.toISOString()}. If your work needs more, ask your manager to have the quota raised.`,
        { retryAfterSeconds: seconds, limit: bucket.limit, used },
      );
    },

    async meter(who) {
      const rule = await ruleOf(who);
      const w = windows(clock.now().getTime());
      const categoriesToday: Partial<Record<LegalCategory, { used: number; limit: number }>> = {};
      for (const [category, limit] of Object.entries(rule.perCategoryPerDay) as [LegalCategory, number][]) {
        categoriesToday[category] = { used: await store.used(`${who.staffId}|d|${w.day}|${category}`), limit };
      }
      return {
        day: w.day,
        customersToday: { used: await store.used(`${who.staffId}|d|${w.day}|customers`), limit: rule.customersPerDay },
        customersThisHour: { used: await store.used(`${who.staffId}|h|${w.hour}|customers`), limit: rule.customersPerHour },
        categoriesToday,
      };
    },

    close: () => store.close(),
  };
}
