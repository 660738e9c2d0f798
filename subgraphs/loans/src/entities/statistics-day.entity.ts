import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The loans part of the admins' statistics, one row per business day (a read model: the inbox consumers in
 * events/statistics.subscription.ts add to it, `StatisticsRow` references only read it).
 */
@Entity({ tableName: 'statistics_days' })
export class StatisticsDay {
  [OptionalProps]?: 'loansPublished' | 'amountFundedFen';

  /** YYYY-MM-DD: the business date the facts happened at. */
  @PrimaryKey({ type: 'string', length: 10 })
  businessDate!: string;

  /** Loans opened for bids (`loans.loan.opened`). */
  @Property({ type: new BigIntType('bigint'), default: 0 })
  loansPublished: bigint = 0n;

  /** Principal paid out to borrowers (`loans.loan.disbursed`). */
  @Property({ type: new BigIntType('bigint'), default: 0 })
  amountFundedFen: bigint = 0n;
}
