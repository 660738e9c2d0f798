import fs from 'node:fs';
import path from 'node:path';
import {
  DefaultLogger,
  LockMode,
  MikroORM,
  type Dictionary,
  type EntityClass,
  type LogContext,
  type LoggerOptions,
  type MigrationObject,
  type Options,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { LibSqlDriver } from '@mikro-orm/libsql';
import { Migrator } from '@mikro-orm/migrations';
import { MySqlDriver } from '@mikro-orm/mysql';
import { Counter } from 'prom-client';
import { assert } from './assert';
import type { PlatformConfig } from './config';
import { MIGRATION_LOCK_TABLE, withMigrationLock } from './migration-lock';
import { ChangeTrackingEntityManager } from './read-cache/change-tags';
export { isLockConflict, retryingLockConflicts } from './lock-conflicts';
import { InboxMessage } from './messaging/inbox.entity';
import { OutboxMessage } from './messaging/outbox.entity';
import { TokenRevocation } from './auth/token-revocation.entity';

/** What a subgraph owns in the database: its tables and the migrations that build them on MySQL. */
export interface DatabaseSpec {
  /** Names the database (`<prefix>_<subgraph>`) and the ORM's context. */
  subgraph: string;
  entities: EntityClass<unknown>[];
  migrations: MigrationObject[];
  /** Whether the outbox and inbox tables belong here (every subgraph: yes; the bank simulator: no). */
  messaging?: boolean;
  /**
   * READ COMMITTED for every transaction on MySQL, set once per connection (the default is REPEATABLE
   * READ): for a database whose writes rest on conditional updates and unique keys, not on snapshots.
   * Per transaction it would be one more statement each time.
   */
  readCommitted?: boolean;
}

export type Database = MikroORM;
export type { EntityManager };
export type DatabaseKind = 'mysql' | 'libsql';

export function databaseKind(config: PlatformConfig): DatabaseKind {
  return config.database.url === undefined ? 'libsql' : 'mysql';
}

export function databaseName(config: PlatformConfig, subgraph: string): string {
  return `${config.database.namePrefix}_${subgraph}`;
}

/**
 * Where a SQL statement came from: a GraphQL request's EntityManager (or a fork of it), or anything else
 * (relay, consumers, jobs, metrics). Transaction control (begin, commit, rollback) carries no logger
 * context in MikroORM 6 and counts as background, as does raw SQL run without the EntityManager's context.
 */
export type SqlQuerySource = 'request' | 'background';

/** `wanxin_sql_queries_total{source}` on a subgraph's `/metrics`: every statement its ORM sends. */
export type SqlQueryCounter = Counter<'source'>;

/** Registered by the caller in its service's registry (one per ORM: five subgraphs may share a process). */
export function createSqlQueryCounter(): SqlQueryCounter {
  return new Counter({
    name: 'wanxin_sql_queries_total',
    help: "SQL statements sent to the database, by source: request (a GraphQL request's EntityManager) or background (everything else, transaction control included)",
    labelNames: ['source'],
    registers: [],
  });
}

/** The logger context a GraphQL request's EntityManager carries, so its statements count as `request`. */
export const REQUEST_LOGGER_CONTEXT: Readonly<Dictionary> = { sqlQuerySource: 'request' satisfies SqlQuerySource };

/**
 * MikroORM calls `logQuery` for every statement whether or not query logging is on (the default logger
 * then returns at once), and hands it the EntityManager's logger context: counting there costs one
 * counter increment per statement, so it is always on.
 */
class QueryCountingLogger extends DefaultLogger {
  constructor(
    options: LoggerOptions,
    private readonly queries: SqlQueryCounter,
  ) {
    super(options);
  }

  override logQuery(context: { query: string } & LogContext): void {
    this.queries.inc({ source: context.sqlQuerySource === 'request' ? 'request' : 'background' });
    super.logQuery(context);
  }
}

/** The MikroORM options for a subgraph; `open` and the migration tool share them. With `queries`, every statement is counted. */
export function databaseOptions(config: PlatformConfig, spec: DatabaseSpec, queries?: SqlQueryCounter): Options {
  const common: Options = {
    ...(queries === undefined
      ? {}
      : { loggerFactory: (options: LoggerOptions) => new QueryCountingLogger(options, queries) }),
    // Every subgraph has an outbox, an inbox and the token revocations (auth/revocations.ts) beside its own tables.
    entities:
      spec.messaging === false ? spec.entities : [...spec.entities, OutboxMessage, InboxMessage, TokenRevocation],
    extensions: [Migrator],
    // Notes writes that bypass the unit of work for the read cache (read-cache/change-tags).
    entityManager: ChangeTrackingEntityManager,
    schemaGenerator: { skipTables: [MIGRATION_LOCK_TABLE] },
    forceUtcTimezone: true,
    allowGlobalContext: false,
    // Five subgraphs may share a process (npm start): each ORM keeps its own async transaction context.
    contextName: spec.subgraph,
    migrations: {
      migrationsList: spec.migrations,
      // MySQL commits DDL implicitly, so a migration cannot be wrapped in a transaction; each one is
      // recorded only after all of its statements succeeded.
      transactional: false,
      snapshot: false,
      emit: 'ts',
    },
  };
  const url = config.database.url;
  if (url === undefined) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    return {
      ...common,
      driver: LibSqlDriver,
      dbName: path.join(config.dataDir, `${databaseName(config, spec.subgraph)}.db`),
    };
  }
  const serverUrl = new URL(url);
  serverUrl.protocol = 'mysql:';
  serverUrl.pathname = '';
  return {
    ...common,
    driver: MySqlDriver,
    clientUrl: serverUrl.toString(),
    dbName: databaseName(config, spec.subgraph),
    timezone: '+00:00',
    // A server on the same machine answers a Unix socket with less work per round trip than TCP loopback.
    ...(config.database.socketPath === undefined
      ? {}
      : { driverOptions: { connection: { socketPath: config.database.socketPath } } }),
    pool: {
      min: 0,
      max: config.database.poolMax,
      ...(spec.readCommitted === true ? { afterCreate: readCommittedSession } : {}),
    },
  };
}

