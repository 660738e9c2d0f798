import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, MoneyScalar } from '@wanxin/platform';
import type { ReconciliationResult } from '../domain/reconciliation';

export const ReconciliationResultEnum = {
  MATCHED: 'MATCHED',
  NOT_SUBMITTED: 'NOT_SUBMITTED',
  MISSING_AT_BANK: 'MISSING_AT_BANK',
  MISSING_AT_PLATFORM: 'MISSING_AT_PLATFORM',
  STATUS_MISMATCH: 'STATUS_MISMATCH',
  AMOUNT_MISMATCH: 'AMOUNT_MISMATCH',
  SERVICE_MISMATCH: 'SERVICE_MISMATCH',
} as const satisfies { [Result in ReconciliationResult]: Result };

registerEnumType(ReconciliationResultEnum, {
  name: 'ReconciliationResult',
  description: 'NOT_SUBMITTED: a bank page the user never completed, expected and harmless.',
  valuesConfig: {
    MATCHED: { description: 'The platform and the bank agree on status and amount.' },
    NOT_SUBMITTED: { description: 'A bank page the user never completed: expected and harmless.' },
    MISSING_AT_BANK: { description: 'The platform sent it; the bank has no record of it.' },
    MISSING_AT_PLATFORM: { description: 'The bank has a record the platform does not.' },
    STATUS_MISMATCH: {
      description: 'The two sides disagree on whether it succeeded, or the platform still waits for it.',
    },
    AMOUNT_MISMATCH: { description: 'Both say it succeeded, for different amounts.' },
    SERVICE_MISMATCH: { description: 'The bank ran the request as another service than the platform sent.' },
  },
});

@ObjectType('ReconciliationItem', { description: "One instruction as the platform's and the bank's records show it." })
export class ReconciliationItemNode {
  @Field(() => String, { description: "The instruction's number." })
  requestNo!: string;

  @Field(() => String, { description: 'The bank service: PERSONAL_REGISTER, RECHARGE, WITHDRAW, …' })
  serviceName!: string;

  @Field(() => ReconciliationResultEnum, { description: 'How the two records compare.' })
  result!: ReconciliationResult;

  @Field(() => String, { nullable: true, description: 'UNSYNC, SYNC or FAILED; null when the platform has no record.' })
  platformStatus!: string | null;

  @Field(() => String, { nullable: true, description: 'SUCCESS or FAILED; null when the bank has no record.' })
  bankStatus!: string | null;

  @Field(() => MoneyScalar, {
    nullable: true,
    description: "The platform's amount; null without a record or an amount.",
  })
  platformAmount!: bigint | null;

  @Field(() => MoneyScalar, { nullable: true, description: "The bank's amount; null without a record or an amount." })
  bankAmount!: bigint | null;
}

/** What a report and a stored run both show: one day's lines counted by result, and each side's money. */
@ObjectType()
export class ReconciliationSummaryFields {
  @Field(() => DateScalar, { description: 'The day reconciled.' })
  date!: string;

  @Field(() => Int, { description: 'Instructions both sides agree on.' })
  matched!: number;

  @Field(() => Int, { description: 'Bank pages the users never completed.' })
  notSubmitted!: number;

  @Field(() => Int, { description: 'Instructions the bank has no record of.' })
  missingAtBank!: number;

  @Field(() => Int, { description: 'Bank records the platform does not have.' })
  missingAtPlatform!: number;

  @Field(() => Int, { description: 'Instructions whose status or amount differ.' })
  mismatched!: number;

  @Field(() => MoneyScalar, {
    name: 'platformAmount',
    description: 'Σ amounts the platform holds as confirmed (SYNC).',
  })
  platformAmountFen!: bigint;

  @Field(() => MoneyScalar, { name: 'bankAmount', description: 'Σ amounts the bank reports as done (SUCCESS).' })
  bankAmountFen!: bigint;
}

@ObjectType('ReconciliationReport', {
  description:
    'One business day of the platform’s bank instructions matched with the bank’s records of that accounting date.',
})
export class ReconciliationReportNode extends ReconciliationSummaryFields {
  @Field(() => [ReconciliationItemNode], { description: 'Every line that is not MATCHED.' })
  discrepancies!: ReconciliationItemNode[];
}
