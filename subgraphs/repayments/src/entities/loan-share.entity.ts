import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One paid-out bid of a loan: its weight in every split of the loan's installments, and who holds it now
 * (`investorId`: the bidder, then each buyer of it on the claim-transfer market; indexed for User.holdings).
 */
@Entity({ tableName: 'loan_shares' })
export class LoanShare {
  @PrimaryKey({ type: 'string', length: 36 })
  bidId!: string;

  @Property({ type: 'string', length: 36, index: true })
  loanId!: string;

  @Property({ type: 'string', length: 36, index: true })
  investorId!: string;

  @Property({ type: new BigIntType('bigint') })
  amountFen!: bigint;
}
