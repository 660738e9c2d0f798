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
  description: 'NOT_SUBMITTED: a bank page the user never completed, expected and harmless. SERVICE_MISMATCH: the bank ran the request as another service.',
});

@ObjectType('ReconciliationItem')
export class ReconciliationItemNode {
  @Field(() => String)
  requestNo!: string;

  @Field(() => String)
  serviceName!: string;

  @Field(() => ReconciliationResultEnum)
  result!: ReconciliationResult;

  @Field(() => String, { nullable: true, description: 'UNSYNC, SYNC or FAILED; null when the platform has no record.' })
  platformStatus!: string | null;

  @Field(() => String, { nullable: true, description: 'SUCCESS or FAILED; null when the bank has no record.' })
  bankStatus!: string | null;

  @Field(() => MoneyScalar, { nullable: true })
  platformAmount!: bigint | null;

  @Field(() => MoneyScalar, { nullable: true })
  bankAmount!: bigint | null;
}

/** What a report and a stored run both show: one day's lines counted by result, and each side's money. */
@ObjectType()
export class ReconciliationSummaryFields {
  @Field(() => DateScalar)
  date!: string;

  @Field(() => Int)
  matched!: number;

  @Field(() => Int)
  notSubmitted!: number;

  @Field(() => Int)
  missingAtBank!: number;

  @Field(() => Int)
  missingAtPlatform!: number;

  @Field(() => Int)
  mismatched!: number;

  @Field(() => MoneyScalar, { name: 'platformAmount', description: 'Σ amounts the platform holds as confirmed (SYNC).' })
  platformAmountFen!: bigint;

  @Field(() => MoneyScalar, { name: 'bankAmount', description: 'Σ amounts the bank reports as done (SUCCESS).' })
  bankAmountFen!: bigint;
}

@ObjectType('ReconciliationReport', { description: 'One UTC day of the platform’s bank instructions matched with the bank’s records.' })
export class ReconciliationReportNode extends ReconciliationSummaryFields {
  @Field(() => [ReconciliationItemNode], { description: 'Every line that is not MATCHED.' })
  discrepancies!: ReconciliationItemNode[];
}
