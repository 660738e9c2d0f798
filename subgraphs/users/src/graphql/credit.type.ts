import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { connectionType, DateTimeScalar, MoneyScalar } from '@wanxin/platform';
import type { CreditApplicationStatus } from '../domain/credit-application';

/** GraphQL's view of domain/credit-application.ts's CREDIT_APPLICATION_STATUSES (the same strings). */
export enum CreditApplicationStatusEnum {
  SUBMITTED = 'SUBMITTED',
  MANUAL_REJECTED = 'MANUAL_REJECTED',
  RISK_PENDING = 'RISK_PENDING',
  RISK_REJECTED = 'RISK_REJECTED',
  APPROVED = 'APPROVED',
}
registerEnumType(CreditApplicationStatusEnum, {
  name: 'CreditApplicationStatus',
  description: 'SUBMITTED → (admin review) MANUAL_REJECTED | RISK_PENDING → (risk provider) RISK_REJECTED | APPROVED.',
  valuesConfig: {
    SUBMITTED: { description: 'Waiting for an admin’s review.' },
    MANUAL_REJECTED: { description: 'Refused by the admin’s review (with a reason); the borrower may apply again.' },
    RISK_PENDING: { description: 'Approved by the review and sent to the risk provider; its answer has not arrived.' },
    RISK_REJECTED: { description: 'The risk provider refused it; the borrower may apply again.' },
    APPROVED: { description: 'The risk provider granted a credit line (User.creditLine).' },
  },
});

@ObjectType('RiskReport', {
  description: 'ADMIN: one answer of the risk provider, kept as received (its signed message).',
})
export class RiskReportNode {
  @Field(() => String, { description: "The provider's id of this answer." })
  answerId!: string;

  @Field(() => Int, { description: 'The score, 300 to 900.' })
  score!: number;

  @Field(() => String, { description: "The provider's decision: APPROVED or REJECTED." })
  decision!: string;

  @Field(() => MoneyScalar, { description: 'The limit the provider granted (0.00 when it refused).' })
  limit!: bigint;

  @Field(() => DateTimeScalar, { description: 'When the provider assessed the application.' })
  assessedAt!: Date;

  @Field(() => String, {
    description: 'SETTLED when this answer decided the application; IGNORED when it arrived after another.',
  })
  outcome!: string;

  @Field(() => String, { description: "The provider's signed message as received (JSON text)." })
  rawAnswer!: string;

  @Field(() => DateTimeScalar, { description: 'When the platform stored it.' })
  receivedAt!: Date;
}

@ObjectType('CreditApplication', {
  description:
    "A borrower's application for a credit line (授信): reviewed by an admin, then scored by the risk provider.",
})
export class CreditApplicationNode {
  @Field(() => ID, { description: "The application's id; also the risk provider's request id." })
  id!: string;

  userId!: string;

  @Field(() => CreditApplicationStatusEnum, { description: 'Where the application stands.' })
  status!: CreditApplicationStatus;

  @Field(() => String, { nullable: true, description: "The admin's reason (required to refuse); null before review." })
  reviewReason!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When an admin reviewed it; null before.' })
  reviewedAt!: Date | null;

  @Field(() => Int, { description: 'Requests sent to the risk provider so far (re-asks included).' })
  asksSent!: number;

  @Field(() => Boolean, {
    description: 'RISK_PENDING and the risk provider never answered, though asked the most times: needs an admin.',
  })
  answerOverdue!: boolean;

  @Field(() => Int, { nullable: true, description: "The risk provider's score; null until it answered." })
  score!: number | null;

  @Field(() => MoneyScalar, { nullable: true, description: 'The limit granted when APPROVED; null otherwise.' })
  limit!: bigint | null;

  @Field(() => DateTimeScalar, { description: 'Wall-clock audit stamp (UTC): when the borrower applied.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was decided; null while open.' })
  settledAt!: Date | null;
}

export const CreditApplicationConnection = connectionType('CreditApplication', CreditApplicationNode);
