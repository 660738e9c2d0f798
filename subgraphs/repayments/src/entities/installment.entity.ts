import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';
import type { InstallmentStatus } from '../domain/installment-status';

/**
 * One period of a loan's repayment schedule. The unique key also serves lookups by loan. No `version`
 * column: repaying reads installments with a row lock (SELECT … FOR UPDATE, operations/record-repayment.ts)
 * and the daily run moves them by conditional UPDATE on their status.
 */
@Entity({ tableName: 'installments' })
@Unique({ properties: ['loanId', 'period'] })
@Index({ properties: ['status', 'dueDate'] })
export class Installment {
  [OptionalProps]?:
    | 'id'
    | 'repaidAt'
    | 'overdueDays'
    | 'penaltyFen'
    | 'penaltyWaivedFen'
    | 'collectionRequestNo'
    | 'overdueBusinessDate'
    | 'repaidBusinessDate';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Property({ type: 'string', length: 36 })
  loanId!: string;

  /** 1 for the first installment. */
  @Property({ type: 'integer' })
  period!: number;

  /** A calendar date, YYYY-MM-DD. */
  @Property({ type: 'string', length: 10 })
  dueDate!: string;

  @Property({ type: new BigIntType('bigint') })
  principalFen!: bigint;

  @Property({ type: new BigIntType('bigint') })
  interestFen!: bigint;

  @Property({ type: 'string', length: 16 })
  status!: InstallmentStatus;

  @Property({ type: 'Date', length: 3, nullable: true })
  repaidAt: Date | null = null;

  @Property({ type: 'integer' })
  overdueDays: number = 0;

  /** Penalty interest owed: accrued while overdue, less `penaltyWaivedFen`. */
  @Property({ type: new BigIntType('bigint') })
  penaltyFen: bigint = 0n;

  /** What admins waived of the penalty (waivePenalty; entities/penalty-waiver.entity.ts says who and why). */
  @Property({ type: new BigIntType('bigint'), default: 0 })
  penaltyWaivedFen: bigint = 0n;

  /** The business date it fell OVERDUE (its day 1 of overdue), YYYY-MM-DD; null while never overdue. */
  @Property({ type: 'string', length: 10, nullable: true })
  overdueBusinessDate: string | null = null;

  /** The business date of the collection that repaid it, YYYY-MM-DD; the date `repaidAt` falls on. */
  @Property({ type: 'string', length: 10, nullable: true })
  repaidBusinessDate: string | null = null;

  /** The collection (bank freeze) that paid it. */
  @Index()
  @Property({ type: 'string', length: 40, nullable: true })
  collectionRequestNo: string | null = null;
}
