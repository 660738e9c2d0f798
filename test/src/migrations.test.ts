// Proves the committed MySQL migrations of every subgraph build exactly the schema its entities
// describe: after running them on a fresh MariaDB database, the schema diff is empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '@wanxin/platform';
import { createTestEnvironment, servicesUnderTest } from '@wanxin/platform/testing';
import { allSubgraphs } from '@wanxin/launcher';

const skip = servicesUnderTest(['MariaDB']);

for (const definition of allSubgraphs()) {
  test(`${definition.name}: migrations produce the entities' schema`, { skip }, async () => {
    const environment = createTestEnvironment('mysql');
    try {
      const orm = await openDatabase(environment.config, definition.database);
      try {
        assert.ok(definition.database.migrations.length > 0, 'no committed migration');
        const pending = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
        assert.equal(
          pending.trim(),
          '',
          `entities differ from migrations; run npm run migration:create -- ${definition.name}`,
        );
      } finally {
        await orm.close(true);
      }
    } finally {
      await environment.cleanup();
    }
  });
}
