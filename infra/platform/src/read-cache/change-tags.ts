import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  Configuration,
  DeleteOptions,
  EntityClass,
  EntityData,
  EntityName,
  EventSubscriber,
  FilterQuery,
  FlushEventArgs,
  NativeInsertUpdateOptions,
  Primary,
  RequiredEntityData,
  Transaction,
  TransactionEventArgs,
  UpdateOptions,
} from '@mikro-orm/core';
import { SqlEntityManager, type EntityManager } from '@mikro-orm/knex';
import { CACHE_CHANGE_TAGS_MAX, CacheChanged } from '../contracts';
import { OutboxMessage } from '../messaging/outbox.entity';
import { outboxRowOf } from '../messaging/publish';

/**
 * What a change to one entity's row means to cached answers: the tags of the entities through which its data
 * is read (a bid is read through its loan: `Loan:<loanId>`), from the row as far as the write names it;
 * undefined when it names too little (then everything the subgraph serves counts as changed).
 */
export interface ChangeTagRule<T extends object = any> {
  entity: EntityClass<T>;
  tagsOf(row: Partial<T>): readonly string[] | undefined;
}

/** The tags one transaction changed: a set, or every answer of the subgraph. */
export class ChangedTags {
  readonly tags = new Set<string>();
  all = false;

  add(tags: readonly string[] | undefined): void {
    if (tags === undefined) this.all = true;
    else for (const tag of tags) this.tags.add(tag);
    if (this.tags.size > CACHE_CHANGE_TAGS_MAX) this.all = true;
    if (this.all) this.tags.clear();
  }

  addAll(other: ChangedTags): void {
    this.add(other.all ? undefined : [...other.tags]);
  }

  get isEmpty(): boolean {
    return !this.all && this.tags.size === 0;
  }
}

/**
 * The changes made while one request runs, for its answer (`extensions.wanxinChanged`): the gateway that
 * carried a mutation drops what it made stale before the caller reads again (read-your-writes). Work done for
 * several requests at once (a group commit) reports to each of them.
 */
export const requestChanges = new AsyncLocalStorage<ChangedTags[]>();

/** Runs `work` for the callers whose collectors are given (and no one else): what it changes is reported to each. */
export function reportingChangesTo<T>(collectors: readonly ChangedTags[], work: () => Promise<T>): Promise<T> {
  return requestChanges.run([...collectors], work);
}

/** The current request's collectors (none outside a request). */
export function currentChangeCollectors(): ChangedTags[] {
  return requestChanges.getStore() ?? [];
}

interface ChangeTracker {
  noteRows(transaction: object, entityName: string, rows: readonly object[]): void;
  covers(entityName: string): boolean;
}

/** One tracker per ORM configuration (each subgraph's own), found by the entity managers it creates. */
const trackers = new WeakMap<Configuration, ChangeTracker>();

function nameOf(entityName: EntityName<any> | object): string {
  if (typeof entityName === 'string') return entityName;
  if (typeof entityName === 'function') return entityName.name;
  return (entityName as object).constructor.name;
}

/** The rows a filter names by equality: one `$in` list becomes one row per value; anything else is left out. */
export function rowsOfFilter(where: unknown, data: object = {}): object[] {
  if (typeof where !== 'object' || where === null) return [{ ...data }];
  const row: Record<string, unknown> = {};
  let inList: [string, unknown[]] | undefined;
  for (const [key, value] of Object.entries(where)) {
    if (value === null || typeof value !== 'object' || value instanceof Date) row[key] = value;
    else if (Array.isArray((value as { $in?: unknown }).$in) && inList === undefined)
      inList = [key, (value as { $in: unknown[] }).$in];
  }
  if (inList === undefined) return [{ ...row, ...data }];
  const [key, values] = inList;
  return values.map((value) => ({ ...row, [key]: value, ...data }));
}

/** How a write is noted: not at all (no rule for its entity), in a transaction of its own, or in the current one. */
type Tracking = 'untracked' | 'own-transaction' | { note(rows: readonly object[]): void };

