/**
 * store: Custos's own database (Kysely over better-sqlite3 or PostgreSQL), its migrations, and the demo
 * data source's schema. Other capabilities import only from this file.
 */
export { openDatabase, dropPostgresSchema, type DatabaseLocation } from './database.js';
export { migrateStore, migrateSource, ping } from './migrations.js';
export type * from './store-types.js';
export { prepare } from './prepared.js';
