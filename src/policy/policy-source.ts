/**
 * Compiling a policy file: bounded size, Cedar syntax, the schema (attribute names and types), one `@id` per
 * policy, no policy that names an individual person (policies speak of attributes; one person's exception is a
 * time-boxed grant), and what the policies refer to (which attributes and relations decide, which purposes exist).
 */
import { createHash } from 'node:crypto';
import { LEGAL_CATEGORIES, type LegalCategory } from '../catalog/index.js';
import { CustosError } from '../core/errors.js';
import { CEDAR_SCHEMA, RELATIONS, type RelationName } from './cedar-schema.js';
import { cedar } from './cedar-wasm.js';
import type { QuotaLimits } from './policy-types.js';

export const MAX_POLICY_BYTES = 256 * 1024;
export const MAX_POLICIES = 1000;

const POLICY_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

export interface PolicyInfo {
  readonly id: string;
  readonly effect: 'permit' | 'forbid';
  /** The policy's `@why("…")`: the reason in words a refusal or an explanation shows. */
  readonly why: string | null;
  /** Limits of a `@quota("customersPerDay=300, property=50")` annotation. */
  readonly quota: Partial<QuotaLimits> | null;
  /** Line of the policy in the file (1-based). */
  readonly line: number;
  readonly text: string;
}

export interface CompiledPolicy {
  readonly text: string;
  /** SHA-256 of the text (hex): the version's identity. */
  readonly hash: string;
  readonly policies: readonly PolicyInfo[];
  readonly byId: ReadonlyMap<string, PolicyInfo>;
  /** The policies as Cedar takes them, keyed by id. */
  readonly cedar: Readonly<Record<string, string>>;
  /** Attributes of the person and of the context any policy reads ('all' when a policy uses them as a whole). */
  readonly personAttributes: ReadonlySet<string> | 'all';
  readonly contextAttributes: ReadonlySet<string> | 'all';
  /** The relations any policy reads: only these vary the per-record table of a grant. */
  readonly relations: readonly RelationName[];
  /** Every purpose the policies name (`Purpose::"complaint"`). */
  readonly purposes: readonly string[];
}

interface CedarError {
  readonly message: string;
  readonly help: string | null;
  readonly sourceLocations?: readonly { readonly start: number }[];
}

function lineOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: offset - last };
}

function invalid(message: string, details: Record<string, unknown> = {}): CustosError {
  return new CustosError('CUSTOS_POLICY_INVALID', 400, message, details);
}

function describe(text: string, e: CedarError | undefined, offsetBase = 0): string {
  if (e === undefined) return 'unknown error';
  const at = e.sourceLocations?.[0];
  const where = at !== undefined ? (({ line, column }) => `line ${line}, column ${column}: `)(lineOf(text, offsetBase + at.start)) : '';
  return `${where}${e.message}${e.help !== null ? ` (${e.help})` : ''}`;
}

function parseQuota(id: string, raw: string): Partial<QuotaLimits> {
  let customersPerDay: number | undefined;
  let customersPerHour: number | undefined;
  const perCategoryPerDay: Partial<Record<LegalCategory, number>> = {};
  for (const item of raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0)) {
    const m = /^([A-Za-z_]+)\s*=\s*(\d{1,7})$/.exec(item);
    if (m === null) throw invalid(`Policy ${id}: @quota items are NAME=NUMBER separated by commas (got "${item.slice(0, 40)}").`, { policy: id });
    const [, key, value] = m as unknown as [string, string, string];
    const n = Number(value);
    if (key === 'customersPerDay') customersPerDay = n;
    else if (key === 'customersPerHour') customersPerHour = n;
    else if ((LEGAL_CATEGORIES as readonly string[]).includes(key)) perCategoryPerDay[key as LegalCategory] = n;
    else throw invalid(`Policy ${id}: unknown @quota item ${key.slice(0, 40)}; use customersPerDay, customersPerHour or a legal category (${LEGAL_CATEGORIES.join(', ')}).`, { policy: id });
  }
  return { ...(customersPerDay !== undefined ? { customersPerDay } : {}), ...(customersPerHour !== undefined ? { customersPerHour } : {}), perCategoryPerDay };
}

interface Refs {
  readonly person: Set<string>;
  readonly context: Set<string>;
  readonly relations: Set<string>;
  readonly purposes: Set<string>;
  personAll: boolean;
  contextAll: boolean;
  relationsAll: boolean;
  namesPerson: boolean;
}

type Json = null | boolean | number | string | readonly Json[] | { readonly [k: string]: Json };

