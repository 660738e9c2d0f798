import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { ArgsType, Field, Int, ObjectType, Directive } from 'type-graphql';
import type { ClassType } from 'type-graphql';
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
  const first = pageSize(args);
  if (args.after !== undefined && args.after !== null && !isId(args.after)) {
    throw CommonErrors.badInput('after', 'is not a cursor from this list');
  }
  const pageWhere = args.after ? ({ $and: [where, { id: { $lt: args.after } }] } as FilterQuery<T>) : where;
  const rows = await em.find(entity, pageWhere, { orderBy: { id: 'desc' } as never, limit: first + 1 });
  const totalCount = await em.count(entity, where);
  const pageRows = rows.slice(0, first);
  return {
    edges: pageRows.map((node) => ({ cursor: node.id, node })),
    pageInfo: { hasNextPage: rows.length > first, endCursor: pageRows.at(-1)?.id ?? null },
    totalCount,
  };
}
