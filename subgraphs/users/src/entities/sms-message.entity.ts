import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';
import type { SmsTemplate } from '@wanxin/platform/sms-protocol';
import type { SmsStatus } from '../domain/sms';

/**
 * One text to one mobile, written in the transaction that decided to send it and sent by the SMS job
 * (jobs/send-sms.ts) until the provider takes it: the outbox of SMS. Its id is the provider's idempotency
 * key, so a text sent again after a crash is not sent twice.
 */
@Entity({ tableName: 'sms_messages' })
@Index({ properties: ['status', 'nextAttemptAt'] })
// An operator's list of one mobile's texts, newest first (ids are time-ordered).
@Index({ properties: ['mobile', 'id'] })
export class SmsMessage {
  [OptionalProps]?: 'id' | 'attempts' | 'providerMessageId' | 'lastError' | 'sentAt' | 'userId';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  /** What caused it, once: a reminder's id, or a verification code's id. */
  @Property({ type: 'string', length: 64, unique: true })
  sourceKey!: string;

  @Property({ type: 'string', length: 36, nullable: true })
  userId: string | null = null;

  @Property({ type: 'string', length: 11 })
  mobile!: string;

  @Property({ type: 'string', length: 24 })
  template!: SmsTemplate;

  /** The template's parameters as JSON (a verification code is blanked once sent). */
  @Property({ type: 'text' })
  params!: string;

  // No initializer: MikroORM would make it a string column default, which it compares unquoted.
  @Property({ type: 'string', length: 8 })
  status!: SmsStatus;

  /** Sends tried, the one in flight included. */
  @Property({ type: 'integer' })
  attempts: number = 0;

  /** When the job may try it (again); a claimed send moves it on by the send's timeout, as a lease. */
  @Property({ type: 'Date', length: 3 })
  nextAttemptAt!: Date;

  @Property({ type: 'string', length: 40, nullable: true })
  providerMessageId: string | null = null;

  @Property({ type: 'string', length: 500, nullable: true })
  lastError: string | null = null;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;

  @Property({ type: 'Date', length: 3, nullable: true })
  sentAt: Date | null = null;
}
