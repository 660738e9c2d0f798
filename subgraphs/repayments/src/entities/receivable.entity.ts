import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';
import type { ReceivableStatus } from '../domain/receivable-status';

/**
 * One investor's share of one installment, for one bid. The unique key also serves lookups by installment;
 * the investor's indexes serve User.receivables newest first (InnoDB keys end with the id): all of them,
 * by status (the portfolio's sums too) and by loan. No `version` column: receivables change only with their
 * installment, under its row lock.
 */
@Entity({ tableName: 'receivables' })
@Unique({ properties: ['installmentId', 'bidId'] })
@Index({ properties: ['investorId', 'status'] })
@Index({ properties: ['investorId', 'loanId'] })
export class Receivable {
  [OptionalProps]?: 'id' | 'penaltyFen';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Property({ type: 'string', length: 36 })
  installmentId!: string;

  @Property({ type: 'string', length: 36 })
  loanId!: string;

  @Property({ type: 'string', length: 36 })
  bidId!: string;

  @Index()
  @Property({ type: 'string', length: 36 })
  investorId!: string;

  @Property({ type: new BigIntType('bigint') })
  principalFen!: bigint;

  @Property({ type: new BigIntType('bigint') })
  interestFen!: bigint;

  @Property({ type: 'string', length: 16 })
  status!: ReceivableStatus;

  /** Its share of the installment's penalty, set when a late installment is repaid. */
  @Property({ type: new BigIntType('bigint') })
  penaltyFen: bigint = 0n;
}
