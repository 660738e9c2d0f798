import { BigIntType, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { TransferKind } from '../domain/ledger';

/**
 * One immutable transfer: inserted once, never updated or deleted. A settlement (POST_PENDING or
 * VOID_PENDING) names its freeze in `pendingId`, which is unique: a freeze settles once, even when two
 * requests race to settle it.
 */
@Entity({ tableName: 'bank_transfers' })
@Index({ properties: ['debitAccountId'] })
@Index({ properties: ['creditAccountId'] })
@Index({ properties: ['requestNo'] })
export class BankTransfer {
  /** UUIDv7, so the table's order is the order transfers were made. */
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  @Property({ type: 'string', length: 16 })
  kind!: TransferKind;

  @Property({ type: 'string', length: 36 })
  debitAccountId!: string;

  @Property({ type: 'string', length: 36 })
  creditAccountId!: string;

  /** For VOID_PENDING 0; for POST_PENDING the part settled. */
  @Property({ type: new BigIntType('bigint') })
  amountFen!: bigint;

  @Unique()
  @Property({ type: 'string', length: 36, nullable: true })
  pendingId!: string | null;

  /** The request that made it. */
  @Property({ type: 'string', length: 40 })
  requestNo!: string;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;
}
