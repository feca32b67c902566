/**
 * One error type for all of Custos. Every error has a stable `code` (documented in docs/errors.md),
 * an HTTP status, and a message that says what to do. Messages carry ids, never personal data.
 */
export class CustosError extends Error {
  override readonly name = 'CustosError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

/** Type guard for CustosError (works across module copies by checking the shape). */
export function isCustosError(e: unknown): e is CustosError {
  return e instanceof CustosError;
}
