import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * The repayments part of the admins' statistics, one row per business day (a read model: the inbox
 * consumers in events/statistics.subscription.ts add to it, the `statistics` query only reads it).
 */
@Entity({ tableName: 'statistics_days' })
export class StatisticsDay {
  [OptionalProps]?: 'amountRepaidFen' | 'amountOverdueFen' | 'amountDueFen' | 'amountDueOverdueFen' | 'installmentsDue';

  /** YYYY-MM-DD: the business date the facts happened at. */
  @PrimaryKey({ type: 'string', length: 10 })
  businessDate!: string;

  /** Principal + interest + penalty repaid by borrowers (on time, late or early). */
  @Property({ type: new BigIntType('bigint'), default: 0 })
  amountRepaidFen: bigint = 0n;

  /** Principal + interest of the installments that fell OVERDUE that day (their day 1 of overdue). */
  @Property({ type: new BigIntType('bigint'), default: 0 })
  amountOverdueFen: bigint = 0n;

  /** Principal + interest of the installments due that day, counted once the day has run. */
  @Property({ type: new BigIntType('bigint'), default: 0 })
  amountDueFen: bigint = 0n;

  /** Of `amountDueFen`, the installments that have since fallen OVERDUE: what was not paid by its due date. */
  @Property({ type: new BigIntType('bigint'), default: 0 })
  amountDueOverdueFen: bigint = 0n;

  /** The installments due that day (those of `amountDueFen`). */
  @Property({ type: new BigIntType('bigint'), default: 0 })
  installmentsDue: bigint = 0n;
}
