// Proves findPages gives every parent exactly the page findPage gives it (rows in order, values, cursors,
// hasNextPage, totalCount), for first pages and pages after a cursor, in two SQL statements however many
// parents, on libsql and MariaDB; and that wanxin_sql_queries_total counts the statements of a request's
// EntityManager as `request` and all others as `background`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import {
  createSqlQueryCounter, findPage, findPages, forkEntityManager, initDatabase, MONEY_MAX_FEN, newId, REQUEST_LOGGER_CONTEXT,
  type Connection, type PageArgs, type SqlQueryCounter, type SqlQuerySource,
} from '../src';
import { createTestEnvironment, databaseKindsUnderTest } from '../src/testing';

@Entity({ tableName: 'probe_children' })
class ProbeChild {
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Index()
  @Property({ type: 'string', length: 36 })
  parentId!: string;

  @Property({ type: new BigIntType('bigint') })
  amountFen!: bigint;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;
}

/** Children per parent: none, one, a few, exactly a page, more than a page; one parent is asked for but has none. */
const CHILD_COUNTS = [0, 1, 3, 5, 6, 10, 11, 25];
const PAGES: PageArgs[] = [{ first: 1 }, { first: 5 }, { first: 10 }, { first: 100 }];

async function statementCount(counter: SqlQueryCounter, source: SqlQuerySource): Promise<number> {
  const { values } = await counter.get();
  return values.find((value) => value.labels.source === source)?.value ?? 0;
}

/** A connection with its rows reduced to what a client sees, to compare two ways of paging. */
function shown(connection: Connection<ProbeChild>) {
  return {
    ...connection,
    edges: connection.edges.map(({ cursor, node }) => ({ cursor, id: node.id, parentId: node.parentId, amountFen: node.amountFen, createdAt: node.createdAt.toISOString() })),
  };
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`findPages on ${kind}`, { skip }, () => {
    test('every parent gets the page findPage gives it, in two statements; the counter tells request statements from the rest', async () => {
      const environment = createTestEnvironment(kind);
      const counter = createSqlQueryCounter();
      const orm = await initDatabase(environment.config, { subgraph: 'probe_pages', entities: [ProbeChild], migrations: [], messaging: false }, true, counter);
      try {
        await orm.getSchemaGenerator().updateSchema();
        const parents = CHILD_COUNTS.map(() => newId());
        const seed = forkEntityManager(orm);
        let createdAtMs = Date.UTC(2026, 0, 1);
        CHILD_COUNTS.forEach((count, index) => {
          for (let child = 0; child < count; child += 1) {
            createdAtMs += 1_001;
            seed.create(ProbeChild, { parentId: parents[index], amountFen: MONEY_MAX_FEN - 100n + BigInt(child), createdAt: new Date(createdAtMs) });
          }
        });
        await seed.flush();
        const middle = (await forkEntityManager(orm).find(ProbeChild, { parentId: parents.at(-1)! }, { orderBy: { id: 'desc' } }))[12].id;

        for (const page of [...PAGES, { first: 5, after: middle }, { first: 100, after: middle }]) {
          const request = forkEntityManager(orm, REQUEST_LOGGER_CONTEXT);
          const requestBefore = await statementCount(counter, 'request');
          const pages = await findPages(request, ProbeChild, 'parentId', parents, page);
          assert.equal(await statementCount(counter, 'request') - requestBefore, 2, `two statements for ${parents.length} parents`);
          const backgroundBefore = await statementCount(counter, 'background');
          for (const [index, parentId] of parents.entries()) {
            const single = await findPage(forkEntityManager(orm), ProbeChild, { parentId }, page);
            assert.deepEqual(shown(pages[index]), shown(single), `parent with ${CHILD_COUNTS[index]} children, page ${JSON.stringify(page)}`);
          }
          assert.equal(await statementCount(counter, 'background') - backgroundBefore, 2 * parents.length, 'findPage costs two statements a parent');
        }
        const [newest] = (await findPages(forkEntityManager(orm), ProbeChild, 'parentId', [parents.at(-1)!], { first: 1 }))[0].edges;
        assert.equal(newest.node.amountFen, MONEY_MAX_FEN - 100n + 24n, 'the largest amounts read back exact, as bigint');
        const absent = await findPages(forkEntityManager(orm), ProbeChild, 'parentId', [newId()], { first: 10 });
        assert.deepEqual(absent, [{ edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 }]);
      } finally {
        await orm.close(true);
        await environment.cleanup();
      }
    });
  });
}
