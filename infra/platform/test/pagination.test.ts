// Proves findPages gives every parent exactly the page findPage gives it (rows in order, values, cursors,
// pageInfo, totalCount), for first pages and pages after a cursor, in two SQL statements per SQL_LIST_MAX
// parents (1,201 parents: three chunks, every page still right), on libsql and MariaDB; that pageInfo
// follows the Relay cursor spec (hasPreviousPage true only when `after` was given and rows precede it,
// startCursor/endCursor the first/last edge's cursor); and that
// wanxin_sql_queries_total counts the statements of a request's EntityManager as `request` and all others
// as `background`; and that findPageInOrder pages by a Date or bigint column with many ties, each row once and
// in order, its cursors refused in another scope (order or filter), on both databases.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BigIntType, Entity, Index, PrimaryKey, Property, raw } from '@mikro-orm/core';
import type { GraphQLError } from 'graphql';
import {
  createSqlQueryCounter,
  findPage,
  findPageInOrder,
  findPages,
  forkEntityManager,
  initDatabase,
  insertRows,
  MONEY_MAX_FEN,
  newId,
  REQUEST_LOGGER_CONTEXT,
  SQL_LIST_MAX,
  type Connection,
  type PageArgs,
  type SqlQueryCounter,
  type SqlQuerySource,
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
    edges: connection.edges.map(({ cursor, node }) => ({
      cursor,
      id: node.id,
      parentId: node.parentId,
      amountFen: node.amountFen,
      createdAt: node.createdAt.toISOString(),
    })),
  };
}

