import { Field, ID, ObjectType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '@wanxin/platform';

/** A reminder to a borrower or a collection task for staff. Each field reads the `Reminder` entity's property. */
@ObjectType('Reminder', {
  description: 'A reminder to a borrower or a collection task for staff, made by the daily jobs.',
})
export class ReminderNode {
  @Field(() => ID, { description: "The reminder's id." })
  id!: string;

  @Field(() => ID, { description: 'The installment it is about.' })
  installmentId!: string;

  @Field(() => String, { description: 'DUE_SOON_SMS, OVERDUE_SMS, OVERDUE_PHONE_TASK or EMERGENCY_CONTACT.' })
  kind!: string;

  @Field(() => String, { description: 'SMS, STAFF_TASK or EMERGENCY_CONTACT.' })
  channel!: string;

  @Field(() => DateScalar, { description: 'The business day it was created for.' })
  businessDate!: string;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description:
      'Business time the provider took it: its business day (`businessDate`) with the UTC time of day; null until then.',
  })
  sentAt!: Date | null;
}