const isObj = (v: Json | undefined): v is { readonly [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);
const varOf = (v: Json | undefined): string | undefined => (isObj(v) && typeof v['Var'] === 'string' ? v['Var'] : undefined);
const firstAttr = (a: Json | undefined): string | undefined => (typeof a === 'string' ? a : Array.isArray(a) && typeof a[0] === 'string' ? a[0] : undefined);

/** Walks a policy's JSON form: which attributes it reads, which purposes and people it names. */
function collect(node: Json | undefined, refs: Refs): void {
  if (Array.isArray(node)) {
    for (const n of node as readonly Json[]) collect(n, refs);
    return;
  }
  if (!isObj(node)) return;
  for (const op of ['.', 'has']) {
    const access = node[op];
    if (!isObj(access)) continue;
    const left = access['left'];
    const attr = firstAttr(access['attr']);
    const v = varOf(left);
    if (attr !== undefined && v === 'principal') {
      refs.person.add(attr);
      return;
    }
    if (attr !== undefined && v === 'context') {
      refs.context.add(attr);
      if (attr === 'relation' && op === '.') refs.relationsAll = true;
      return;
    }
    if (attr !== undefined && isObj(left) && isObj(left['.']) && varOf(left['.']['left']) === 'context' && left['.']['attr'] === 'relation') {
      refs.context.add('relation');
      refs.relations.add(attr);
      return;
    }
  }
  const v = varOf(node);
  if (v === 'principal') refs.personAll = true;
  if (v === 'context') {
    refs.contextAll = true;
    refs.relationsAll = true;
  }
  const entity = node['__entity'] ?? node['entity'];
  if (isObj(entity) && typeof entity['type'] === 'string') {
    if (entity['type'] === 'Person') refs.namesPerson = true;
    if (entity['type'] === 'Purpose' && typeof entity['id'] === 'string') refs.purposes.add(entity['id']);
  }
  if (isObj(node) && node['type'] === 'Person' && typeof node['id'] === 'string') refs.namesPerson = true;
  if (isObj(node) && node['type'] === 'Purpose' && typeof node['id'] === 'string') refs.purposes.add(node['id']);
  for (const k of Object.keys(node)) collect(node[k], refs);
}

/** A policy version's identity: SHA-256 of its text (hex), what `compilePolicy(text).hash` is, without compiling. */
export function policyHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Compiles a policy file, or throws `CUSTOS_POLICY_INVALID` (400) naming the line and what is wrong, or
 * `CUSTOS_POLICY_TOO_LARGE` (413).
 *
 * @example
 * const compiled = compilePolicy(readFileSync('policies/default.cedar', 'utf8'));
 * compiled.policies.map((p) => p.id); // ['svc-view-assigned', …]
 */
export function compilePolicy(text: string): CompiledPolicy {
  if (typeof text !== 'string') throw invalid('A policy is UTF-8 text.');
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_POLICY_BYTES) throw new CustosError('CUSTOS_POLICY_TOO_LARGE', 413, `The policy file is ${bytes} bytes; the limit is ${MAX_POLICY_BYTES}. Split rarely used rules out or shorten them.`, { bytes, limit: MAX_POLICY_BYTES });
  const c = cedar();
  const parsed = c.checkParsePolicySet({ staticPolicies: text });
  if (parsed.type === 'failure') throw invalid(`The policy file does not parse: ${describe(text, parsed.errors[0])}.`);
  const parts = c.policySetTextToParts(text);
  if (parts.type === 'failure') throw invalid(`The policy file does not parse: ${describe(text, parts.errors[0])}.`);
  if (parts.policy_templates.length > 0) throw invalid('Policy templates are not supported: write each policy out.');
  if (parts.policies.length === 0) throw invalid('The policy file holds no policy; everything would be denied. Write at least one permit.');
  if (parts.policies.length > MAX_POLICIES) throw invalid(`The policy file holds ${parts.policies.length} policies; the limit is ${MAX_POLICIES}.`);

  const refs: Refs = { person: new Set(), context: new Set(), relations: new Set(), purposes: new Set(), personAll: false, contextAll: false, relationsAll: false, namesPerson: false };
  const policies: PolicyInfo[] = [];
  const byId = new Map<string, PolicyInfo>();
  const cedarSet: Record<string, string> = {};
  let cursor = 0;
  parts.policies.forEach((part, index) => {
    const at = text.indexOf(part.slice(0, 40), cursor);
    if (at >= 0) cursor = at + 1;
    const line = at >= 0 ? lineOf(text, at).line : 1;
    const json = c.policyToJson(part);
    if (json.type === 'failure') throw invalid(`Policy ${index + 1} (line ${line}): ${describe(part, json.errors[0])}.`);
    const ann = json.json.annotations ?? {};
    const id = ann['id'];
    if (id === undefined || !POLICY_ID.test(id)) throw invalid(`The policy at line ${line} needs an @id("…") of lower-case letters, digits and dashes (at most 64), so decisions can name it.`, { line });
    if (byId.has(id)) throw invalid(`Two policies have the id ${id} (line ${byId.get(id)!.line} and line ${line}); ids must be unique.`, { policy: id, line });
    const before = refs.namesPerson;
    collect(json.json as unknown as Json, refs);
    if (refs.namesPerson && !before) throw invalid(`Policy ${id} (line ${line}) names an individual person; policies speak of attributes (role, department, …). Give one person access with a time-boxed grant.`, { policy: id, line });
    const info: PolicyInfo = {
      id,
      effect: json.json.effect,
      why: ann['why'] ?? null,
      quota: ann['quota'] !== undefined ? parseQuota(id, ann['quota']) : null,
      line,
      text: part,
    };
    if (info.quota !== null && info.effect !== 'permit') throw invalid(`Policy ${id} (line ${line}): a @quota belongs on a permit.`, { policy: id });
    policies.push(info);
    byId.set(id, info);
    cedarSet[id] = part;
  });

  const validated = c.validate({ schema: CEDAR_SCHEMA, policies: { staticPolicies: text }, validationSettings: { mode: 'strict' } });
  if (validated.type === 'failure') throw invalid(`The policy file cannot be checked: ${describe(text, validated.errors[0])}.`);
  const first = validated.validationErrors[0];
  if (first !== undefined) {
    const n = /^policy(\d+)$/.exec(first.policyId);
    const p = n !== null ? policies[Number(n[1])] : undefined;
    throw invalid(`Policy ${p?.id ?? first.policyId}: ${describe(text, first.error)}.`, { policy: p?.id ?? first.policyId });
  }

  return {
    text,
    hash: policyHash(text),
    policies,
    byId,
    cedar: cedarSet,
    personAttributes: refs.personAll ? 'all' : refs.person,
    contextAttributes: refs.contextAll ? 'all' : refs.context,
    relations: refs.relationsAll ? RELATIONS : RELATIONS.filter((r) => refs.relations.has(r)),
    purposes: [...refs.purposes].sort(),
  };
}
