import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '@wanxin/platform';
import type { CollectionCaseStatus, CollectionSeverity, CollectionStage } from '../domain/collection-case';

/**
 * A loan in collection (domain/collection-case.ts). `openLoanId` is the loan's id while OPEN and null once
 * CLOSED: unique, so a loan has one open case however many runs race. Moved by the nightly run
 * (jobs/collection-cases.ts) and closed in the transaction that repays its last overdue installment.
 */
@Entity({ tableName: 'collection_cases' })
@Index({ properties: ['status', 'overdueSince'] })
export class CollectionCase {
  [OptionalProps]?: 'id' | 'closedOn' | 'promisedDate' | 'openLoanId';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  @Property({ type: 'string', length: 36, index: true })
  loanId!: string;

  @Unique()
  @Property({ type: 'string', length: 36, nullable: true })
  openLoanId: string | null = null;

  @Property({ type: 'string', length: 36 })
  borrowerId!: string;

  @Property({ type: 'string', length: 8 })
  status!: CollectionCaseStatus;

  @Property({ type: 'string', length: 24 })
  stage!: CollectionStage;

  @Property({ type: 'string', length: 8 })
  severity!: CollectionSeverity;

  /** The oldest overdue installment's days past due, as of the last nightly run. */
  @Property({ type: 'integer' })
  overdueDays!: number;

  /** That installment's due date: the list's order, oldest first. */
  @Property({ type: 'string', length: 10 })
  overdueSince!: string;

  /** Σ amount + penalty of the loan's overdue installments, as of the last nightly run. */
  @Property({ type: new BigIntType('bigint') })
  overdueAmountFen!: bigint;

  /** Business dates. */
  @Property({ type: 'string', length: 10 })
  openedOn!: string;

  @Property({ type: 'string', length: 10 })
  updatedOn!: string;

  @Property({ type: 'string', length: 10, nullable: true })
  closedOn: string | null = null;

  /** The latest note's promised date to pay, if it gave one. */
  @Property({ type: 'string', length: 10, nullable: true })
  promisedDate: string | null = null;
}