/** What both ways of paging must say of one parent's page: its edges' ids and its pageInfo. */
function pageShape(connection: Connection<ProbeChild>) {
  return { ids: connection.edges.map((edge) => edge.node.id), pageInfo: connection.pageInfo };
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`findPage and findPages pageInfo on ${kind}`, { skip }, () => {
    test('hasPreviousPage only after a cursor with rows before it; start/endCursor the first/last edge', async () => {
      const environment = createTestEnvironment(kind);
      const spec = { subgraph: 'probe_page_info', entities: [ProbeChild], migrations: [], messaging: false };
      const orm = await initDatabase(environment.config, spec, true);
      try {
        await orm.getSchemaGenerator().updateSchema();
        const parentId = newId();
        const otherParentId = newId();
        const seed = forkEntityManager(orm);
        for (let child = 0; child < 7; child += 1) {
          seed.create(ProbeChild, { parentId, amountFen: BigInt(child), createdAt: new Date() });
          seed.create(ProbeChild, { parentId: otherParentId, amountFen: BigInt(child), createdAt: new Date() });
        }
        await seed.flush();
        const rows = await forkEntityManager(orm).find(ProbeChild, { parentId }, { orderBy: { id: 'desc' } });
        const ids = rows.map((row) => row.id);
        const newerThanEveryRow = newId();
        const removedRow = ids[2];
        await forkEntityManager(orm).nativeDelete(ProbeChild, { id: removedRow });
        const remaining = ids.filter((id) => id !== removedRow);
        // [page, the ids it shows, hasPreviousPage, hasNextPage]
        const cases: [PageArgs, string[], boolean, boolean][] = [
          [{ first: 3 }, remaining.slice(0, 3), false, true],
          [{ first: 3, after: remaining[0] }, remaining.slice(1, 4), true, true],
          [{ first: 3, after: remaining[3] }, remaining.slice(4), true, false],
          // The cursor's own row was deleted: the rows newer than it still precede the page.
          [{ first: 2, after: removedRow }, remaining.slice(2, 4), true, true],
          // A cursor newer than every row: nothing precedes, the whole list follows.
          [{ first: 10, after: newerThanEveryRow }, remaining, false, false],
          // Past the last row: an empty page, with every row before it.
          [{ first: 3, after: remaining.at(-1) }, [], true, false],
        ];
        for (const [page, expectedIds, hasPreviousPage, hasNextPage] of cases) {
          const [startCursor, endCursor] = [expectedIds.at(0) ?? null, expectedIds.at(-1) ?? null];
          const expected = { ids: expectedIds, pageInfo: { hasNextPage, hasPreviousPage, startCursor, endCursor } };
          const single = await findPage(forkEntityManager(orm), ProbeChild, { parentId }, page);
          assert.deepEqual(pageShape(single), expected, `findPage ${JSON.stringify(page)}`);
          assert.equal(single.totalCount, remaining.length, 'totalCount counts the whole list, whatever the cursor');
          const parents = [parentId, otherParentId];
          const [batched] = await findPages(forkEntityManager(orm), ProbeChild, 'parentId', parents, page);
          assert.deepEqual(pageShape(batched), expected, `findPages ${JSON.stringify(page)}`);
        }
      } finally {
        await orm.close(true);
        await environment.cleanup();
      }
    });
  });

  describe(`findPageInOrder with a scope on ${kind}`, { skip }, () => {
    test('a Date or bigint column with ties: each row once; a cursor of another scope refused', async () => {
      const environment = createTestEnvironment(kind);
      const spec = { subgraph: 'probe_ordered', entities: [ProbeChild], migrations: [], messaging: false };
      const orm = await initDatabase(environment.config, spec, true);
      try {
        await orm.getSchemaGenerator().updateSchema();
        const parentId = newId();
        const seed = forkEntityManager(orm);
        // Three amounts and three instants among 17 rows: most rows tie on the column ordered by.
        for (let child = 0; child < 17; child += 1)
          seed.create(ProbeChild, {
            parentId,
            amountFen: BigInt(child % 3) * 1_000n,
            createdAt: new Date(Date.UTC(2026, 0, 1 + (child % 3), 8, 0, 0, 123)),
          });
        await seed.flush();
        // A function giving a fresh raw fragment for each statement, as a search condition does.
        const where = () => ({ [raw('parent_id = ?', [parentId])]: [] }) as never;
        for (const field of ['createdAt', 'amountFen'] as const)
          for (const direction of ['asc', 'desc'] as const) {
            const order = { field, direction, scope: `${field}-${direction}` };
            const seen: ProbeChild[] = [];
            let after: string | undefined;
            for (let pages = 0; pages < 10; pages += 1) {
              const page = await findPageInOrder(forkEntityManager(orm), ProbeChild, where, { first: 4, after }, order);
              assert.equal(await page.totalCount, 17);
              assert.equal(page.pageInfo.hasPreviousPage, after !== undefined);
              seen.push(...page.edges.map((edge) => edge.node));
              if (!page.pageInfo.hasNextPage) break;
              after = page.pageInfo.endCursor!;
            }
            const key = (row: ProbeChild) => (field === 'createdAt' ? BigInt(row.createdAt.getTime()) : row.amountFen);
            const expected = [...seen].sort((a, b) => {
              const byKey = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1;
              return direction === 'asc' ? byKey : -byKey;
            });
            assert.equal(new Set(seen.map((row) => row.id)).size, 17, `${field} ${direction}: each row once`);
            assert.deepEqual(
              seen.map((row) => row.id),
              expected.map((row) => row.id),
              `${field} ${direction}: in order, ties by id`,
            );
            const otherScope = { ...order, scope: 'another' };
            await assert.rejects(
              findPageInOrder(forkEntityManager(orm), ProbeChild, where, { first: 4, after }, otherScope),
              (error: GraphQLError) =>
                error.extensions.code === 'BAD_USER_INPUT' && /another order or filter/.test(error.message),
            );
          }
        for (const after of ['nonsense', Buffer.from('["x","y","s"]').toString('base64url')])
          await assert.rejects(
            findPageInOrder(
              forkEntityManager(orm),
              ProbeChild,
              where,
              { first: 4, after },
              {
                field: 'createdAt',
                direction: 'asc',
                scope: 's',
              },
            ),
            (error: GraphQLError) => error.extensions.code === 'BAD_USER_INPUT',
          );
      } finally {
        await orm.close(true);
        await environment.cleanup();
      }
    });
  });

  describe(`findPages on ${kind}`, { skip }, () => {
    test('every parent gets the page findPage gives it, in two statements; the counter tells request statements from the rest', async () => {
      const environment = createTestEnvironment(kind);
      const counter = createSqlQueryCounter();
      const orm = await initDatabase(
        environment.config,
        { subgraph: 'probe_pages', entities: [ProbeChild], migrations: [], messaging: false },
        true,
        counter,
      );
      try {
        await orm.getSchemaGenerator().updateSchema();
        const parents = CHILD_COUNTS.map(() => newId());
        const seed = forkEntityManager(orm);
        let createdAtMs = Date.UTC(2026, 0, 1);
        CHILD_COUNTS.forEach((count, index) => {
          for (let child = 0; child < count; child += 1) {
            createdAtMs += 1_001;
            seed.create(ProbeChild, {
              parentId: parents[index],
              amountFen: MONEY_MAX_FEN - 100n + BigInt(child),
              createdAt: new Date(createdAtMs),
            });
          }
        });
        await seed.flush();
        const middle = (
          await forkEntityManager(orm).find(ProbeChild, { parentId: parents.at(-1)! }, { orderBy: { id: 'desc' } })
        )[12].id;

        for (const page of [...PAGES, { first: 5, after: middle }, { first: 100, after: middle }]) {
          const request = forkEntityManager(orm, REQUEST_LOGGER_CONTEXT);
          const requestBefore = await statementCount(counter, 'request');
          const pages = await findPages(request, ProbeChild, 'parentId', parents, page);
          assert.equal(
            (await statementCount(counter, 'request')) - requestBefore,
            2,
            `two statements for ${parents.length} parents`,
          );
          const backgroundBefore = await statementCount(counter, 'background');
          for (const [index, parentId] of parents.entries()) {
            const single = await findPage(forkEntityManager(orm), ProbeChild, { parentId }, page);
            assert.deepEqual(
              shown(pages[index]),
              shown(single),
              `parent with ${CHILD_COUNTS[index]} children, page ${JSON.stringify(page)}`,
            );
          }
          assert.equal(
            (await statementCount(counter, 'background')) - backgroundBefore,
            2 * parents.length,
            'findPage costs two statements a parent',
          );
        }
        const [newest] = (
          await findPages(forkEntityManager(orm), ProbeChild, 'parentId', [parents.at(-1)!], { first: 1 })
        )[0].edges;
        assert.equal(
          newest.node.amountFen,
          MONEY_MAX_FEN - 100n + 24n,
          'the largest amounts read back exact, as bigint',
        );
        const absent = await findPages(forkEntityManager(orm), ProbeChild, 'parentId', [newId()], { first: 10 });
        const emptyPageInfo = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };
        assert.deepEqual(absent, [{ edges: [], pageInfo: emptyPageInfo, totalCount: 0 }]);
      } finally {
        await orm.close(true);
        await environment.cleanup();
      }
    });

    test('more parents than one SQL list: every chunk of keys answers for its own parents', async () => {
      const environment = createTestEnvironment(kind);
      const counter = createSqlQueryCounter();
      const orm = await initDatabase(
        environment.config,
        { subgraph: 'probe_many_pages', entities: [ProbeChild], migrations: [], messaging: false },
        true,
        counter,
      );
      try {
        await orm.getSchemaGenerator().updateSchema();
        // Parent i has i % 3 children (0, 1 or 2): 1,201 parents, three chunks, the last of one parent.
        const parents = Array.from({ length: 2 * SQL_LIST_MAX + 201 }, () => newId());
        const createdAt = new Date(Date.UTC(2026, 0, 1));
        const children = parents.flatMap((parentId, index) =>
          Array.from({ length: index % 3 }, (_, child) =>
            Object.assign(new ProbeChild(), { parentId, amountFen: BigInt(index * 10 + child), createdAt }),
          ),
        );
        await forkEntityManager(orm).transactional((tx) => insertRows(tx, ProbeChild, children));

        const request = forkEntityManager(orm, REQUEST_LOGGER_CONTEXT);
        const before = await statementCount(counter, 'request');
        const pages = await findPages(request, ProbeChild, 'parentId', parents, { first: 1 });
        assert.equal((await statementCount(counter, 'request')) - before, 2 * 3, 'two statements per chunk of keys');
        assert.equal(pages.length, parents.length);
        for (const [index, parentId] of parents.entries()) {
          const page = pages[index];
          assert.equal(page.totalCount, index % 3, `parent ${index}: its own count`);
          assert.equal(page.pageInfo.hasNextPage, index % 3 === 2, `parent ${index}: a next page when it has two`);
          assert.deepEqual(
            page.edges.map(({ node }) => [node.parentId, node.amountFen]),
            index % 3 === 0 ? [] : [[parentId, BigInt(index * 10 + (index % 3) - 1)]],
            `parent ${index}: its newest child only`,
          );
        }
      } finally {
        await orm.close(true);
        await environment.cleanup();
      }
    });
  });
}
