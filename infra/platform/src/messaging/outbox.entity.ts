import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

export type OutboxStatus = 'PENDING' | 'SENT' | 'DEAD';

/** An event written in the same transaction as the change that caused it; the relay publishes it. */
@Entity({ tableName: 'outbox' })
@Index({ properties: ['status', 'nextAttemptAt'] })
@Index({ properties: ['aggregateId', 'status'] })
export class OutboxMessage {
  [OptionalProps]?: 'attempts' | 'lastError' | 'sentAt';

  /** UUIDv7: the AMQP messageId and the order of the outbox. */
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: 'string', length: 100 })
  type!: string;

  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'string', length: 64 })
  aggregateId!: string;

  /** The whole envelope as JSON, exactly the bytes published. */
  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'Date', length: 3 })
  occurredAt!: Date;

  // No initializer: MikroORM would turn it into a string column default, which it compares unquoted.
  @Property({ type: 'string', length: 8 })
  status!: OutboxStatus;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'Date', length: 3 })
  nextAttemptAt!: Date;

  @Property({ type: 'string', length: 500, nullable: true })
  lastError: string | null = null;

  @Property({ type: 'Date', length: 3, nullable: true })
  sentAt: Date | null = null;
}
