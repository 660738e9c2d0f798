import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

/** One counted bid of a fully funded loan, as `bids.loan.fully-funded` listed it: carried into `loans.loan.disbursed`. */
@Entity({ tableName: 'loan_bids' })
export class LoanBid {
  @PrimaryKey({ type: 'string', length: 36 })
  bidId!: string;

  @Index()
  @Property({ type: 'string', length: 36 })
  loanId!: string;

  @Property({ type: 'string', length: 36 })
  investorId!: string;

  @Property({ type: new BigIntType('bigint') })
  amountFen!: bigint;
}
