// Proves the committed MySQL migrations of every subgraph build exactly the schema its entities
// describe: after running them on a fresh MariaDB database, the schema diff is empty.
import { test } from 'node:test';
import { assertMigrationsBuildEntities, servicesUnderTest } from '@wanxin/platform/testing';
import { allSubgraphs } from '@wanxin/launcher';

const skip = servicesUnderTest(['MariaDB']);

for (const definition of allSubgraphs()) {
  test(`${definition.name}: migrations produce the entities' schema`, { skip }, () =>
    assertMigrationsBuildEntities(definition.database),
  );
}
