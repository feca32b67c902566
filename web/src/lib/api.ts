/**
 * The console's only way to the server: same-origin fetch with the session cookie and the CSRF header.
 * Search keys travel in POST bodies, never in URLs; nothing is kept in browser storage; errors carry the
 * server's code and message (which never quote personal values) and nothing is reported anywhere else.
 */

export interface Me {
  readonly id: string;
  readonly name: string;
  readonly role: string;
  readonly department: string;
  readonly employment: string;
  readonly csrf?: string;
}

export interface Watermark {
  readonly viewCode: string;
  readonly lines: readonly string[];
}

export interface SubjectView {
  readonly id: string;
  readonly fields: Readonly<Record<string, string | number>>;
  readonly masked: readonly string[];
}

export interface Page {
  readonly items: readonly SubjectView[];
  readonly next: string | null;
  readonly watermark?: Watermark;
}

export interface Meter {
  readonly used: number;
  readonly limit: number;
}

export interface QuotaMeter {
  readonly day: string;
  readonly customersToday: Meter;
  readonly customersThisHour: Meter;
  readonly categoriesToday: Readonly<Record<string, Meter>>;
}

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ALERT_STATUSES = ['open', 'assigned', 'dismissed', 'case'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface Alert {
  readonly id: string;
  readonly time: string;
  readonly actor: string;
  readonly detector: string;
  readonly severity: Severity;
  readonly score: number;
  readonly summary: string;
  readonly events: readonly string[];
  readonly status: AlertStatus;
  readonly assignee: string | null;
  readonly resolution: string | null;
  readonly raisedAt: string;
  readonly updatedAt: string;
}

export interface Hold {
  readonly id: string;
  readonly staffId: string;
  readonly kind: 'throttle' | 'suspend';
  readonly alertId: string | null;
  readonly createdAt: string;
  readonly until: string | null;
}

/** An access event as the ledger holds it (ids only, DESIGN.md). */
export interface AccessEvent {
  readonly id: string;
  readonly time: string;
  readonly actor: string;
  readonly action: string;
  readonly system: string;
  readonly subjects: readonly string[];
  readonly fields: readonly string[];
  readonly purpose?: string;
  readonly ticket?: string;
  readonly outcome: string;
  readonly count?: number;
  readonly reason?: string;
  readonly detail?: unknown;
}

export interface LedgerItem {
  readonly index: number;
  readonly event: AccessEvent;
}

export interface Checkpoint {
  readonly origin: string;
  readonly size: number;
  /** Base64 root hash. */
  readonly root: string;
  readonly note: string;
}

export interface InclusionProof {
  readonly index: number;
  readonly size: number;
  readonly leafHash: string;
  readonly root: string;
  readonly proof: readonly string[];
}

export interface ConsistencyProof {
  readonly from: number;
  readonly to: number;
  readonly fromRoot: string;
  readonly toRoot: string;
  readonly proof: readonly string[];
}

export interface ResolvedView {
  readonly index: number;
  readonly event: AccessEvent;
  readonly checkpoint: Checkpoint;
  readonly proof: InclusionProof;
}

/** A refusal or failure from the server: its stable code and its message (no personal values in either). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

let csrf: string | undefined;

/** Dispatched on `window` when the server no longer knows the session. */
export const SIGNED_OUT = 'custos:signed-out';

/** Remembers the session's CSRF value in memory only (never in storage). */
export function setCsrf(value: string | undefined): void {
  csrf = value;
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf !== undefined) headers['x-custos-csrf'] = csrf;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, credentials: 'same-origin', cache: 'no-store', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  } catch {
    throw new ApiError('CUSTOS_NETWORK', 'The server did not answer.', 0);
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => undefined)) as unknown;
  if (!res.ok) {
    // A session that ended (expired, stepped up, suspended) sends the console back to its sign-in page.
    if (res.status === 401 && path !== '/api/v1/me' && path !== '/api/v1/session') window.dispatchEvent(new Event(SIGNED_OUT));
    const err = (data as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(err?.code ?? `HTTP_${res.status}`, err?.message ?? res.statusText, res.status);
  }
  return data as T;
}

/** A query string of ids and filters (never personal values: those go in POST bodies). */
export function query(params: Readonly<Record<string, string | number | undefined>>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s === '' ? '' : `?${s}`;
}
