import { BigIntType, Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { BankProjectStatus } from '@wanxin/platform/bank-protocol';

/**
 * A loan project registered by CREATE_PROJECT, with its escrow account. Its status changes only through
 * conditional updates (`... where status = ?`), which also serialise TENDER freezes against CONFIRM_LOAN.
 */
@Entity({ tableName: 'bank_projects' })
export class BankProject {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Unique()
  @Property({ type: 'string', length: 40 })
  projectNo!: string;

  @Property({ type: 'string', length: 40 })
  borrowerUserNo!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: new BigIntType('bigint') })
  amountFen!: bigint;

  @Property({ type: 'string', length: 16 })
  status!: BankProjectStatus;

  /** The PROJECT (escrow) ledger account. */
  @Property({ type: 'string', length: 36 })
  accountId!: string;

  /** Raised by every write that must not interleave with a status change (a freeze, a payout). */
  @Property({ type: 'integer' })
  version!: number;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;

  @Property({ type: 'Date', length: 3 })
  updatedAt!: Date;
}
