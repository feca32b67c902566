/** Who is asking: one person, through a session (console) or an API token (applications). */
export interface Principal {
  readonly staffId: string;
  readonly name: string;
  readonly department: string;
  readonly role: string;
  readonly employment: string;
  readonly via: 'session' | 'token';
  /** Session id (not the secret) or API token id: goes on the ledger as `session`. */
  readonly sessionId: string;
  /** For cookie sessions: the CSRF token that state-changing requests must echo in `x-custos-csrf`. */
  readonly csrf?: string;
  readonly device?: string;
}

export interface StaffMember {
  readonly id: string;
  readonly name: string;
  readonly department: string;
  readonly role: string;
  readonly employment: string;
  readonly manager: string | null;
  readonly hired: string;
  readonly leaving: string | null;
  readonly status: string;
}

export type LoginResult =
  | { readonly ok: true; readonly token: string; readonly csrf: string; readonly expiresAt: Date; readonly principal: Principal }
  | { readonly ok: false; readonly reason: 'bad_credentials' | 'rate_limited' | 'suspended'; readonly staffId?: string; readonly retryAfterMs?: number };

/** Why a person may see a customer: assigned to them, or on one of their open tickets. */
export interface Relation {
  readonly assigned: boolean;
  readonly openTickets: readonly string[];
}
