import { Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';
import type { ReminderChannel, ReminderKind } from '../domain/reminders';

/** A reminder to a borrower (or a task for staff), created once per installment and kind, then sent. */
@Entity({ tableName: 'reminders' })
@Unique({ properties: ['installmentId', 'kind'] })
export class Reminder {
  [OptionalProps]?: 'id' | 'sentAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Property({ type: 'string', length: 36 })
  installmentId!: string;

  @Property({ type: 'string', length: 36, index: true })
  loanId!: string;

  @Property({ type: 'string', length: 36 })
  borrowerId!: string;

  @Property({ type: 'string', length: 24 })
  kind!: ReminderKind;

  @Property({ type: 'string', length: 24 })
  channel!: ReminderChannel;

  /** The business day it was created for. */
  @Property({ type: 'string', length: 10 })
  businessDate!: string;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;

  /** Set once the provider took it; unsent reminders are sent again by the next run. */
  @Property({ type: 'Date', length: 3, nullable: true })
  sentAt: Date | null = null;
}