/** How a write of `entityName` made by the ORM configured by `config` in `transaction` is noted. */
function trackingOf(config: Configuration, entityName: string, transaction: Transaction | undefined): Tracking {
  const tracker = trackers.get(config);
  if (tracker === undefined || !tracker.covers(entityName)) return 'untracked';
  if (transaction === undefined) return 'own-transaction';
  return { note: (rows) => tracker.noteRows(transaction, entityName, rows) };
}

/**
 * The subgraphs' entity manager: writes that bypass the unit of work (insert, upsert, nativeUpdate, nativeDelete)
 * are noted like flushed ones, in their transaction; outside one, the write gets its own, so its note commits with
 * it. A query builder's or runSql's write is not seen here: its store module calls noteRawWrite.
 */
export class ChangeTrackingEntityManager extends SqlEntityManager {
  private tracking(entityName: EntityName<any> | object, ctx: Transaction | undefined): Tracking {
    return trackingOf(this.config, nameOf(entityName), ctx ?? this.getTransactionContext());
  }

  override async nativeUpdate<Entity extends object>(
    entityName: EntityName<Entity>,
    where: FilterQuery<Entity>,
    data: EntityData<Entity>,
    options: UpdateOptions<Entity> = {},
  ): Promise<number> {
    const tracking = this.tracking(entityName, options.ctx);
    if (tracking === 'untracked') return super.nativeUpdate(entityName, where, data, options);
    if (tracking === 'own-transaction')
      return this.transactional((tx) => tx.nativeUpdate(entityName, where, data, options));
    const count = await super.nativeUpdate(entityName, where, data, options);
    if (count > 0) tracking.note(rowsOfFilter(where, data));
    return count;
  }

  override async nativeDelete<Entity extends object>(
    entityName: EntityName<Entity>,
    where: FilterQuery<Entity>,
    options: DeleteOptions<Entity> = {},
  ): Promise<number> {
    const tracking = this.tracking(entityName, options.ctx);
    if (tracking === 'untracked') return super.nativeDelete(entityName, where, options);
    if (tracking === 'own-transaction') return this.transactional((tx) => tx.nativeDelete(entityName, where, options));
    const count = await super.nativeDelete(entityName, where, options);
    if (count > 0) tracking.note(rowsOfFilter(where));
    return count;
  }

  override async insert<Entity extends object>(
    entityNameOrEntity: EntityName<Entity> | Entity,
    data?: RequiredEntityData<Entity> | Entity,
    options: NativeInsertUpdateOptions<Entity> = {},
  ): Promise<Primary<Entity>> {
    const tracking = this.tracking(entityNameOrEntity, options.ctx);
    if (tracking === 'untracked') return super.insert(entityNameOrEntity, data, options);
    if (tracking === 'own-transaction') return this.transactional((tx) => tx.insert(entityNameOrEntity, data, options));
    const key = await super.insert(entityNameOrEntity, data, options);
    tracking.note([(data ?? entityNameOrEntity) as object]);
    return key;
  }

  // Loosely typed: the base's generic signature cannot be restated in an override.
  override async insertMany(
    entityNameOrEntities: any,
    data?: any[],
    options: NativeInsertUpdateOptions<any> = {},
  ): Promise<any[]> {
    const rows = (data ?? entityNameOrEntities) as object[];
    const tracking = this.tracking(Array.isArray(entityNameOrEntities) ? rows[0] : entityNameOrEntities, options.ctx);
    if (tracking === 'untracked' || rows.length === 0) return super.insertMany(entityNameOrEntities, data, options);
    if (tracking === 'own-transaction')
      return this.transactional((tx) => tx.insertMany(entityNameOrEntities, data, options));
    const keys = await super.insertMany(entityNameOrEntities, data, options);
    tracking.note(rows);
    return keys;
  }

  // Loosely typed, like insertMany. The rows as given name the keys an upsert wrote.
  override async upsert(entityNameOrEntity: any, data?: any, options: any = {}): Promise<any> {
    const tracking = this.tracking(entityNameOrEntity, options.ctx);
    if (tracking === 'untracked') return super.upsert(entityNameOrEntity, data, options);
    if (tracking === 'own-transaction') return this.transactional((tx) => tx.upsert(entityNameOrEntity, data, options));
    const entity = await super.upsert(entityNameOrEntity, data, options);
    tracking.note([entity as object]);
    return entity;
  }

