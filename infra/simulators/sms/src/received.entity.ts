import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** A text the provider accepted and delivered to the phone: once per messageId, whatever is sent again. */
@Entity({ tableName: 'sms_received' })
@Index({ properties: ['mobile', 'receivedAt'] })
export class SmsReceived {
  /** `SMS` and 24 hex digits: the receipt's reference. */
  @PrimaryKey({ type: 'string', length: 32 })
  providerMessageId!: string;

  /** The platform's id of the text, its idempotency key. */
  @Unique()
  @Property({ type: 'string', length: 64 })
  messageId!: string;

  @Property({ type: 'string', length: 11 })
  mobile!: string;

  @Property({ type: 'string', length: 32 })
  template!: string;

  /** The params as JSON text. */
  @Property({ type: 'text' })
  params!: string;

  /** What the phone shows (renderSms). */
  @Property({ type: 'string', length: 500 })
  text!: string;

  @Property({ type: 'Date', length: 3 })
  receivedAt!: Date;
}
