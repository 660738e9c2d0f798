import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

export type NotificationStatus = 'PENDING' | 'DELIVERED' | 'GAVE_UP';

/**
 * A signed notification of a page operation's result, written in the same transaction as the result
 * and delivered to the agent (BANK_NOTIFY_URL) until it answers OK or the schedule runs out.
 */
@Entity({ tableName: 'bank_notifications' })
@Index({ properties: ['status', 'nextAttemptAt'] })
export class OutgoingNotification {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  /** One notification per request. */
  @Unique()
  @Property({ type: 'string', length: 40 })
  requestNo!: string;

  /** `{serviceName, platformNo, respData, signature}` as JSON, exactly the bytes posted. */
  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'Date', length: 3 })
  nextAttemptAt!: Date;

  // No initializer: MikroORM would turn it into a string column default, which it compares unquoted.
  @Property({ type: 'string', length: 10 })
  status!: NotificationStatus;

  @Property({ type: 'string', length: 500, nullable: true })
  lastError: string | null = null;

  @Property({ type: 'Date', length: 3, nullable: true })
  deliveredAt: Date | null = null;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;
}
