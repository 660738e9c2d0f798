// Proves the committed MySQL migrations of every subgraph build exactly the schema its entities
// describe: after running them on a fresh MariaDB database, the schema diff is empty; and that every
// subgraph registers the platform's outbox/inbox migration under the name its databases already recorded;
// replicas started together migrate a database once (the migration lock).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forkEntityManager, openDatabase, OutboxInboxMigration, selectRows } from '@wanxin/platform';
import { assertMigrationsBuildEntities, createTestEnvironment, servicesUnderTest } from '@wanxin/platform/testing';
import { allSubgraphs } from '@wanxin/launcher';

const skip = servicesUnderTest(['MariaDB']);

/**
 * The names under which each subgraph's databases recorded their outbox/inbox migration: MikroORM knows a
 * migration by name, so another name here would run it again and fail on the existing tables.
 */
const OUTBOX_INBOX_MIGRATION_NAMES: Record<string, string> = {
  users: 'Migration20261122004841',
  loans: 'Migration20261122004841',
  bids: 'Migration20261122004842',
  repayments: 'Migration20261122004843',
  depository: 'Migration20261122004843',
};

test('every subgraph registers the platform outbox/inbox migration under its recorded name', () => {
  const subgraphs = allSubgraphs();
  assert.deepEqual(subgraphs.map(({ name }) => name).sort(), Object.keys(OUTBOX_INBOX_MIGRATION_NAMES).sort());
  for (const { name, database } of subgraphs) {
    const outboxInbox = database.migrations.filter(
      (migration) => migration.class.prototype instanceof OutboxInboxMigration,
    );
    assert.deepEqual(
      outboxInbox.map((migration) => migration.name),
      [OUTBOX_INBOX_MIGRATION_NAMES[name]],
      name,
    );
  }
});

for (const definition of allSubgraphs()) {
  test(`${definition.name}: migrations produce the entities' schema`, { skip }, () =>
    assertMigrationsBuildEntities(definition.database),
  );
}

test(
  'four replicas migrating one new database at once: every migration runs once, all of them start',
  { skip },
  async () => {
    const repayments = allSubgraphs().find((definition) => definition.name === 'repayments')!;
    const environment = createTestEnvironment('mysql');
    try {
      const replicas = await Promise.all(
        Array.from({ length: 4 }, () => openDatabase(environment.config, repayments.database)),
      );
      const [{ runs, distinct }] = await selectRows<{ runs: number | string; distinct: number | string }>(
        forkEntityManager(replicas[0]),
        'select count(*) as runs, count(distinct name) as `distinct` from mikro_orm_migrations',
        [],
      );
      assert.equal(Number(runs), repayments.database.migrations.length);
      assert.equal(Number(distinct), Number(runs), 'no migration recorded twice');
      await Promise.all(replicas.map((orm) => orm.close(true)));
    } finally {
      await environment.cleanup();
    }
  },
);
