import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { DeliveryRowEntity, type DeliveryStatus } from '@wanxin/platform';

export type CallbackStatus = DeliveryStatus;

/**
 * A decision to be called back to the platform, written in the same transaction as the decision and
 * POSTed to `url` (signed afresh on each attempt) until it answers 2xx or the schedule runs out. It lives
 * in the simulator's database, so a restart delivers what was pending.
 */
@Entity({ tableName: 'provider_callbacks' })
export class ProviderCallback extends DeliveryRowEntity {
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
