import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType, DateTimeScalar } from '@wanxin/platform';

/** GraphQL's view of domain/sms.ts's SMS_STATUSES (the same strings). */
export enum SmsStatusEnum {
  PENDING = 'PENDING',
  SENT = 'SENT',
  FAILED = 'FAILED',
}
registerEnumType(SmsStatusEnum, {
  name: 'SmsStatus',
  description: 'PENDING → SENT, or FAILED when the provider refused it or every retry was used.',
  valuesConfig: {
    PENDING: { description: 'Waiting to be sent, or to be tried again after the provider could not take it.' },
    SENT: { description: 'The SMS provider took it (providerMessageId).' },
    FAILED: { description: 'Refused by the provider, or not taken after every retry: an operator looks at it.' },
  },
});

@ObjectType('SmsMessage', { description: 'ADMIN: one text to one mobile, from the SMS outbox.' })
export class SmsMessageNode {
  @Field(() => ID, { description: "The text's id: the SMS provider's idempotency key." })
  id!: string;

  @Field(() => String, { description: 'DUE_SOON, OVERDUE_DAY_1, OVERDUE_REMINDER or VERIFICATION_CODE.' })
  template!: string;

  @Field(() => String, { description: 'The mobile it goes to, masked (138****0000).' })
  mobile!: string;

  @Field(() => ID, { nullable: true, description: 'The user it is for; null for a registration code.' })
  userId!: string | null;

  @Field(() => SmsStatusEnum, { description: 'Where it is: PENDING, SENT or FAILED.' })
  status!: SmsStatusEnum;

  @Field(() => Int, { description: 'Sends tried so far.' })
  attempts!: number;

  @Field(() => String, { nullable: true, description: "The SMS provider's message id, once it took the text." })
  providerMessageId!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the last send failed, if it did.' })
  lastError!: string | null;

  @Field(() => DateTimeScalar, { description: 'When it was queued.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When the provider took it; null until then.' })
  sentAt!: Date | null;
}

export const SmsMessageConnection = connectionType('SmsMessage', SmsMessageNode);

@ObjectType('SmsCodeSent', { description: 'A verification code is on its way to the mobile.' })
export class SmsCodeSentNode {
  @Field(() => DateTimeScalar, { description: 'When the code stops working (5 minutes after it was asked for).' })
  expiresAt!: Date;
}
