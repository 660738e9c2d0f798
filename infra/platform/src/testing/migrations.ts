import assert from 'node:assert/strict';
import { openDatabase, type DatabaseSpec } from '../db';
import { createTestEnvironment } from './services';

/**
 * Fails unless the committed MySQL migrations of `spec` build exactly the schema its entities describe:
 * on a fresh MariaDB database, after migrating, the schema diff is empty. Needs DATABASE_URL.
 */
export async function assertMigrationsBuildEntities(spec: DatabaseSpec): Promise<void> {
  const environment = createTestEnvironment('mysql');
  try {
    const orm = await openDatabase(environment.config, spec);
    try {
      assert.ok(spec.migrations.length > 0, 'no committed migration');
      const pending = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
      assert.equal(
        pending.trim(),
        '',
        `entities differ from migrations; run npm run migration:create -- ${spec.subgraph}`,
      );
    } finally {
      await orm.close(true);
    }
  } finally {
    await environment.cleanup();
  }
}
