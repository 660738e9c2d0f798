import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { readPlatformConfig, loadConfig, type PlatformConfig } from '../config';
import type { DatabaseKind } from '../db';

/** CI sets REQUIRE_SERVICES=1: a suite that needs MariaDB or RabbitMQ then fails instead of skipping. */
export function servicesRequired(): boolean {
  return process.env.REQUIRE_SERVICES === '1';
}

/**
 * The databases a suite runs against: embedded libsql always, MariaDB when DATABASE_URL is set.
 * Without DATABASE_URL the MySQL case is skipped locally and fails under REQUIRE_SERVICES=1.
 */
export function databaseKindsUnderTest(): { kind: DatabaseKind; skip: string | false }[] {
  const mysqlAvailable = process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '';
  if (!mysqlAvailable && servicesRequired()) {
    throw new Error('REQUIRE_SERVICES=1 but DATABASE_URL is not set: MariaDB tests cannot run');
  }
  return [
    { kind: 'libsql', skip: false },
    { kind: 'mysql', skip: mysqlAvailable ? false : 'DATABASE_URL is not set (MariaDB tests skipped)' },
  ];
}

/** A private scratch area: its own data directory and database name prefix, never shared between tests. */
export interface TestEnvironment {
  env: Record<string, string>;
  config: PlatformConfig;
  cleanup(): Promise<void>;
}

export function createTestEnvironment(kind: DatabaseKind, extra: Record<string, string> = {}): TestEnvironment {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wanxin-test-'));
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DATABASE_NAME_PREFIX: `wxt_${randomBytes(5).toString('hex')}`,
    ...extra,
  };
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
    },
  };
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
