// Proves the SMS provider's committed MySQL migrations build exactly the schema its entities describe
// (embedded SQLite is built from the entities, so only MariaDB needs this).
import { test } from 'node:test';
import { assertMigrationsBuildEntities, servicesUnderTest } from '@wanxin/platform/testing';
import { smsDatabase } from '../src';

test("SMS provider: migrations produce the entities' schema", { skip: servicesUnderTest(['MariaDB']) }, () =>
  assertMigrationsBuildEntities(smsDatabase),
);
