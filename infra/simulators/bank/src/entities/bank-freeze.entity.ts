import { BigIntType, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { PreTransactionBizType } from '@wanxin/platform/bank-protocol';

/**
 * What a USER_AUTO_PRE_TRANSACTION froze: its PENDING transfer, by whom, for which project and why.
 * Insert-only; whether it is still open is read from the transfers (a settlement names it).
 */
@Entity({ tableName: 'bank_freezes' })
@Index({ properties: ['projectNo', 'bizType'] })
export class BankFreeze {
  /** The PENDING transfer's id. */
  @PrimaryKey({ type: 'string', length: 36 })
  transferId!: string;

  /** The request that froze; CANCEL_PRE_TRANSACTION and CONFIRM_REPAYMENT name it as preRequestNo. */
  @Unique()
  @Property({ type: 'string', length: 40 })
  requestNo!: string;

  @Property({ type: 'string', length: 40 })
  userNo!: string;

  @Property({ type: 'string', length: 40 })
  projectNo!: string;

  @Property({ type: 'string', length: 16 })
  bizType!: PreTransactionBizType;

  @Property({ type: new BigIntType('bigint') })
  amountFen!: bigint;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;
}
