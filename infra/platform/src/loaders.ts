import DataLoader from 'dataloader';
import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/knex';
import { assert } from './assert';
import { findPages, type Connection, type PageArgs } from './pagination';

/** Largest batch one loader sends to the database in a single query. */
export const LOADER_BATCH_SIZE_MAX = 500;

/**
 * DataLoaders for one request: every `_entities` call or list page resolves its references with one
 * query per entity type, however many rows it shows. Created per request so nothing leaks between viewers.
 */
export class RequestLoaders {
  private readonly loaders = new Map<unknown, DataLoader<unknown, unknown>>();
  constructor(private readonly em: EntityManager) {}

  /** A loader registered under `key`, created on first use; `batchSizeMax` keys at most per batch. */
  get<K, V>(
    key: unknown,
    batch: (keys: readonly K[], em: EntityManager) => Promise<readonly (V | Error)[]>,
    batchSizeMax = LOADER_BATCH_SIZE_MAX,
  ): DataLoader<K, V> {
    let loader = this.loaders.get(key) as DataLoader<K, V> | undefined;
    if (loader === undefined) {
      loader = new DataLoader<K, V>((keys) => batch(keys, this.em), { maxBatchSize: batchSizeMax });
      this.loaders.set(key, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }

  /** Loads rows of `entity` by primary key `id`; a missing row is null. */
  byId<T extends { id: string }>(entity: EntityClass<T>): DataLoader<string, T | null> {
    return this.byColumn(entity, 'id');
  }

  /** Loads at most one row of `entity` per value of a unique column; a missing row is null. */
  byColumn<T extends object, C extends keyof T & string>(
    entity: EntityClass<T>,
    column: C,
  ): DataLoader<string, T | null> {
    return this.get<string, T | null>(`${entity.name}.${column}`, async (keys, em) => {
      const rows = await em.find(entity, { [column]: { $in: keys } } as never);
      const byKey = new Map(rows.map((row) => [String(row[column]), row]));
      return keys.map((key) => byKey.get(key) ?? null);
    });
  }

  /**
   * Every row of `entity` whose `column` is the key (a loan's installments), ordered by `orderBy`, all
   * parents of a batch in one query; a key with more than `rowsPerKeyMax` rows is a broken invariant.
   */
  allByColumn<T extends object, C extends keyof T & string>(
    entity: EntityClass<T>,
    column: C,
    orderBy: keyof T & string,
    rowsPerKeyMax: number,
  ): DataLoader<string, T[]> {
    return this.get<string, T[]>(`${entity.name}.${column}:all`, async (keys, em) => {
      const rows = await em.find(entity, { [column]: { $in: keys } } as never, {
        orderBy: { [orderBy]: 'asc' } as never,
        limit: keys.length * rowsPerKeyMax + 1,
      });
      assert(
        rows.length <= keys.length * rowsPerKeyMax,
        `more than ${rowsPerKeyMax} ${entity.name} rows per ${column}`,
      );
      const byKey = new Map<string, T[]>(keys.map((key) => [key, []]));
      for (const row of rows) byKey.get(String(row[column]))?.push(row);
      return keys.map((key) => byKey.get(key)!);
    });
  }

  /** Pages of `entity` rows whose `column` is the key (each loan's bids), every parent of a batch in two queries. */
  pagesByColumn<T extends { id: string }, C extends keyof T & string>(
    entity: EntityClass<T>,
    column: C,
    page: PageArgs,
  ): DataLoader<string, Connection<T>> {
    // One loader per page window: parents asking different pages are batched separately.
    return this.get<string, Connection<T>>(
      `${entity.name}.${column}:pages:${page.first ?? ''}:${page.after ?? ''}`,
      (keys, em) => findPages(em, entity, column, keys, page),
    );
  }
}
