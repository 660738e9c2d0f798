import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';
import type { LoanStatus } from '../domain/loan-status';
import type { RepaymentMethod } from '../domain/repayment-method';

@Entity({ tableName: 'loans' })
export class Loan {
  [OptionalProps]?: 'id' | 'description' | 'rejectReason' | 'createdAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  /** The readable number borrowers and staff quote. */
  @Unique()
  @Property({ type: 'string', length: 32 })
  loanNo!: string;

  @Index()
  @Property({ type: 'string', length: 36 })
  borrowerId!: string;

  @Property({ type: 'string', length: 100 })
  title!: string;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: new BigIntType('bigint') })
  amountFen!: bigint;

  /** What the borrower pays a year, in millionths. */
  @Property({ type: 'integer' })
  annualRateMicros!: number;

  /** What investors earn a year, in millionths; the difference is the platform's commission. */
  @Property({ type: 'integer' })
  investorRateMicros!: number;

  @Property({ type: 'integer' })
  termMonths!: number;

  @Property({ type: 'string', length: 20 })
  repaymentMethod!: RepaymentMethod;

  /** The public marketplace lists loans by status. */
  @Index()
  @Property({ type: 'string', length: 20 })
  status!: LoanStatus;

  @Property({ type: 'string', length: 500, nullable: true })
  rejectReason: string | null = null;

  @Property({ type: 'Date', length: 3 })
  createdAt: Date = new Date();
}
