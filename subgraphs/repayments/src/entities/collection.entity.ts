import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * One attempt to collect money from a borrower: a REPAYMENT freeze at the bank (its requestNo), for one
 * installment on its due day or later, or for all that is left (early repayment). SENT until the bank
 * answers; FROZEN → the installments are REPAID and CONFIRM_REPAYMENT pays the investors (CONFIRMED);
 * REFUSED → nothing happened at the bank.
 */
export type CollectionStatus = 'SENT' | 'FROZEN' | 'REFUSED' | 'CONFIRMED';
export type CollectionKind = 'INSTALLMENT' | 'EARLY';

/**
 * One collection (a REPAYMENT freeze at the bank). No `version` column: it moves only through conditional
 * UPDATEs on its status, after a row lock where a batch claims several (operations/record-repayment.ts).
 */
@Entity({ tableName: 'collections' })
@Index({ properties: ['status', 'createdAt'] })
@Index({ properties: ['loanId', 'status'] })
export class Collection {
  [OptionalProps]?: 'installmentId' | 'confirmRequestNo' | 'answeredAt' | 'confirmedAt';

  /** The freeze's requestNo at the bank. */
  @PrimaryKey({ type: 'string', length: 40 })
  requestNo!: string;

  @Property({ type: 'string', length: 36 })
  loanId!: string;

  @Property({ type: 'string', length: 16 })
  kind!: CollectionKind;

  /** The installment collected (kind INSTALLMENT); null for an early repayment, which covers all. */
  @Property({ type: 'string', length: 36, nullable: true })
  installmentId: string | null = null;

  @Property({ type: new BigIntType('bigint') })
  amountFen!: bigint;

  /** The business day it was attempted on. */
  @Property({ type: 'string', length: 10 })
  businessDate!: string;

  @Property({ type: 'string', length: 16 })
  status!: CollectionStatus;

  /** Set with FROZEN, in the transaction that records the freeze: the CONFIRM_REPAYMENT to send until answered. */
  @Property({ type: 'string', length: 40, nullable: true })
  confirmRequestNo: string | null = null;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;

  @Property({ type: 'Date', length: 3, nullable: true })
  answeredAt: Date | null = null;

  @Property({ type: 'Date', length: 3, nullable: true })
  confirmedAt: Date | null = null;
}
