import type { CompiledQuery, QueryResult } from 'kysely';

interface Executor {
  executeQuery<R>(query: CompiledQuery<R>): Promise<QueryResult<R>>;
}

interface Compilable<R> {
  compile(): CompiledQuery<R>;
}

/**
 * A query built and compiled once, run many times with new parameter values: the builder is called with
 * placeholder objects, and each run swaps them for the real values. Kysely otherwise rebuilds and recompiles
 * the same SQL text on every call, which on the record-view path costs more than running the query.
 * Only values passed to `build` vary; each must be used as a single scalar value (not spread into `in`).
 *
 * @example const byId = prepare(db, (id: string) => db.selectFrom('staff').selectAll().where('id', '=', id));
 *          const rows = await byId('u0001');
 */
export function prepare<A extends unknown[], R>(db: Executor, build: (...args: A) => Compilable<R>, arity = build.length): (...args: A) => Promise<R[]> {
  const holders = Array.from({ length: arity }, (_, i) => ({ placeholder: i }));
  const compiled = build(...(holders as unknown as A)).compile();
  const slots = compiled.parameters.map((p) => holders.indexOf(p as { placeholder: number }));
  for (let i = 0; i < arity; i++) {
    if (slots.filter((s) => s === i).length !== 1) throw new Error(`prepare: argument ${i} must appear exactly once in the query`);
  }
  return async (...args: A) => {
    const parameters = compiled.parameters.map((p, i) => (slots[i]! >= 0 ? args[slots[i]!] : p));
    const result = await db.executeQuery<R>({ ...compiled, parameters });
    return result.rows;
  };
}
