import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { RepaymentMethod } from '@wanxin/platform';

export type RepaymentLoanStatus = 'REPAYING' | 'SETTLED';

/**
 * A paid-out loan as repayments knows it, from `loans.loan.disbursed`: what collection and splits need. A
 * read model: repayments keeps its own copy of the loan's terms (the loans subgraph's Loan entity stays the
 * source), so the columns alike in both are on purpose, not a copy to share.
 */
@Entity({ tableName: 'repayment_loans' })
@Index({ properties: ['status', 'bankProjectSettledAt'] })
export class RepaymentLoan {
  [OptionalProps]?: 'settledAt' | 'projectSettleRequestNo' | 'bankProjectSettledAt';

  /** The loan's id in the loans subgraph. */
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  /** The bank's projectNo for the loan. */
  @Property({ type: 'string', length: 32 })
  loanNo!: string;

  @Property({ type: 'string', length: 36, index: true })
  borrowerId!: string;

  @Property({ type: new BigIntType('bigint') })
  amountFen!: bigint;

  @Property({ type: 'integer' })
  annualRateMicros!: number;

  @Property({ type: 'integer' })
  investorRateMicros!: number;

  @Property({ type: 'integer' })
  termMonths!: number;

  @Property({ type: 'string', length: 24 })
  repaymentMethod!: RepaymentMethod;

  /** The schedule's start: installment k falls due k months later. */
  @Property({ type: 'string', length: 10 })
  startDate!: string;

  @Property({ type: 'string', length: 16 })
  status!: RepaymentLoanStatus;

  @Property({ type: 'Date', length: 3, nullable: true })
  settledAt: Date | null = null;

  /** The MODIFY_PROJECT SETTLED requestNo, stored when the loan settles, so every retry is the same request. */
  @Property({ type: 'string', length: 40, nullable: true })
  projectSettleRequestNo: string | null = null;

  /** When the bank confirmed the project SETTLED; null while the settle pass still has to tell it. */
  @Property({ type: 'Date', length: 3, nullable: true })
  bankProjectSettledAt: Date | null = null;
}
