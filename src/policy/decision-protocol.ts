/** The messages between a server and its decision process (decision-process.ts, decision-child.ts). */
import type { PolicyTestFile } from './policy-tests.js';
import type { FieldAttributes, PersonAttributes, PolicyRequest, RequestContext } from './policy-types.js';

interface PolicyScope {
  readonly id: number;
  /** The policy text (the child keeps the engines of the last few it saw, by hash). */
  readonly policy: string;
  readonly fields: readonly FieldAttributes[];
  readonly dataset: string;
}

export type DecisionRequest =
  | (PolicyScope & { readonly op: 'grant' | 'default'; readonly person: PersonAttributes; readonly context: RequestContext })
  | (PolicyScope & { readonly op: 'decide'; readonly request: PolicyRequest })
  | { readonly id: number; readonly op: 'tests'; readonly policy: string; readonly tests: PolicyTestFile }
  | { readonly id: number; readonly op: 'ping' };

export type DecisionReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly code: string; readonly status: number; readonly message: string; readonly details?: Readonly<Record<string, unknown>> };

/** A request without its id (the parent numbers them). */
export type DecisionCall = DecisionRequest extends infer R ? (R extends { readonly id: number } ? Omit<R, 'id'> : never) : never;
