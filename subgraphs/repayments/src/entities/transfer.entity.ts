import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';
import type { TransferEndReason, TransferStatus } from '../domain/transfer';

/**
 * A holding offered on the claim-transfer market (债权转让, domain/transfer.ts). Repayments owns it, not bids:
 * a holding is a LOANED bid's not-yet-RECEIVED receivables, and the receivables, the loan shares (bid →
 * current holder), the installments, the overdue state, the accrued interest (repayEarly's ACT/365) and the
 * daily run all live here — so a sale's local commit is one transaction, and it serializes with collections
 * under the same row lock (`RepaymentLoan`, operations/collect.ts openCollections).
 *
 * `openBidId` is the bid's id while LISTED or SELLING and null once the listing ended: unique, so a bid has
 * one open listing however many requests race. No `version` column: it moves only by conditional UPDATEs
 * on its status, under its row lock.
 */
@Entity({ tableName: 'transfers' })
@Index({ properties: ['status', 'listedBusinessDate'] })
@Index({ properties: ['status', 'reservedAt'] })
@Index({ properties: ['loanId', 'status'] })
export class Transfer {
  [OptionalProps]?: 'id' | 'buyerId' | 'openBidId' | 'requestNo' | 'reservedAt' | 'soldAt' | 'endedAt' | 'endReason';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Property({ type: 'string', length: 36, index: true })
  bidId!: string;

  @Unique()
  @Property({ type: 'string', length: 36, nullable: true })
  openBidId: string | null = null;

  @Property({ type: 'string', length: 36 })
  loanId!: string;

  @Property({ type: 'string', length: 36, index: true })
  sellerId!: string;

  /** The buyer once SELLING (reserved) or SOLD; null while on the market. */
  @Property({ type: 'string', length: 36, nullable: true })
  buyerId: string | null = null;

  /** The holding's outstanding principal when listed: a purchase checks it still is. */
  @Property({ type: new BigIntType('bigint') })
  principalFen!: bigint;

  @Property({ type: new BigIntType('bigint') })
  priceFen!: bigint;

  /** The platform's part of the price; the seller gets `priceFen - feeFen`. */
  @Property({ type: new BigIntType('bigint') })
  feeFen!: bigint;

  @Property({ type: 'string', length: 16 })
  status!: TransferStatus;

  /** The CREDIT_ASSIGNMENT's requestNo, new at each reservation: every retry of that sale is the same request. */
  @Property({ type: 'string', length: 40, nullable: true })
  requestNo: string | null = null;

  /** When the buyer reserved it (wall clock): the settle pass leaves younger sales to their request. */
  @Property({ type: 'Date', length: 3, nullable: true })
  reservedAt: Date | null = null;

  /** Audit stamp (wall clock). */
  @Property({ type: 'Date', length: 3 })
  listedAt!: Date;

  /** The business date it was listed on: it expires TRANSFER_LISTING_DAYS later. */
  @Property({ type: 'string', length: 10 })
  listedBusinessDate!: string;

  @Property({ type: 'Date', length: 3, nullable: true })
  soldAt: Date | null = null;

  @Property({ type: 'Date', length: 3, nullable: true })
  endedAt: Date | null = null;

  @Property({ type: 'string', length: 24, nullable: true })
  endReason: TransferEndReason | null = null;
}
