import { BigIntType, Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';
import type { StatementKind } from '../domain/statement';

/**
 * One posting the bank made on a user's depository account (domain/statement.ts), written from the bank's
 * success answer in the transaction that records it. Insert-only; the user's posting number is unique, so
 * the same answer heard twice (a notification, the sync job, a retried call) makes one entry.
 */
@Entity({ tableName: 'statement_entries' })
@Unique({ properties: ['userId', 'bankSeq'] })
@Index({ properties: ['userId', 'businessDate'] })
export class StatementEntry {
  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Property({ type: 'string', length: 36 })
  userId!: string;

  /** The account's posting number at the bank: 1, 2, 3 … in the order the bank applied them. */
  @Property({ type: new BigIntType('bigint') })
  bankSeq!: bigint;

  @Property({ type: 'string', length: 40 })
  requestNo!: string;

  @Property({ type: 'string', length: 20 })
  kind!: StatementKind;

  /** Signed: what the entry changed of the user's money at the bank (available + frozen). */
  @Property({ type: new BigIntType('bigint') })
  amountFen!: bigint;

  @Property({ type: new BigIntType('bigint') })
  availableChangeFen!: bigint;

  @Property({ type: new BigIntType('bigint') })
  frozenChangeFen!: bigint;

  @Property({ type: new BigIntType('bigint') })
  availableAfterFen!: bigint;

  @Property({ type: new BigIntType('bigint') })
  frozenAfterFen!: bigint;

  /** The business date the request was booked on (YYYY-MM-DD). */
  @Property({ type: 'string', length: 10 })
  businessDate!: string;

  @Property({ type: 'string', length: 40 })
  reference!: string;

  /** A receipt's principal and interest (penalty included); null for other entries. */
  @Property({ type: new BigIntType('bigint'), nullable: true })
  principalFen: bigint | null = null;

  @Property({ type: new BigIntType('bigint'), nullable: true })
  interestFen: bigint | null = null;

  @Property({ type: 'Date', length: 3 })
  createdAt: Date = new Date();
}
