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

const ID = /^[A-Za-z0-9._:@-]{1,128}$/;
const TIME = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
const ACTIONS: ReadonlySet<unknown> = new Set(EVENT_ACTIONS);
const OUTCOMES: ReadonlySet<unknown> = new Set(EVENT_OUTCOMES);

/** Each member of the event format, true where it is required (what a leaf may and must hold). */
export const EVENT_MEMBERS: ReadonlyMap<string, boolean> = new Map(Object.entries(accessEventSchema.shape).map(([k, v]) => [k, !v.safeParse(undefined).success]));

const isId = (v: unknown): boolean => typeof v === 'string' && ID.test(v);
const isText = (v: unknown, min: number, max: number): boolean => typeof v === 'string' && v.length >= min && v.length <= max;
function isTime(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  const m = TIME.exec(v);
  if (m === null) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return month >= 1 && month <= 12 && day >= 1 && day <= days;
}
function isList(v: unknown, max: number, item: (x: unknown) => boolean): boolean {
  if (!Array.isArray(v) || v.length > max) return false;
  for (const x of v) if (!item(x)) return false;
  return true;
}
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null);

/**
 * Checks a value against the event format: exactly the rules of `accessEventSchema`, written out by hand
 * because this runs once per ledger append (zod costs more than the rest of the append path). The schema stays
 * the reference; a test holds the two to the same answers. Returns the first offending member, or undefined.
 */
export function eventProblem(v: unknown): string | undefined {
  if (!isPlainObject(v)) return '(event)';
  for (const k in v) if (!EVENT_MEMBERS.has(k)) return k;
  if (!isId(v['id'])) return 'id';
  if (!isTime(v['time'])) return 'time';
  if (!isId(v['actor'])) return 'actor';
  if (!ACTIONS.has(v['action'])) return 'action';
  if (!isText(v['system'], 1, 64)) return 'system';
  if (!isList(v['subjects'], 10_000, isId)) return 'subjects';
  if (!isList(v['fields'], 256, (x) => isText(x, 1, 64))) return 'fields';
  if (v['purpose'] !== undefined && !isText(v['purpose'], 1, 64)) return 'purpose';
  if (v['ticket'] !== undefined && !isId(v['ticket'])) return 'ticket';
  if (v['session'] !== undefined && !isId(v['session'])) return 'session';
  if (v['ip'] !== undefined && !isText(v['ip'], 0, 64)) return 'ip';
  if (v['device'] !== undefined && !isId(v['device'])) return 'device';
  if (!OUTCOMES.has(v['outcome'])) return 'outcome';
  const count = v['count'];
  if (count !== undefined && !(typeof count === 'number' && Number.isSafeInteger(count) && count >= 0)) return 'count';
  if (v['detail'] !== undefined && !isPlainObject(v['detail'])) return 'detail';
  if (v['reason'] !== undefined && !isText(v['reason'], 0, 64)) return 'reason';
  return undefined;
}

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

/**
 * The characters JSON.stringify writes escaped in a string: `"`, `\\`, controls, and surrogates (it escapes lone
 * ones; paired ones are left to it too). A string with none of them is written as is between quotes.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A member value: strings (nearly all of them, and nearly all plain ids) directly, anything else canonically. */
const q = (v: unknown): string => (typeof v === 'string' ? (NEEDS_ESCAPE.test(v) ? JSON.stringify(v) : `"${v}"`) : canonicalJson(v));
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

/**
 * `eventLeaf` and what it calls, as source text defining `canonicalJson`, `q`, `list` and `eventLeaf`: the
 * verification threads (verify-pool.ts) run it from this, so that they check leaves with exactly this code.
 */
export function eventLeafSource(): string {
  return `const canonicalJson = ${canonicalJson.toString()};\nconst NEEDS_ESCAPE = new RegExp(${JSON.stringify(NEEDS_ESCAPE.source)});\nconst q = ${q.toString()};\nconst list = ${list.toString()};\nconst eventLeaf = ${eventLeaf.toString()};\n`;
}
