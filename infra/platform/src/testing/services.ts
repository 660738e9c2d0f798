import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import amqp from 'amqplib';
import mysql from 'mysql2/promise';
import { brokerNames } from '../messaging/transport';
import { SUBGRAPH_NAMES } from '../subgraph';
import { readPlatformConfig, loadConfig, type PlatformConfig } from '../config';
import { openDatabase, type Database, type DatabaseKind, type DatabaseSpec } from '../db';
import { assert } from '../assert';

/** CI sets REQUIRE_SERVICES=1: a suite that needs MariaDB or RabbitMQ then fails instead of skipping. */
export function servicesRequired(): boolean {
  return process.env.REQUIRE_SERVICES === '1';
}

export type ExternalService = 'MariaDB' | 'RabbitMQ';
const SERVICE_VARIABLES: Record<ExternalService, string> = { MariaDB: 'DATABASE_URL', RabbitMQ: 'AMQP_URL' };

/** A prerequisite of a suite other than a service: a binary, a browser. */
export interface Prerequisite {
  missing: boolean;
  reason: string;
}

/**
 * The one gate of every suite that needs real services: false when `services` (and `also`) are there,
 * else the reason to skip. Under REQUIRE_SERVICES=1 a missing one throws instead: CI never skips silently.
 */
export function servicesUnderTest(
  services: readonly ExternalService[],
  also: readonly Prerequisite[] = [],
): string | false {
  const missing = [
    ...services
      .filter((service) => !process.env[SERVICE_VARIABLES[service]])
      .map((service) => `${SERVICE_VARIABLES[service]} is not set`),
    ...also.filter((prerequisite) => prerequisite.missing).map((prerequisite) => prerequisite.reason),
  ];
  if (missing.length === 0) return false;
  if (servicesRequired()) throw new Error(`REQUIRE_SERVICES=1 but ${missing.join(' and ')}: these tests cannot run`);
  return missing.join(', ');
}

/**
 * The databases a suite runs against: embedded libsql always, MariaDB when DATABASE_URL is set.
 * Without DATABASE_URL the MySQL case is skipped locally and fails under REQUIRE_SERVICES=1.
 */
export function databaseKindsUnderTest(): { kind: DatabaseKind; skip: string | false }[] {
  return [
    { kind: 'libsql', skip: false },
    { kind: 'mysql', skip: servicesUnderTest(['MariaDB']) },
  ];
}

/** A private scratch area: its own data directory and database name prefix, never shared between tests. */
export interface TestEnvironment {
  env: Record<string, string>;
  config: PlatformConfig;
  cleanup(): Promise<void>;
}

/** The broker for tests that need one: AMQP_URL, or a failure under REQUIRE_SERVICES=1, or null (skip). */
export function brokerUrlUnderTest(): string | null {
  return servicesUnderTest(['RabbitMQ']) === false ? process.env.AMQP_URL! : null;
}

/**
 * A private scratch area for one test file: its own data directory, database name prefix and, with
 * `broker`, its own exchange and queue namespace on RabbitMQ, all removed by `cleanup()`.
 */
export function createTestEnvironment(
  kind: DatabaseKind,
  extra: Record<string, string> = {},
  broker = false,
): TestEnvironment {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanxin-test-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_NAME_PREFIX: `wxt_${randomBytes(5).toString('hex')}`,
    ...extra,
  };
  env.EVENTS_NAMESPACE = env.DATABASE_NAME_PREFIX;
  if (broker) {
    const url = brokerUrlUnderTest();
    if (url === null) throw new Error('AMQP_URL is required for a RabbitMQ test');
    env.AMQP_URL = url;
  }
  if (kind === 'mysql') {
    if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is required for a MySQL test');
    env.DATABASE_URL = process.env.DATABASE_URL;
  }
  const config = loadConfig(env, readPlatformConfig);
  return {
    env,
    config,
    cleanup: async () => {
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (kind === 'mysql') await dropDatabases(env.DATABASE_URL, env.DATABASE_NAME_PREFIX);
      if (broker) await deleteBrokerNamespace(env.AMQP_URL, env.EVENTS_NAMESPACE);
    },
  };
}

/** Deletes the queues and exchanges of a test's namespace. */
async function deleteBrokerNamespace(url: string, namespace: string): Promise<void> {
  const names = brokerNames(namespace);
  const connection = await amqp.connect(url);
  try {
    const channel = await connection.createChannel();
    for (const subgraph of [...SUBGRAPH_NAMES, 'gateway', 'probe_producer', 'probe_consumer']) {
      await channel.deleteQueue(names.consumerQueue(subgraph));
      await channel.deleteQueue(names.deadLetterQueue(subgraph));
    }
    await channel.deleteExchange(names.eventsExchange);
    await channel.deleteExchange(names.deadLetterExchange);
  } finally {
    await connection.close();
  }
}

/** Drops every database a test created (they all start with its private prefix). */
async function dropDatabases(url: string, prefix: string): Promise<void> {
  const connection = await mysql.createConnection(url.replace(/^mariadb:/, 'mysql:'));
  try {
    const [rows] = await connection.query('show databases like ?', [`${prefix}\\_%`]);
    for (const row of rows as Record<string, string>[]) {
      await connection.query(`drop database \`${Object.values(row)[0]}\``);
    }
  } finally {
    await connection.end();
  }
}

/**
 * The suite's own database of `spec` on `kind`, migrated before its tests and dropped after them (with its
 * scratch area): call it inside a `describe`; read `orm` from the tests.
 */
export function suiteDatabase(kind: DatabaseKind, spec: DatabaseSpec): { readonly orm: Database } {
  let environment: TestEnvironment | undefined;
  let orm: Database | undefined;
  before(async () => {
    environment = createTestEnvironment(kind);
    orm = await openDatabase(environment.config, spec);
  });
  after(async () => {
    await orm?.close(true);
    await environment?.cleanup();
  });
  return {
    get orm() {
      assert(orm !== undefined, 'the suite database is open only while its tests run');
      return orm;
    },
  };
}
