import { z } from 'zod';

/**
 * The access event: a public contract (DESIGN.md). Fields are never renamed or retyped.
 * Events carry ids, never personal values.
 */
export const EVENT_ACTIONS = ['login', 'logout', 'search', 'list', 'view', 'reveal', 'export', 'query', 'admin'] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

export const EVENT_OUTCOMES = ['allowed', 'masked', 'denied'] as const;
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];

const idString = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:@-]+$/, 'ids are [A-Za-z0-9._:@-]');

export const accessEventSchema = z
  .object({
    id: idString,
    time: z.iso.datetime({ offset: false, precision: 3 }),
    actor: idString,
    action: z.enum(EVENT_ACTIONS),
    system: z.string().min(1).max(64),
    subjects: z.array(idString).max(10_000),
    fields: z.array(z.string().min(1).max(64)).max(256),
    purpose: z.string().min(1).max(64).optional(),
    ticket: idString.optional(),
    session: idString.optional(),
    ip: z.string().max(64).optional(),
    device: idString.optional(),
    outcome: z.enum(EVENT_OUTCOMES),
    count: z.number().int().nonnegative().optional(),
    /** Free-form, id-only details for admin events (e.g. `{"kind":"policy.change"}`). Never personal values. */
    detail: z.record(z.string(), z.unknown()).optional(),
    /** Machine-readable reason for a denial (an error code). */
    reason: z.string().max(64).optional(),
  })
  .strict();

export type AccessEvent = Readonly<z.infer<typeof accessEventSchema>>;

/**
 * The canonical bytes of a value: UTF-8 JSON, object keys sorted by code point, no spaces,
 * `undefined` members dropped. This is the ledger leaf (DESIGN.md).
 *
 * @example canonicalJson({ b: 1, a: [2, 'x'] }) === '{"a":[2,"x"],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}
