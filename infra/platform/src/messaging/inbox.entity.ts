import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** One row per (consumer, message) handled: inserted in the handler's transaction, so effects happen once. */
@Entity({ tableName: 'inbox' })
export class InboxMessage {
  @PrimaryKey({ type: 'string', length: 100 })
  consumer!: string;

  @PrimaryKey({ type: 'string', length: 36 })
  messageId!: string;

  @Property({ type: 'string', length: 100 })
  type!: string;

  @Property({ type: 'Date', length: 3 })
  handledAt!: Date;
}
