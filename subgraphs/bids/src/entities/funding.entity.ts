import { BigIntType, Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import type { FundingStatus } from '../domain/bid-status';

/**
 * One loan's funding, created from `loans.loan.opened`. `raisedFen` counts PENDING and FROZEN bids and only
 * moves through one conditional UPDATE (operations/reserve-funding.ts), so concurrent bids never exceed it.
 */
@Entity({ tableName: 'fundings' })
export class Funding {
  [OptionalProps]?: 'raisedFen' | 'bidCount' | 'annualRateMicros';

  @PrimaryKey({ type: 'string', length: 36 })
  loanId!: string;

  @Property({ type: 'string', length: 40 })
  loanNo!: string;

  @Property({ type: 'string', length: 36 })
  borrowerId!: string;

  @Property({ type: new BigIntType('bigint') })
  amountFen!: bigint;

  @Property({ type: new BigIntType('bigint') })
  raisedFen: bigint = 0n;

  @Property({ type: 'integer' })
  bidCount: number = 0;

  @Property({ type: 'string', length: 16 })
  status!: FundingStatus;

  /** The borrower's rate: the schedule a bid's interest is split from. Null for rows older than the column. */
  @Property({ type: 'integer', nullable: true })
  annualRateMicros: number | null = null;

  @Property({ type: 'integer' })
  investorRateMicros!: number;

  @Property({ type: 'integer' })
  termMonths!: number;

  @Property({ type: 'string', length: 24 })
  repaymentMethod!: string;

  @Property({ type: 'Date', length: 3 })
  openedAt!: Date;
}
