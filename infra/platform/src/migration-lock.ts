import { newId } from './ids';
import { retryingLockConflicts } from './lock-conflicts';
import type { EntityManager } from '@mikro-orm/knex';

// Replicas of a subgraph started together each bring its database up to date; without a lock two of them
// would run one migration twice (MySQL commits DDL at once: the second fails on a table that exists). The
// lock is a row, not GET_LOCK: Galera does not replicate GET_LOCK, while two nodes inserting the row at once
// conflict at certification (1213), which is retried like a deadlock, and one of them holds it.

/** Past its lease a holder that died migrating no longer keeps the others waiting. */
export const MIGRATION_LOCK_LEASE_SECONDS = 300;
/** How long a replica waits for another one's migrations before it gives up (and its supervisor restarts it). */
export const MIGRATION_LOCK_WAIT_MAX_MS = 600_000;
const MIGRATION_LOCK_POLL_MS = 250;

/** Not an entity: the schema diff and the migration generator leave it alone (db.ts, `skipTables`). */
export const MIGRATION_LOCK_TABLE = 'migration_lock';

const CREATE_LOCK_TABLE =
  `create table if not exists ${MIGRATION_LOCK_TABLE} ` +
  '(id tinyint primary key, holder varchar(36) not null, expires_at datetime(3) not null)';
// Assignments run left to right: `holder` is taken over only when the lease ran out, and the lease is
// renewed only for the holder it now names.
const TAKE_LOCK =
  'insert into migration_lock (id, holder, expires_at) values (1, ?, now(3) + interval ? second) ' +
  'on duplicate key update holder = if(expires_at < now(3), values(holder), holder), ' +
  'expires_at = if(holder = values(holder), values(expires_at), expires_at)';

async function run(em: EntityManager, sql: string, params: readonly unknown[] = []): Promise<unknown> {
  return em.getConnection().execute(sql, [...params], 'run');
}

async function lockHolder(em: EntityManager, holder: string): Promise<string | undefined> {
  return retryingLockConflicts(async () => {
    await run(em, TAKE_LOCK, [holder, MIGRATION_LOCK_LEASE_SECONDS]);
    const rows = (await em.getConnection().execute('select holder from migration_lock where id = 1')) as {
      holder: string;
    }[];
    return rows[0]?.holder;
  });
}

/** Runs `migrate` while this process holds the database's migration lock (MySQL/MariaDB, Galera included). */
export async function withMigrationLock(em: EntityManager, migrate: () => Promise<void>): Promise<void> {
  await run(em, CREATE_LOCK_TABLE);
  const holder = newId();
  const deadline = Date.now() + MIGRATION_LOCK_WAIT_MAX_MS;
  while ((await lockHolder(em, holder)) !== holder) {
    if (Date.now() >= deadline)
      throw new Error(`another replica held the migration lock for ${MIGRATION_LOCK_WAIT_MAX_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, MIGRATION_LOCK_POLL_MS));
  }
  try {
    await migrate();
  } finally {
    await run(em, 'delete from migration_lock where id = 1 and holder = ?', [holder]);
  }
}
