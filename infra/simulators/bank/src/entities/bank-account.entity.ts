import { BigIntType, Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { AccountCode } from '../domain/ledger';

/**
 * A ledger account: four running totals, changed only by the ledger store's conditional updates in the
 * same transaction that records the transfers (never through the ORM's change tracking).
 */
@Entity({ tableName: 'bank_accounts' })
export class BankAccount {
  @PrimaryKey({ type: 'string', length: 36 })
  id!: string;

  /** BANK_CASH, PLATFORM_FEE, USER:<userNo>, CARD:<userNo>, PROJECT:<projectNo>. */
  @Unique()
  @Property({ type: 'string', length: 64 })
  ref!: string;

  @Property({ type: 'string', length: 16 })
  code!: AccountCode;

  @Property({ type: new BigIntType('bigint'), fieldName: 'debits_posted_fen' })
  debitsPostedFen!: bigint;

  @Property({ type: new BigIntType('bigint'), fieldName: 'credits_posted_fen' })
  creditsPostedFen!: bigint;

  @Property({ type: new BigIntType('bigint'), fieldName: 'debits_pending_fen' })
  debitsPendingFen!: bigint;

  @Property({ type: new BigIntType('bigint'), fieldName: 'credits_pending_fen' })
  creditsPendingFen!: bigint;

  /** How many requests changed the account so far: the number of its latest posting (domain/postings.ts). */
  @Property({ type: new BigIntType('bigint'), fieldName: 'posting_seq', default: 0 })
  postingSeq!: bigint;

  @Property({ type: 'Date', length: 3 })
  createdAt!: Date;
}