function readCommittedSession(
  connection: { query(sql: string, done: (error: Error | null) => void): void },
  done: (error: Error | null, connection: unknown) => void,
): void {
  connection.query('set session transaction isolation level read committed', (error) => done(error, connection));
}

/**
 * MariaDB reports "no default" of a nullable column as the bare text NULL where MySQL gives SQL NULL.
 * MikroORM's MySQL helper would read it as the string 'NULL' and see every nullable text column as
 * changed. (String column defaults are avoided altogether: MikroORM compares them unquoted.)
 */
function readMariaDbDefaults(orm: Database): void {
  const helper = orm.em.getPlatform().getSchemaHelper() as unknown as {
    normalizeDefaultValue(value: string | null, length?: number): string | null;
  };
  const normalize = helper.normalizeDefaultValue.bind(helper);
  helper.normalizeDefaultValue = (value, length) => (value === 'NULL' ? null : normalize(value, length));
}

/** Connects without touching the schema; `createIfMissing: false` for tools that only inspect. */
export async function initDatabase(
  config: PlatformConfig,
  spec: DatabaseSpec,
  createIfMissing = true,
  queries?: SqlQueryCounter,
): Promise<Database> {
  const init = () => MikroORM.init({ ...databaseOptions(config, spec, queries), ensureDatabase: createIfMissing });
  let orm: Database;
  try {
    orm = await init();
  } catch (error) {
    // Replicas starting together race to create the database (MikroORM checks, then creates): the one
    // that lost finds it there the second time.
    if ((error as { errno?: number }).errno !== ER_DB_CREATE_EXISTS) throw error;
    orm = await init();
  }
  if (databaseKind(config) === 'mysql') readMariaDbDefaults(orm);
  return orm;
}

/** MySQL's "Can't create database; database exists". */
const ER_DB_CREATE_EXISTS = 1007;

/**
 * Opens a subgraph's database and brings its schema up to date: on MySQL the database is created if
 * missing and the committed migrations run; embedded SQLite is created from the entities.
 */
export async function openDatabase(
  config: PlatformConfig,
  spec: DatabaseSpec,
  queries?: SqlQueryCounter,
): Promise<Database> {
  assert(spec.entities.length > 0, `subgraph ${spec.subgraph} declares no entities`);
  const orm = await initDatabase(config, spec, true, queries);
  if (databaseKind(config) === 'mysql') {
    await withMigrationLock(forkEntityManager(orm), async () => {
      await orm.getMigrator().up();
    });
  } else {
    await updateEmbeddedSchema(orm, config);
  }
  return orm;
}

/**
 * Embedded SQLite has no migrations: its schema follows the entities, and a change SQLite cannot make in
 * place (a new NOT NULL column on a table with rows) stops the start with what to do, not a bare SQL error.
 */
async function updateEmbeddedSchema(orm: Database, config: PlatformConfig): Promise<void> {
  try {
    await orm.getSchemaGenerator().updateSchema({ safe: true });
  } catch (error) {
    await orm.close(true);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `the embedded database ${orm.config.get('dbName')} predates this version and cannot be updated in place ` +
        `(${reason}). It holds development data only: delete ${config.dataDir} and start again.`,
    );
  }
}

/**
 * A fresh EntityManager for one request, job pass or delivery: its own identity map, and no ambient
 * transaction picked up from the async context (a relay woken inside a request's commit must not run
 * in that request's transaction). `loggerContext` travels to every statement it (and its forks) sends.
 */
export function forkEntityManager(orm: Database, loggerContext?: Dictionary): EntityManager {
  return orm.em.fork({ disableContextResolution: true, loggerContext }) as EntityManager;
}

export async function isDatabaseReachable(orm: Database): Promise<boolean> {
  const check = await orm.checkConnection();
  return check.ok;
}

/**
 * Find options that lock the rows read until the transaction ends: `FOR UPDATE` on MySQL; SQLite
 * (embedded) has one writer at a time, so its transactions are serialised already.
 */
export function rowLockOptions(em: EntityManager): { lockMode?: LockMode.PESSIMISTIC_WRITE } {
  return em.getDriver() instanceof MySqlDriver ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {};
}
