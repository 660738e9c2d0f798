import type { Dictionary, EntityClass, EntityDictionary, FilterQuery } from '@mikro-orm/core';
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { ArgsType, Field, Int, ObjectType, Directive } from 'type-graphql';
import type { ClassType } from 'type-graphql';
import { assert } from './assert';
import { CommonErrors } from './errors';
import { isId } from './ids';
import { selectRowsInChunks } from './raw-sql';

/** The contract caps every page at 100 rows. */
export const PAGE_SIZE_MAX = 100;
export const PAGE_SIZE_DEFAULT = 20;

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Rows to return, 1 to ${PAGE_SIZE_MAX} (default ${PAGE_SIZE_DEFAULT}).`,
  })
  first?: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string;
}

@Directive('@shareable')
@ObjectType({
  description: 'Where a page sits in its list (Relay cursor connection); `endCursor` as `after` gives the next page.',
})
export class PageInfo {
  @Field(() => Boolean, { description: 'Whether rows follow this page: ask again with `after: endCursor`.' })
  hasNextPage!: boolean;

  @Field(() => Boolean, {
    description: 'Whether rows precede this page: true when `after` was given and the list has rows before it.',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "The first row's cursor; null when the page is empty." })
  startCursor!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The last row's cursor, to pass as `after` for the next page; null when the page is empty.",
  })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** A promise where counting is left until a client selects the field (findPageInOrder). */
  totalCount: number | Promise<number>;
}

/**
 * Declares `<Name>Connection` and `<Name>Edge` for a node type. `shareable`: two subgraphs declare the same
 * connection (bids' and repayments' `BidConnection`), identically, each resolving its own lists of it.
 */
export function connectionType<T extends object>(
  name: string,
  node: ClassType<T>,
  options: { shareable?: boolean } = {},
): ClassType<Connection<T>> {
  const shareable: ClassDecorator = options.shareable === true ? Directive('@shareable') : () => undefined;

  @shareable
  @ObjectType(`${name}Edge`, { description: `One ${name} of a page, with its cursor.` })
  class EdgeType {
    @Field(() => String, { description: `Opaque; pass it as \`after\` for the rows that follow this ${name}.` })
    cursor!: string;

    @Field(() => node, { description: `The ${name}.` })
    node!: T;
  }

  @shareable
  @ObjectType(`${name}Connection`, { description: `One page of a list of ${name}s (Relay cursor connection).` })
  class ConnectionType {
    @Field(() => [EdgeType], { description: "The page's rows in the list's order; empty past the end." })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: 'Whether rows precede or follow this page, and the cursors to fetch them.' })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Rows in the whole list, across all pages.' })
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

/** The validated page arguments: rows to return and the cursor (an id) to start after (null: the first page). */
export function pageWindow(args: PageArgs): { first: number; after: string | null } {
  const first = pageSize(args);
  const after = args.after ?? null;
  if (after !== null && !isId(after)) throw CommonErrors.badInput('after', 'is not a cursor from this list');
  return { first, after };
}

/** A list's size, and how many of its rows precede the cursor: ids ≥ `after` (newest first; the cursor's row too). */
export interface ListCounts {
  totalCount: number;
  precedingCount: number;
}

/** A page of `rows` (one more than `first` when more follow); a row's cursor is its id unless `cursorOf` says. */
export function connectionOf<T extends { id: string }>(
  rows: T[],
  first: number,
  counts: ListCounts,
  cursorOf: (row: T) => string = (row) => row.id,
): Connection<T> {
  const pageRows = rows.slice(0, first);
  return {
    edges: pageRows.map((node) => ({ cursor: cursorOf(node), node })),
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: counts.precedingCount > 0,
      startCursor: pageRows.length === 0 ? null : cursorOf(pageRows[0]),
      endCursor: pageRows.length === 0 ? null : cursorOf(pageRows[pageRows.length - 1]),
    },
    totalCount: counts.totalCount,
  };
}

