import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

export type CallbackStatus = 'PENDING' | 'DELIVERED' | 'GAVE_UP';

/**
 * A decision to be called back to the platform, written in the same transaction as the decision and
 * POSTed to `url` (signed afresh on each attempt) until it answers 2xx or the schedule runs out. It lives
 * in the simulator's database, so a restart delivers what was pending.
 */
@Entity({ tableName: 'provider_callbacks' })
@Index({ properties: ['status', 'nextAttemptAt'] })
export class ProviderCallback {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  /** What the callback is about (the verification's reference, the answer's id): one callback each. */
  @Unique()
  @Property({ type: 'string', length: 64 })
  reference!: string;

  @Property({ type: 'string', length: 2048 })
  url!: string;

  @Property({ type: 'string', length: 64 })
  messageType!: string;

  /** The JSON text signed into every attempt. */
  @Property({ type: 'text' })
  data!: string;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'Date', length: 3 })
  nextAttemptAt!: Date;

  // No initializer: MikroORM would turn it into a string column default, which it compares unquoted.
  @Property({ type: 'string', length: 10 })
  status!: CallbackStatus;

  @Property({ type: 'string', length: 500, nullable: true })
  lastError: string | null = null;

  @Property({ type: 'Date', length: 3, nullable: true })
  deliveredAt: Date | null = null;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;
}

/** The nonce of every request accepted in the freshness window: the same message twice is a replay. */
@Entity({ tableName: 'provider_nonces' })
export class SeenNonce {
  @PrimaryKey({ type: 'string', length: 64 })
  nonce!: string;

  @Index()
  @Property({ type: 'Date', length: 3 })
  seenAt!: Date;
}

/** The kit's tables, in each simulator's own database beside its own. */
export const KIT_ENTITIES = [ProviderCallback, SeenNonce];
