import {
  Entity,
  Index,
  OptionalProps,
  PrimaryKey,
  Property,
  TextType,
  type EntityProperty,
  type Platform,
} from '@mikro-orm/core';
import { MySqlPlatform } from '@mikro-orm/knex';

export type OutboxStatus = 'PENDING' | 'SENT' | 'DEAD';

/**
 * The most bytes an envelope may take (publishEvent asserts it): a quarter of the body column's 16 MiB
 * on MariaDB, and well below RabbitMQ's default largest message (16 MiB or more).
 */
export const OUTBOX_BODY_BYTES_MAX = 4 * 1024 * 1024;

/**
 * MEDIUMTEXT (16 MiB) on MySQL/MariaDB, whose TEXT holds only 64 KiB, less than an event listing a
 * loan's LOAN_BIDS_MAX bids; TEXT on SQLite, whose strings reach 1 GB.
 */
class EnvelopeTextType extends TextType {
  override getColumnType(prop: EntityProperty, platform: Platform): string {
    return platform instanceof MySqlPlatform ? 'mediumtext' : super.getColumnType(prop, platform);
  }
}

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

  /** The whole envelope as JSON, exactly the bytes published: at most OUTBOX_BODY_BYTES_MAX. */
  @Property({ type: EnvelopeTextType })
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
