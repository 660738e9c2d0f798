// Proves the risk provider's committed MySQL migrations build exactly the schema its entities describe: on a
// fresh MariaDB database the schema diff after migrating is empty (embedded SQLite is built from the
// entities, so only MariaDB needs this).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '@wanxin/platform';
import { createTestEnvironment, databaseKindsUnderTest } from '@wanxin/platform/testing';
import { riskDatabase } from '../src';

const mysql = databaseKindsUnderTest().find((candidate) => candidate.kind === 'mysql')!;

test("risk provider: migrations produce the entities' schema", { skip: mysql.skip }, async () => {
  const environment = createTestEnvironment('mysql');
  try {
    const orm = await openDatabase(environment.config, riskDatabase);
    try {
      assert.ok(riskDatabase.migrations.length > 0, 'no committed migration');
      const pending = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
      assert.equal(
        pending.trim(),
        '',
        'entities differ from the risk migrations: generate the next one (see src/migrations)',
      );
    } finally {
      await orm.close(true);
    }
  } finally {
    await environment.cleanup();
  }
});
