import { Entity, Property, Unique } from '@mikro-orm/core';
import { DeliveryRowEntity, type DeliveryStatus } from '@wanxin/platform';

export type NotificationStatus = DeliveryStatus;

/**
 * A signed notification of a page operation's result, written in the same transaction as the result
 * and delivered to the agent (BANK_NOTIFY_URL) until it answers OK or the schedule runs out.
 */
@Entity({ tableName: 'bank_notifications' })
export class OutgoingNotification extends DeliveryRowEntity {
  /** One notification per request. */
  @Unique()
  @Property({ type: 'string', length: 40 })
  requestNo!: string;

  /** `{serviceName, platformNo, respData, signature}` as JSON, exactly the bytes posted. */
  @Property({ type: 'text' })
  body!: string;
}
