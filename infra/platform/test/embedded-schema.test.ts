// Embedded SQLite follows the entities without migrations; a change it cannot make in place on existing
// rows stops the start with what to do (delete the development data), naming the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { forkEntityManager, openDatabase, type DatabaseSpec } from '../src';
import { createTestEnvironment } from '../src/testing';

@Entity({ tableName: 'schema_probe' })
class ProbeBefore {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;
}

@Entity({ tableName: 'schema_probe' })
class ProbeAfter {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: 'string', length: 10 })
  businessDate!: string;
}

const spec = (entity: DatabaseSpec['entities'][number]): DatabaseSpec => ({
  subgraph: 'schema_probe',
  entities: [entity],
  migrations: [],
  messaging: false,
});

test('an embedded database the entities outgrew is refused with what to do, not a bare SQL error', async () => {
  const environment = createTestEnvironment('libsql');
  try {
    const before = await openDatabase(environment.config, spec(ProbeBefore));
    await forkEntityManager(before).insert(ProbeBefore, { id: 'row-1' });
    await before.close(true);
    await assert.rejects(openDatabase(environment.config, spec(ProbeAfter)), (error: Error) => {
      assert.match(error.message, /predates this version/);
      assert.match(error.message, /schema_probe\.db/);
      assert.ok(error.message.includes(`delete ${environment.config.dataDir}`), error.message);
      return true;
    });
  } finally {
    await environment.cleanup();
  }
});
