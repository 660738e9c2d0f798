import { BigIntType, Entity, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';
import type { DepositoryStatus } from '../domain/account-status';

/** A user's account at the custodian bank, as the platform's agent knows it. */
@Entity({ tableName: 'depository_accounts' })
export class DepositoryAccount {
  [OptionalProps]?:
    'id' | 'balanceFen' | 'frozenFen' | 'idNumber' | 'bankCode' | 'cardNumber' | 'createdAt' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  /** At most one account per user. */
  @Unique()
  @Property({ type: 'string', length: 36 })
  userId!: string;

  /** The user's number at the bank, quoted in every request about them. */
  @Unique()
  @Property({ type: 'string', length: 32 })
  userNo!: string;

  @Property({ type: 'string', length: 16 })
  status!: DepositoryStatus;

  /** The balance the bank last reported to the agent; the bank's ledger is the truth. */
  @Property({ type: new BigIntType('bigint') })
  balanceFen: bigint = 0n;

  /** The frozen amount the bank last reported to the agent; the bank's ledger is the truth. */
  @Property({ type: new BigIntType('bigint') })
  frozenFen: bigint = 0n;

  /**
   * The ID number the account is being opened or was opened with: one person, one user. Claimed when
   * opening starts, released when the opening fails.
   */
  @Unique()
  @Property({ type: 'string', length: 18, nullable: true })
  idNumber: string | null = null;

  @Property({ type: 'string', length: 16, nullable: true })
  bankCode: string | null = null;

  @Property({ type: 'string', length: 32, nullable: true })
  cardNumber: string | null = null;

  @Property({ type: 'Date', length: 3 })
  createdAt: Date = new Date();

  @Property({ type: 'Date', length: 3, onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
