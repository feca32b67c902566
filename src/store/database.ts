import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';

/** Where a Kysely database lives. */
export type DatabaseLocation =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string };

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens a Kysely database on SQLite (WAL, foreign keys on) or PostgreSQL (a pool; with `schema`, every
 * connection's search_path is that schema, created if missing).
 *
 * @example const db = await openDatabase<StoreSchema>({ kind: 'sqlite', file: 'data/custos.db' });
 */
export async function openDatabase<T>(location: DatabaseLocation): Promise<Kysely<T>> {
  if (location.kind === 'sqlite') {
    if (location.file !== ':memory:') mkdirSync(dirname(location.file), { recursive: true });
    const sqlite = new SQLite(location.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    return new Kysely<T>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  }
  const schema = location.schema;
  if (schema !== undefined) {
    if (!SCHEMA_NAME.test(schema)) throw new RangeError('PostgreSQL schema names are [a-z_][a-z0-9_]*');
    const admin = new pg.Client({ connectionString: location.url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: location.url,
    max: 10,
    ...(schema !== undefined ? { options: `-c search_path="${schema}"` } : {}),
  });
  return new Kysely<T>({ dialect: new PostgresDialect({ pool }) });
}

const STATEMENT_CACHE = 256;

/**
 * Kysely's SQLite driver prepares every query anew, which costs more than running it. The queries Custos
 * issues come from a small fixed set of shapes, so prepared statements are kept (bounded, least recently
 * used first out). A statement still iterating a stream is never handed out twice.
 */
function withStatementCache(db: SQLite.Database): { close(): void; prepare(sql: string): SQLite.Statement } {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare: (sql: string) => {
      const hit = cache.get(sql);
      if (hit !== undefined && !hit.busy) {
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = db.prepare(sql);
      if (hit === undefined) {
        cache.set(sql, stmt);
        if (cache.size > STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
  };
}

/** Drops a PostgreSQL schema and everything in it (tests clean up with this). */
export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new RangeError('PostgreSQL schema names are [a-z_][a-z0-9_]*');
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.end();
  }
}
