import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One business day's reconciliation (对账): the row is made when the business date reaches the day
 * (`repayments.business-date.advanced`) and completed by the background job once the day is over and the
 * bank's file was read. The counts and sums are those of the `reconciliation(date)` report, 0 until then.
 */
@Entity({ tableName: 'reconciliation_runs' })
export class ReconciliationRun {
  [OptionalProps]?:
    | 'matched'
    | 'notSubmitted'
    | 'missingAtBank'
    | 'missingAtPlatform'
    | 'mismatched'
    | 'platformAmountFen'
    | 'bankAmountFen'
    | 'completedAt';

  /** YYYY-MM-DD: the business date of the requests reconciled. */
  @PrimaryKey({ type: 'string', length: 10 })
  date!: string;

  /** When the business date reached this day. */
  @Property({ type: 'Date', length: 3 })
  requestedAt!: Date;

  @Property({ type: 'integer' })
  matched: number = 0;

  @Property({ type: 'integer' })
  notSubmitted: number = 0;

  @Property({ type: 'integer' })
  missingAtBank: number = 0;

  @Property({ type: 'integer' })
  missingAtPlatform: number = 0;

  /** Status and amount mismatches. */
  @Property({ type: 'integer' })
  mismatched: number = 0;

  @Property({ type: new BigIntType('bigint') })
  platformAmountFen: bigint = 0n;

  @Property({ type: new BigIntType('bigint') })
  bankAmountFen: bigint = 0n;

  @Property({ type: 'Date', length: 3, nullable: true })
  completedAt: Date | null = null;
}
