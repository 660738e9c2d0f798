import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';
import type { BidStatus } from '../domain/bid-status';

/**
 * One bid. No `version` column: after it is inserted, a bid changes only through conditional UPDATEs (on its
 * status or its unset releaseRequestNo: operations/settle-bid.ts, events/loan-*.subscription.ts), so of two
 * concurrent moves one matches no row. The investor's indexes serve User.bids newest first (InnoDB keys end
 * with the id): all of them, by status and by loan.
 */
@Entity({ tableName: 'bids' })
@Index({ properties: ['investorId', 'status'] })
@Index({ properties: ['investorId', 'loanId'] })
@Unique({ properties: ['loanId', 'autoRuleId'] })
export class Bid {
  [OptionalProps]?: 'id' | 'createdAt' | 'releaseRequestNo' | 'autoRuleId';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Index()
  @Property({ type: 'string', length: 36 })
  loanId!: string;

  @Index()
  @Property({ type: 'string', length: 36 })
  investorId!: string;

  @Property({ type: new BigIntType('bigint') })
  amountFen!: bigint;

  @Index()
  @Property({ type: 'string', length: 16 })
  status!: BidStatus;

  /** The bank request that froze the amount: the bank applies one requestNo once. */
  @Unique()
  @Property({ type: 'string', length: 40 })
  requestNo!: string;

  /** The CANCEL_PRE_TRANSACTION that releases the freeze, stored before it is sent (the loan failed). */
  @Property({ type: 'string', length: 40, nullable: true })
  releaseRequestNo: string | null = null;

  /**
   * The auto-invest rule the engine placed it for; null for a bid the investor placed. Unique with the
   * loan (NULLs never collide), so a rule bids at most once per loan however often the engine resumes.
   */
  @Property({ type: 'string', length: 36, nullable: true })
  autoRuleId: string | null = null;

  @Property({ type: 'Date', length: 3 })
  createdAt: Date = new Date();
}
