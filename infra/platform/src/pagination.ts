import type { Dictionary, EntityClass, EntityDictionary, FilterQuery, LoggingOptions } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { ArgsType, Field, Int, ObjectType, Directive } from 'type-graphql';
import type { ClassType } from 'type-graphql';
import { assert } from './assert';
import { CommonErrors } from './errors';
import { isId } from './ids';

/** The contract caps every page at 100 rows. */
export const PAGE_SIZE_MAX = 100;
export const PAGE_SIZE_DEFAULT = 20;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Rows to return, 1 to ${PAGE_SIZE_MAX} (default ${PAGE_SIZE_DEFAULT}).` })
  first?: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string;
}

@Directive('@shareable')
@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Declares `<Name>Connection` and `<Name>Edge` for a node type. */
export function connectionType<T extends object>(name: string, node: ClassType<T>): ClassType<Connection<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => String)
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int)
    totalCount!: number;
  }
  return ConnectionType;
}

export function pageSize(args: PageArgs): number {
  const first = args.first ?? PAGE_SIZE_DEFAULT;
  if (!Number.isInteger(first) || first < 1 || first > PAGE_SIZE_MAX) {
    throw CommonErrors.badInput('first', `must be from 1 to ${PAGE_SIZE_MAX}`);
  }
  return first;
}

/** The validated page arguments: rows to return and the cursor to start after (null: the first page). */
function pageWindow(args: PageArgs): { first: number; after: string | null } {
  const first = pageSize(args);
  const after = args.after ?? null;
  if (after !== null && !isId(after)) throw CommonErrors.badInput('after', 'is not a cursor from this list');
  return { first, after };
}

function connectionOf<T extends { id: string }>(rows: T[], first: number, totalCount: number): Connection<T> {
  const pageRows = rows.slice(0, first);
  return {
    edges: pageRows.map((node) => ({ cursor: node.id, node })),
    pageInfo: { hasNextPage: rows.length > first, endCursor: pageRows.at(-1)?.id ?? null },
    totalCount,
  };
}

/**
 * One page of rows, newest first. Ids are time-ordered (UUIDv7), so the id is the cursor and the
 * page is a keyset query `id < after ORDER BY id DESC`: stable while rows are being added.
 */
export async function findPage<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: FilterQuery<T>,
  args: PageArgs,
): Promise<Connection<T>> {
  const { first, after } = pageWindow(args);
  const pageWhere = after !== null ? ({ $and: [where, { id: { $lt: after } }] } as FilterQuery<T>) : where;
  const rows = await em.find(entity, pageWhere, { orderBy: { id: 'desc' } as never, limit: first + 1 });
  return connectionOf(rows, first, await em.count(entity, where));
}

/** Most parents one `findPages` call pages at once; the loaders' batches (LOADER_BATCH_SIZE_MAX) stay within it. */
export const PAGES_PARENTS_MAX = 500;

/**
 * The page `findPage` gives for `{ [column]: key }`, for every key at once, in two queries however many
 * keys: rows ranked per key by a window function (MariaDB ≥ 10.2, SQLite ≥ 3.25) and counts grouped by
 * key. For lists inside a page of parents (each loan's bids), which would otherwise cost two queries a parent.
 */
export async function findPages<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  column: keyof T & string,
  keys: readonly string[],
  args: PageArgs,
): Promise<Connection<T>[]> {
  const { first, after } = pageWindow(args);
  assert(keys.length > 0 && keys.length <= PAGES_PARENTS_MAX, `pages for 1 to ${PAGES_PARENTS_MAX} parents, asked ${keys.length}`);
  const meta = em.getMetadata().get(entity.name);
  const quote = (name: string) => em.getPlatform().quoteIdentifier(name);
  const table = quote(meta.tableName);
  const key = quote(meta.properties[column].fieldNames[0]);
  const id = quote(meta.properties.id.fieldNames[0]);
  const keyList = keys.map(() => '?').join(', ');
  const afterCondition = after === null ? '' : ` and ${id} < ?`;
  // The request's logger context, so these count as the request's statements (wanxin_sql_queries_total).
  const logging = em.getLoggerContext<LoggingOptions>();
  const ranked = await em.execute<Dictionary[]>(
    `select * from (select t.*, row_number() over (partition by ${key} order by ${id} desc) as page_position ` +
      `from ${table} t where ${key} in (${keyList})${afterCondition}) ranked where page_position <= ? order by ${id} desc`,
    [...keys, ...(after === null ? [] : [after]), first + 1],
    'all',
    logging,
  );
  const counts = await em.execute<{ parent_key: string; row_count: number | string }[]>(
    `select ${key} as parent_key, count(*) as row_count from ${table} where ${key} in (${keyList}) group by ${key}`,
    [...keys],
    'all',
    logging,
  );
  const rowsByKey = new Map<string, T[]>(keys.map((parent) => [parent, []]));
  for (const { page_position: _position, ...row } of ranked) {
    const entityRow = em.map(entity, row as EntityDictionary<T>);
    rowsByKey.get(String(entityRow[column]))?.push(entityRow);
  }
  const countByKey = new Map(counts.map((count) => [String(count.parent_key), Number(count.row_count)]));
  return keys.map((parent) => connectionOf(rowsByKey.get(parent) ?? [], first, countByKey.get(parent) ?? 0));
}