/** The SQL that counts the rows before `after` (0 without a cursor), for a select beside `count(*)`. */
function precedingCountSql<T>(
  em: EntityManager,
  entity: EntityClass<T>,
  after: string | null,
): { sql: string; params: string[] } {
  if (after === null) return { sql: '0', params: [] };
  const id = em.getPlatform().quoteIdentifier(em.getMetadata().get(entity.name).properties.id.fieldNames[0]);
  return { sql: `sum(case when ${id} >= ? then 1 else 0 end)`, params: [after] };
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
  const preceding = precedingCountSql(em, entity, after);
  // One statement for both counts, so a page costs two statements with or without a cursor.
  const [counts] = await em
    .createQueryBuilder(entity)
    .select([raw('count(*) as total_count'), raw(`${preceding.sql} as preceding_count`, preceding.params)])
    .where(where)
    .execute<{ total_count: number | string; preceding_count: number | string | null }[]>('all', false);
  const listCounts = { totalCount: Number(counts.total_count), precedingCount: Number(counts.preceding_count ?? 0) };
  return connectionOf(rows, first, listCounts);
}

/**
 * Most parents one `findPages` call pages at once (its statements go in SQL_LIST_MAX chunks of them); the
 * loaders' batches (LOADER_BATCH_SIZE_MAX) stay within it.
 */
export const PAGES_PARENTS_MAX = 2_000;

/**
 * The page `findPage` gives for `{ [column]: key }`, for every key at once, in two queries per chunk of
 * keys however many pages: rows ranked per key by a window function (MariaDB ≥ 10.2, SQLite ≥ 3.25) and
 * counts grouped by key. For lists inside a page of parents (each loan's bids), which would otherwise cost
 * two queries a parent.
 */
export async function findPages<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  column: keyof T & string,
  keys: readonly string[],
  args: PageArgs,
): Promise<Connection<T>[]> {
  const { first, after } = pageWindow(args);
  assert(
    keys.length > 0 && keys.length <= PAGES_PARENTS_MAX,
    `pages for 1 to ${PAGES_PARENTS_MAX} parents, asked ${keys.length}`,
  );
  const meta = em.getMetadata().get(entity.name);
  const quote = (name: string) => em.getPlatform().quoteIdentifier(name);
  const table = quote(meta.tableName);
  const key = quote(meta.properties[column].fieldNames[0]);
  const id = quote(meta.properties.id.fieldNames[0]);
  const afterCondition = after === null ? '' : ` and ${id} < ?`;
  // Both statements answer per key, so the chunks' rows add up.
  const ranked = await selectRowsInChunks<Dictionary, string>(em, {
    values: keys,
    sqlOf: (placeholders) =>
      `select * from (select t.*, row_number() over (partition by ${key} order by ${id} desc) as page_position ` +
      `from ${table} t where ${key} in (${placeholders})${afterCondition}) ranked where page_position <= ? ` +
      `order by ${id} desc`,
    paramsOf: (chunk) => [...chunk, ...(after === null ? [] : [after]), first + 1],
  });
  const preceding = precedingCountSql(em, entity, after);
  type CountRow = { parent_key: string; row_count: number | string; preceding_count: number | string | null };
  const counts = await selectRowsInChunks<CountRow, string>(em, {
    values: keys,
    sqlOf: (placeholders) =>
      `select ${key} as parent_key, count(*) as row_count, ${preceding.sql} as preceding_count ` +
      `from ${table} where ${key} in (${placeholders}) group by ${key}`,
    paramsOf: (chunk) => [...preceding.params, ...chunk],
  });
  const rowsByKey = new Map<string, T[]>(keys.map((parent) => [parent, []]));
  for (const { page_position: _position, ...row } of ranked) {
    const entityRow = em.map(entity, row as EntityDictionary<T>);
    rowsByKey.get(String(entityRow[column]))?.push(entityRow);
  }
  const countsByKey = new Map(
    counts.map((count) => [
      String(count.parent_key),
      { totalCount: Number(count.row_count), precedingCount: Number(count.preceding_count ?? 0) },
    ]),
  );
  const noRows: ListCounts = { totalCount: 0, precedingCount: 0 };
  return keys.map((parent) => connectionOf(rowsByKey.get(parent) ?? [], first, countsByKey.get(parent) ?? noRows));
}

/**
 * A list's order by one column, ties broken by id in the same direction: what findPageInOrder pages by.
 * `scope` names the order and filter a cursor is made for (e.g. a hash of them): a cursor from another
 * scope is refused, since its position means nothing in a list ordered or filtered otherwise.
 */
export interface PageOrder<T> {
  field: keyof T & string;
  direction: 'asc' | 'desc';
  scope?: string;
}

/** Longest cursor findPageInOrder accepts: a column value (a date, an amount), an id and a scope, encoded. */
const ORDERED_CURSOR_LENGTH_MAX = 200;

