import { sql, type Kysely } from 'kysely';
import type { SourceSchema } from '../store/index.js';

/**
 * Reads the ID numbers of people from the data source's subject table (the column the catalog types as a
 * resident ID), in chunks. The numbers stay in memory for the minors flag; nothing is logged or returned.
 */
export function sourceIdNumbers(source: Kysely<SourceSchema>, plan: { readonly table: string; readonly key: string; readonly fields: readonly { readonly column: string; readonly mask: string | null }[] }): (subjects: readonly string[]) => Promise<ReadonlyMap<string, string>> {
  const column = plan.fields.find((f) => f.mask === 'cn_id_card')?.column;
  return async (subjects) => {
    const out = new Map<string, string>();
    if (column === undefined) return out;
    for (let i = 0; i < subjects.length && i < 10_000; i += 500) {
      const rows = await source
        .selectFrom(plan.table as 'customers')
        .select([sql.ref<string>(plan.key).as('k'), sql.ref<string>(column).as('v')])
        .where(plan.key as 'id', 'in', subjects.slice(i, Math.min(i + 500, 10_000)))
        .execute();
      for (const r of rows) out.set(String(r.k), String(r.v));
    }
    return out;
  };
}

/** How one person is reached: the channel and the contact as the display mask shows it (never the raw value). */
export interface Recipient {
  readonly subject: string;
  readonly channel: 'sms' | 'email' | 'letter' | 'none';
  readonly contact: string | null;
  /** Other channels the person has, masked the same way. */
  readonly alternatives: readonly { readonly channel: 'sms' | 'email' | 'letter'; readonly contact: string }[];
}

const CHANNELS = [
  { channel: 'sms', mask: 'cn_mobile' },
  { channel: 'email', mask: 'email' },
  { channel: 'letter', mask: 'cn_address' },
] as const;

/**
 * The people to notify with their contact channel, from the data source's columns typed as mobile, e-mail and
 * address (in that order of preference), each contact masked by the display masks in force.
 */
export function sourceRecipients(
  source: Kysely<SourceSchema>,
  plan: { readonly table: string; readonly key: string; readonly fields: readonly { readonly column: string; readonly mask: string | null }[] },
  mask: (kind: 'cn_mobile' | 'email' | 'cn_address', value: string) => string,
): (subjects: readonly string[]) => Promise<Recipient[]> {
  const columns = CHANNELS.flatMap((c) => {
    const column = plan.fields.find((f) => f.mask === c.mask)?.column;
    return column === undefined ? [] : [{ ...c, column }];
  });
  return async (subjects) => {
    const rows = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < subjects.length && i < 1000 && columns.length > 0; i += 500) {
      const chunk = subjects.slice(i, Math.min(i + 500, 1000));
      const found = await source
        .selectFrom(plan.table as 'customers')
        .select([sql.ref<string>(plan.key).as('k'), ...columns.map((c) => sql.ref<string>(c.column).as(c.channel))])
        .where(plan.key as 'id', 'in', chunk)
        .execute();
      for (const r of found as unknown as Record<string, unknown>[]) rows.set(String(r['k']), r);
    }
    return subjects.slice(0, 1000).map((subject) => {
      const r = rows.get(subject);
      const have = columns.flatMap((c) => {
        const v = r?.[c.channel];
        return typeof v === 'string' && v.trim() !== '' ? [{ channel: c.channel, contact: mask(c.mask, v) }] : [];
      });
      const [first, ...rest] = have;
      return { subject, channel: first?.channel ?? 'none', contact: first?.contact ?? null, alternatives: rest };
    });
  };
}
