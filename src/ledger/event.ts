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

/** A member value: strings (nearly all of them) directly, anything else canonically. */
const q = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : canonicalJson(v));
const list = (xs: readonly string[]): string => {
  let out = '[';
  for (let i = 0; i < xs.length; i++) out += (i === 0 ? '' : ',') + q(xs[i]);
  return `${out}]`;
};

/**
 * The leaf of an event: `canonicalJson(event)`, written out member by member in sorted key order, which is
 * several times faster on the append path. Members the event format does not define are left out, so for a
 * parsed leaf, `eventLeaf(parsed) === leaf` holds exactly when the leaf is canonical and has only defined
 * members (the verifier relies on this).
 */
export function eventLeaf(e: AccessEvent): string {
  let s = `{"action":${q(e.action)},"actor":${q(e.actor)}`;
  if (e.count !== undefined) s += `,"count":${q(e.count)}`;
  if (e.detail !== undefined) s += `,"detail":${q(e.detail)}`;
  if (e.device !== undefined) s += `,"device":${q(e.device)}`;
  s += `,"fields":${Array.isArray(e.fields) ? list(e.fields) : canonicalJson(e.fields)},"id":${q(e.id)}`;
  if (e.ip !== undefined) s += `,"ip":${q(e.ip)}`;
  s += `,"outcome":${q(e.outcome)}`;
  if (e.purpose !== undefined) s += `,"purpose":${q(e.purpose)}`;
  if (e.reason !== undefined) s += `,"reason":${q(e.reason)}`;
  if (e.session !== undefined) s += `,"session":${q(e.session)}`;
  s += `,"subjects":${Array.isArray(e.subjects) ? list(e.subjects) : canonicalJson(e.subjects)},"system":${q(e.system)}`;
  if (e.ticket !== undefined) s += `,"ticket":${q(e.ticket)}`;
  return `${s},"time":${q(e.time)}}`;
}
