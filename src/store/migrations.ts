import { type Kysely, type Migration, type MigrationProvider, Migrator, PostgresAdapter, sql } from 'kysely';

/** Custos store migrations, in order. Dialect-neutral: ISO-8601 text for times. */
const STORE_MIGRATIONS: Record<string, Migration> = {
  '0001_identity': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('staff')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('department', 'varchar(64)', (c) => c.notNull())
        .addColumn('role', 'varchar(64)', (c) => c.notNull())
        .addColumn('employment', 'varchar(32)', (c) => c.notNull())
        .addColumn('manager', 'varchar(64)')
        .addColumn('hired', 'varchar(32)', (c) => c.notNull())
        .addColumn('leaving', 'varchar(32)')
        .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('active'))
        .execute();
      await db.schema
        .createTable('credentials')
        .addColumn('staff_id', 'varchar(64)', (c) => c.primaryKey().references('staff.id'))
        .addColumn('password_hash', 'varchar(256)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('api_tokens')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('staff_id', 'varchar(64)', (c) => c.notNull().references('staff.id'))
        .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('label', 'varchar(100)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('revoked_at', 'varchar(32)')
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('staff_id', 'varchar(64)', (c) => c.notNull().references('staff.id'))
        .addColumn('csrf', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('ip', 'varchar(64)')
        .addColumn('device', 'varchar(128)')
        .execute();
      await db.schema
        .createTable('assignments')
        .addColumn('staff_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('customer_id', 'varchar(64)', (c) => c.notNull())
        .addPrimaryKeyConstraint('assignments_pk', ['staff_id', 'customer_id'])
        .execute();
      await db.schema.createIndex('assignments_customer').on('assignments').column('customer_id').execute();
      await db.schema
        .createTable('tickets')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('assignee', 'varchar(64)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('opened_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('closed_at', 'varchar(32)')
        .addColumn('system', 'varchar(64)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tickets_assignee').on('tickets').columns(['assignee', 'status']).execute();
      await db.schema
        .createTable('ticket_subjects')
        .addColumn('ticket_id', 'varchar(64)', (c) => c.notNull().references('tickets.id'))
        .addColumn('customer_id', 'varchar(64)', (c) => c.notNull())
        .addPrimaryKeyConstraint('ticket_subjects_pk', ['ticket_id', 'customer_id'])
        .execute();
      await db.schema.createIndex('ticket_subjects_customer').on('ticket_subjects').column('customer_id').execute();
      await db.schema
        .createTable('meta')
        .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['meta', 'ticket_subjects', 'tickets', 'assignments', 'sessions', 'api_tokens', 'credentials', 'staff']) {
        await db.schema.dropTable(t).execute();
      }
    },
  },
  '0002_alerts': {
    async up(db: Kysely<unknown>) {
      // Alerts raised by live detection; ids and event ids only, never personal values.
      await db.schema
        .createTable('alerts')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('time', 'varchar(32)', (c) => c.notNull())
        .addColumn('actor', 'varchar(128)', (c) => c.notNull())
        .addColumn('detector', 'varchar(32)', (c) => c.notNull())
        .addColumn('severity', 'varchar(16)', (c) => c.notNull())
        .addColumn('score', 'double precision', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('events', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull().defaultTo('open'))
        .addColumn('assignee', 'varchar(64)')
        .addColumn('resolution', 'varchar(500)')
        .addColumn('raised_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alerts_status_time').on('alerts').columns(['status', 'time']).execute();
      await db.schema.createIndex('alerts_actor_time').on('alerts').columns(['actor', 'time']).execute();
      // Live responses in force against a person (throttle, suspend); lifted, never deleted.
      await db.schema
        .createTable('holds')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('staff_id', 'varchar(128)', (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('alert_id', 'varchar(64)')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('until', 'varchar(32)')
        .addColumn('lifted_at', 'varchar(32)')
        .addColumn('lifted_by', 'varchar(128)')
        .execute();
      await db.schema.createIndex('holds_staff').on('holds').columns(['staff_id', 'lifted_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('holds').execute();
      await db.schema.dropTable('alerts').execute();
    },
  },
  '0003_quota': {
    async up(db: Kysely<unknown>) {
      // Quota counters of the embedded store: one row per (person-window-category bucket, customer id).
      await db.schema
        .createTable('quota_seen')
        .addColumn('bucket', 'varchar(240)', (c) => c.notNull())
        .addColumn('subject', 'varchar(128)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('quota_seen_pk', ['bucket', 'subject'])
        .execute();
      await db.schema.createIndex('quota_seen_expiry').on('quota_seen').column('expires_at').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('quota_seen').execute();
    },
  },
  '0004_access_requests': {
    async up(db: Kysely<unknown>) {
      // Requests to reveal fields or export records, their approval, and the time-boxed grant they become.
      await db.schema
        .createTable('access_requests')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('requester', 'varchar(128)', (c) => c.notNull())
        .addColumn('subjects', 'text', (c) => c.notNull())
        .addColumn('fields', 'text', (c) => c.notNull())
        .addColumn('purpose', 'varchar(64)', (c) => c.notNull())
        .addColumn('ticket', 'varchar(128)')
        .addColumn('reason', 'varchar(1000)', (c) => c.notNull())
        .addColumn('format', 'varchar(8)')
        .addColumn('break_glass', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('approver', 'varchar(128)')
        .addColumn('decision_reason', 'varchar(1000)')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('decided_at', 'varchar(32)')
        .addColumn('expires_at', 'varchar(32)')
        .addColumn('used_at', 'varchar(32)')
        .addColumn('reviewed_by', 'varchar(128)')
        .addColumn('reviewed_at', 'varchar(32)')
        .execute();
      await db.schema.createIndex('access_requests_requester').on('access_requests').columns(['requester', 'status']).execute();
      await db.schema.createIndex('access_requests_status').on('access_requests').columns(['status', 'created_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('access_requests').execute();
    },
  },
  '0005_cases': {
    async up(db: Kysely<unknown>) {
      // Investigations: from a complaint, alerts, a canary hit or a traced file to findings and notices.
      await db.schema
        .createTable('cases')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('source', 'varchar(16)', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('opened_by', 'varchar(128)', (c) => c.notNull())
        .addColumn('assignee', 'varchar(128)')
        .addColumn('subjects', 'text', (c) => c.notNull())
        .addColumn('window_from', 'varchar(32)', (c) => c.notNull())
        .addColumn('window_to', 'varchar(32)', (c) => c.notNull())
        .addColumn('intake', 'text', (c) => c.notNull())
        .addColumn('findings', 'text')
        .addColumn('reply', 'text')
        .addColumn('opened_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('closed_at', 'varchar(32)')
        .execute();
      await db.schema.createIndex('cases_status').on('cases').columns(['status', 'opened_at']).execute();
      await db.schema
        .createTable('case_notes')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('case_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('author', 'varchar(128)', (c) => c.notNull())
        .addColumn('time', 'varchar(32)', (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('case_notes_case').on('case_notes').columns(['case_id', 'time']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('case_notes').execute();
      await db.schema.dropTable('cases').execute();
    },
  },
  '0013_policy_versions': {
    async up(db: Kysely<unknown>) {
      // Versions of the access policy (src/policy): append-only, numbered 1, 2, …; each with its diff to the previous.
      await db.schema
        .createTable('policy_versions')
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('hash', 'varchar(64)', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('author', 'varchar(128)', (c) => c.notNull())
        .addColumn('message', 'varchar(500)', (c) => c.notNull())
        .addColumn('saved_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('diff', 'text', (c) => c.notNull())
        .addColumn('restored_from', 'integer')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('policy_versions').execute();
    },
  },
  '0014_canaries': {
    async up(db: Kysely<unknown>) {
      // Canary (honeytoken) people, kept here so that the company's own database is never written.
      await db.schema
        .createTable('canaries')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('audience', 'varchar(160)', (c) => c.notNull())
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('mobile', 'varchar(32)', (c) => c.notNull())
        .addColumn('id_number', 'varchar(32)', (c) => c.notNull())
        .addColumn('bank_card', 'varchar(32)', (c) => c.notNull())
        .addColumn('address', 'varchar(400)', (c) => c.notNull())
        .addColumn('email', 'varchar(200)', (c) => c.notNull())
        .addColumn('balance', 'bigint', (c) => c.notNull())
        .addColumn('employer', 'varchar(200)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('created_by', 'varchar(128)', (c) => c.notNull())
        .execute();
      for (const column of ['audience', 'mobile', 'id_number', 'bank_card', 'email', 'name', 'address']) {
        await db.schema.createIndex(`canaries_${column}`).on('canaries').column(column).execute();
      }
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('canaries').execute();
    },
  },
  '0015_case_severity': {
    async up(db: Kysely<unknown>) {
      // Cases: what the investigator entered for severity and the reporting clock, when the report was made,
      // versioned notices, and the deadline reminders sent (each once, across restarts).
      await db.schema.alterTable('cases').addColumn('severity_input', 'text').execute();
      await db.schema.alterTable('cases').addColumn('reported_at', 'varchar(32)').execute();
      await db.schema
        .createTable('case_notices')
        .addColumn('case_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('audience', 'varchar(16)', (c) => c.notNull())
        .addColumn('lang', 'varchar(8)', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('sections', 'text', (c) => c.notNull())
        .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
        .addColumn('author', 'varchar(128)', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addPrimaryKeyConstraint('case_notices_pk', ['case_id', 'audience', 'lang', 'version'])
        .execute();
      await db.schema
        .createTable('case_reminders')
        .addColumn('case_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('stage', 'varchar(16)', (c) => c.notNull())
        .addColumn('deadline', 'varchar(32)', (c) => c.notNull())
        .addColumn('sent_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('delivered', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('case_reminders_pk', ['case_id', 'stage', 'deadline'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('case_reminders').execute();
      await db.schema.dropTable('case_notices').execute();
      await db.schema.alterTable('cases').dropColumn('reported_at').execute();
      await db.schema.alterTable('cases').dropColumn('severity_input').execute();
    },
  },
};

/** The demo source (customer table) migrations. */
const SOURCE_MIGRATIONS: Record<string, Migration> = {
  '0001_customers': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('customers')
        .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('mobile', 'varchar(20)', (c) => c.notNull())
        .addColumn('id_number', 'varchar(18)', (c) => c.notNull())
        .addColumn('bank_card', 'varchar(19)', (c) => c.notNull())
        .addColumn('address', 'varchar(200)', (c) => c.notNull())
        .addColumn('email', 'varchar(100)', (c) => c.notNull())
        .addColumn('balance', 'bigint', (c) => c.notNull())
        .addColumn('employer', 'varchar(200)', (c) => c.notNull())
        .execute();
      // Exact-match search paths (gateway): phone, name, ID number.
      await db.schema.createIndex('customers_mobile').on('customers').column('mobile').execute();
      await db.schema.createIndex('customers_name').on('customers').column('name').execute();
      await db.schema.createIndex('customers_id_number').on('customers').column('id_number').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('customers').execute();
    },
  },
  '0002_trace_indexes': {
    async up(db: Kysely<unknown>) {
      // Leak tracing resolves leaked rows to customers by card and e-mail too.
      await db.schema.createIndex('customers_bank_card').on('customers').column('bank_card').execute();
      await db.schema.createIndex('customers_email').on('customers').column('email').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('customers_email').execute();
      await db.schema.dropIndex('customers_bank_card').execute();
    },
  },
};

function provider(migrations: Record<string, Migration>): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations) };
}

async function migrate(db: Kysely<unknown>, migrations: Record<string, Migration>, table: string): Promise<void> {
  // On PostgreSQL, look for the migration tables in this connection's schema only: Kysely otherwise takes a
  // table of the same name in any schema of the database (another store's) as this store's.
  const schema = db.getExecutor().adapter instanceof PostgresAdapter ? (await sql<{ s: string }>`select current_schema() as s`.execute(db)).rows[0]?.s : undefined;
  const migrator = new Migrator({
    db,
    ...(schema !== undefined ? { migrationTableSchema: schema } : {}),
    provider: provider(migrations),
    migrationTableName: `${table}_migrations`,
    migrationLockTableName: `${table}_migrations_lock`,
  });
  const { error } = await migrator.migrateToLatest();
  if (error !== undefined) throw error instanceof Error ? error : new Error('database migration failed', { cause: error });
}

/** Brings Custos's own store to the latest schema. */
export function migrateStore<T>(db: Kysely<T>): Promise<void> {
  return migrate(db as unknown as Kysely<unknown>, STORE_MIGRATIONS, 'custos');
}

/** Brings the demo data source to the latest schema. */
export function migrateSource<T>(db: Kysely<T>): Promise<void> {
  return migrate(db as unknown as Kysely<unknown>, SOURCE_MIGRATIONS, 'source');
}

/** A cheap round trip, for /healthz. */
export async function ping<T>(db: Kysely<T>): Promise<void> {
  await sql`select 1`.execute(db);
}