function orderedCursor(value: unknown, id: string, scope: string | undefined): string {
  const text = value instanceof Date ? value.toISOString() : value;
  assert(['string', 'number', 'bigint'].includes(typeof text), `an ordered page's column holds ${typeof value}`);
  const fields = scope === undefined ? [String(text), id] : [String(text), id, scope];
  return Buffer.from(JSON.stringify(fields)).toString('base64url');
}

/** A cursor's column value as the column holds it, or undefined when the text is not one. */
function cursorValueOf(runtimeType: string, text: string): unknown {
  switch (runtimeType) {
    case 'Date': {
      const date = new Date(text);
      return Number.isNaN(date.getTime()) ? undefined : date;
    }
    case 'number':
      return /^-?[0-9]{1,15}$/.test(text) ? Number(text) : undefined;
    case 'bigint':
      return /^-?[0-9]{1,19}$/.test(text) ? BigInt(text) : undefined;
    default:
      return text;
  }
}

function parseOrderedCursor(
  cursor: string,
  runtimeType: string,
  scope: string | undefined,
): { value: unknown; id: string } {
  const refused = CommonErrors.badInput('after', 'is not a cursor from this list');
  if (cursor.length > ORDERED_CURSOR_LENGTH_MAX) throw refused;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refused;
  }
  if (!Array.isArray(decoded) || decoded.length !== (scope === undefined ? 2 : 3)) throw refused;
  const [text, id, cursorScope] = decoded as unknown[];
  if (typeof text !== 'string' || typeof id !== 'string' || !isId(id)) throw refused;
  if (cursorScope !== scope)
    throw CommonErrors.badInput('after', 'is a cursor made for another order or filter: ask again without `after`');
  const value = cursorValueOf(runtimeType, text);
  if (value === undefined) throw refused;
  return { value, id };
}

/**
 * One page of rows in `order` (e.g. the oldest overdue first): a keyset query on (field, id), so the
 * cursor, which carries both, stays stable while rows are added. Up to three statements: the page, whether
 * a row precedes the cursor, and the total when it is asked for. `where` may be a function giving the
 * condition afresh for each statement (a raw SQL fragment serves one statement only).
 */
export async function findPageInOrder<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: FilterQuery<T> | (() => FilterQuery<T>),
  args: PageArgs,
  order: PageOrder<T>,
): Promise<Connection<T>> {
  const first = pageSize(args);
  const runtimeType = em.getMetadata().get(entity.name).properties[order.field].runtimeType;
  const after =
    args.after === null || args.after === undefined ? null : parseOrderedCursor(args.after, runtimeType, order.scope);
  const condition = () => (typeof where === 'function' ? where() : where);
  const beyond = order.direction === 'asc' ? '$gt' : '$lt';
  const before = order.direction === 'asc' ? '$lt' : '$gt';
  const keyset = (operator: string, idOperator: string) =>
    ({
      $or: [
        { [order.field]: { [operator]: after!.value } },
        { [order.field]: after!.value, id: { [idOperator]: after!.id } },
      ],
    }) as FilterQuery<T>;
  const pageWhere = after === null ? condition() : ({ $and: [condition(), keyset(beyond, beyond)] } as FilterQuery<T>);
  const orderBy = { [order.field]: order.direction, id: order.direction } as never;
  const rows = await em.find(entity, pageWhere, { orderBy, limit: first + 1 });
  // Whether a row precedes the cursor (its own row included) is all hasPreviousPage needs: one row, not a count.
  const preceding =
    after === null
      ? []
      : await em.find(
          entity,
          { $and: [condition(), keyset(before, order.direction === 'asc' ? '$lte' : '$gte')] } as FilterQuery<T>,
          { limit: 1 },
        );
  const counts = { totalCount: 0, precedingCount: preceding.length };
  const connection = connectionOf(rows, first, counts, (row) => orderedCursor(row[order.field], row.id, order.scope));
  // Counting a long list costs more than its page: it is done only when a client selects totalCount (GraphQL's
  // default resolver reads the property, so the getter runs then), and once.
  let totalCount: Promise<number> | undefined;
  return {
    edges: connection.edges,
    pageInfo: connection.pageInfo,
    get totalCount() {
      totalCount ??= em.count(entity, condition());
      return totalCount;
    },
  };
}
