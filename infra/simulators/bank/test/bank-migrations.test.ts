// Proves the bank's committed MySQL migrations build exactly the schema its entities describe: on a
// fresh MariaDB database the schema diff after migrating is empty (embedded SQLite is built from the
// entities, so only MariaDB needs this).
import { test } from 'node:test';
import { assertMigrationsBuildEntities, servicesUnderTest } from '@wanxin/platform/testing';
import { bankDatabase } from '../src';

test("bank: migrations produce the entities' schema", { skip: servicesUnderTest(['MariaDB']) }, () =>
  assertMigrationsBuildEntities(bankDatabase),
);