  override async upsertMany(entityNameOrEntities: any, data?: any, options: any = {}): Promise<any[]> {
    const rows = (data ?? entityNameOrEntities) as object[];
    const tracking = this.tracking(Array.isArray(entityNameOrEntities) ? rows[0] : entityNameOrEntities, options.ctx);
    if (tracking === 'untracked' || rows.length === 0) return super.upsertMany(entityNameOrEntities, data, options);
    if (tracking === 'own-transaction')
      return this.transactional((tx) => tx.upsertMany(entityNameOrEntities, data, options));
    const entities = await super.upsertMany(entityNameOrEntities, data, options);
    tracking.note(entities as object[]);
    return entities;
  }
}

/** Notes a write made with hand-written SQL (a store module's statement), in the transaction `em` runs. */
export function noteRawWrite<T extends object>(em: EntityManager, entity: EntityClass<T>, rows: readonly Partial<T>[]) {
  const tracking = trackingOf(em.config, entity.name, em.getTransactionContext());
  if (tracking === 'untracked') return;
  // A statement outside a transaction cannot carry its note atomically: the store modules run theirs inside one.
  if (tracking === 'own-transaction')
    throw new Error(`${entity.name}: a raw write outside a transaction cannot be noted`);
  tracking.note(rows);
}

/**
 * Notes every change to an entity with a rule, flushed or native, per transaction; before the transaction
 * commits, writes one `platform.cache.changed` outbox row for it and tells the current request.
 */
export class ChangeTagSubscriber implements EventSubscriber, ChangeTracker {
  private readonly rules = new Map<string, ChangeTagRule>();
  private readonly pending = new WeakMap<object, ChangedTags>();
  /** Commits that wrote a row and have not woken the relay yet (a rolled-back one only costs a spare wake). */
  private wakesOwed = 0;

  constructor(
    private readonly subgraph: string,
    rules: readonly ChangeTagRule[],
    config: Configuration,
    private readonly onWritten: () => void,
  ) {
    for (const rule of rules) this.rules.set(rule.entity.name, rule);
    trackers.set(config, this);
  }

  covers(entityName: string): boolean {
    return this.rules.has(entityName);
  }

  noteRows(transaction: object, entityName: string, rows: readonly object[]): void {
    const rule = this.rules.get(entityName)!;
    let changed = this.pending.get(transaction);
    if (changed === undefined) this.pending.set(transaction, (changed = new ChangedTags()));
    for (const row of rows) changed.add(rule.tagsOf(row));
  }

  onFlush({ em, uow }: FlushEventArgs): void {
    // A flush outside a transaction commits in one of its own, which reports its unit of work.
    const key = em.getTransactionContext() ?? uow;
    for (const change of uow.getChangeSets()) {
      if (this.rules.has(change.name))
        this.noteRows(key, change.name, [{ ...change.originalEntity, ...change.entity }]);
    }
  }

  async beforeTransactionCommit({ em, transaction, uow }: TransactionEventArgs): Promise<void> {
    const changed = new ChangedTags();
    for (const key of [transaction, uow]) {
      const noted = key === undefined ? undefined : this.pending.get(key);
      if (noted === undefined) continue;
      changed.addAll(noted);
      this.pending.delete(key!);
    }
    if (changed.isEmpty) return;
    const payload = { subgraph: this.subgraph, tags: [...changed.tags], all: changed.all };
    const { row } = outboxRowOf(CacheChanged, this.subgraph, payload, new Date());
    await em.insert(OutboxMessage, { ...row, attempts: 0 }, { ctx: transaction });
    for (const collector of currentChangeCollectors()) collector.addAll(changed);
    this.wakesOwed += 1;
  }

  afterTransactionCommit(): void {
    if (this.wakesOwed === 0) return;
    this.wakesOwed -= 1;
    this.onWritten();
  }
}
