import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId, type RepaymentMethod } from '@wanxin/platform';
import type { LoanStatus } from '../domain/loan-status';

/**
 * A loan. No `version` column: after it is created, a loan changes only through conditional UPDATEs
 * (`WHERE id = ? AND status = ?`, operations/ and events/), so of two concurrent moves one matches no row.
 */
@Entity({ tableName: 'loans' })
@Index({ properties: ['status', 'openedBusinessAt'] })
// The `loans` list's orders (domain/loan-search.ts), each a keyset on (column, id): an index per order serves
// the page and, within a range filter on the same column, the filter too.
@Index({ properties: ['createdAt', 'id'] })
@Index({ properties: ['amountFen', 'id'] })
@Index({ properties: ['annualRateMicros', 'id'] })
@Index({ properties: ['termMonths', 'id'] })
@Index({ properties: ['progressE18', 'id'] })
// The marketplace's usual search, one method and a rate range ordered by rate: the page reads it in order
// (method, rate, id), and its count reads it alone, without the rows: the term and the status ride after the
// id, which is unique, so they cover the count's conditions without changing the order.
@Index({ properties: ['repaymentMethod', 'annualRateMicros', 'id', 'termMonths', 'status'] })
export class Loan {
  [OptionalProps]?:
    | 'id'
    | 'description'
    | 'rejectReason'
    | 'createdAt'
    | 'openedAt'
    | 'openedBusinessAt'
    | 'failReason'
    | 'cancelReason'
    | 'cancelledBy'
    | 'projectRequestNo'
    | 'confirmRequestNo'
    | 'feeFen'
    | 'disbursedAt'
    | 'openedBusinessDate'
    | 'disbursedBusinessDate'
    | 'closeRequestNo'
    | 'bankProjectClosedAt'
    | 'underReviewBorrowerId'
    | 'creditUsedFen'
    | 'fundedFen'
    | 'progressE18';

  @PrimaryKey({ type: 'string', length: 36 })
  id: string = newId();

  /** The readable number borrowers and staff quote. */
  @Unique()
  @Property({ type: 'string', length: 32 })
  loanNo!: string;

  @Index()
  @Property({ type: 'string', length: 36 })
  borrowerId!: string;

  @Property({ type: 'string', length: 100 })
  title!: string;

  @Property({ type: 'text', nullable: true })
  description: string | null = null;

  @Property({ type: new BigIntType('bigint') })
  amountFen!: bigint;

  /** What the borrower pays a year, in millionths. */
  @Property({ type: 'integer' })
  annualRateMicros!: number;

  /** What investors earn a year, in millionths; the difference is the platform's commission. */
  @Property({ type: 'integer' })
  investorRateMicros!: number;

  @Property({ type: 'integer' })
  termMonths!: number;

  @Property({ type: 'string', length: 20 })
  repaymentMethod!: RepaymentMethod;

  /** The public marketplace lists loans by status. */
  @Index()
  @Property({ type: 'string', length: 20 })
  status!: LoanStatus;

  /**
   * The borrower's id while the loan is PENDING_REVIEW, null afterwards: the unique key that makes "at most
   * one loan under review per borrower" hold under concurrent createLoans (NULLs never collide).
   */
  @Unique()
  @Property({ type: 'string', length: 36, nullable: true })
  underReviewBorrowerId: string | null = null;

  /**
   * What the loan holds of its borrower's credit line: the amount from createLoan, less the principal
   * repaid; 0 once a rejection, a failure or the settlement gave the rest back. Loans published before
   * credit lines existed hold nothing.
   */
  @Property({ type: new BigIntType('bigint'), default: 0 })
  creditUsedFen: bigint = 0n;

  /**
   * What the bank froze for the loan's bids (Σ of `bids.bid.placed`, each counted once through the inbox);
   * the amount once `bids.loan.fully-funded` arrived. The funding itself is bids'; this copy lets the list
   * order by progress.
   */
  @Property({ type: new BigIntType('bigint'), default: 0 })
  fundedFen: bigint = 0n;

  /** fundedFen / amountFen × 10¹⁸, floored (progressE18Of): kept with fundedFen in the same statement's transaction. */
  @Property({ type: new BigIntType('bigint'), default: 0 })
  progressE18: bigint = 0n;

  @Property({ type: 'string', length: 500, nullable: true })
  rejectReason: string | null = null;

  @Property({ type: 'Date', length: 3 })
  createdAt: Date = new Date();

  /** When the loan opened for bids (FUNDRAISING), by the wall clock. */
  @Property({ type: 'Date', length: 3, nullable: true })
  openedAt: Date | null = null;

  /**
   * The same moment in business time, from which the funding window counts: `openedAt`, moved forward by
   * the days the business date is ahead of the wall clock (a business date run ahead, as in tests or a
   * catch-up), so that days already announced do not expire a loan opened after them.
   */
  @Property({ type: 'Date', length: 3, nullable: true })
  openedBusinessAt: Date | null = null;

  /** Why the loan FAILED: its funding window closed, or the full review refused the payout. */
  @Property({ type: 'string', length: 500, nullable: true })
  failReason: string | null = null;

  /** Why cancelLoan withdrew it (CANCELLED) or cancelled its listing (FAILED), as its borrower or an admin wrote it. */
  @Property({ type: 'string', length: 500, nullable: true })
  cancelReason: string | null = null;

  /** Who cancelled it (a user id): its borrower or an admin. */
  @Property({ type: 'string', length: 36, nullable: true })
  cancelledBy: string | null = null;

  /** The CREATE_PROJECT requestNo, stored before it is sent, so a retry never registers a second project. */
  @Property({ type: 'string', length: 40, nullable: true })
  projectRequestNo: string | null = null;

  /** The CONFIRM_LOAN requestNo, stored before it is sent with `feeFen`, so a retry never pays out twice. */
  @Property({ type: 'string', length: 40, nullable: true })
  confirmRequestNo: string | null = null;

  /** The platform's service fee kept at payout. */
  @Property({ type: new BigIntType('bigint'), nullable: true })
  feeFen: bigint | null = null;

  @Property({ type: 'Date', length: 3, nullable: true })
  disbursedAt: Date | null = null;

  /** The business date it opened for bids, YYYY-MM-DD, as loans knew it then (the statistics count it there). */
  @Property({ type: 'string', length: 10, nullable: true })
  openedBusinessDate: string | null = null;

  /** The business date it was paid out, YYYY-MM-DD, as loans knew it then. */
  @Property({ type: 'string', length: 10, nullable: true })
  disbursedBusinessDate: string | null = null;

  /** The MODIFY_PROJECT FAILED requestNo for a failed loan that has a bank project. */
  @Property({ type: 'string', length: 40, nullable: true })
  closeRequestNo: string | null = null;

  /** When the bank confirmed the failed loan's project FAILED; null while that is still to be done. */
  @Property({ type: 'Date', length: 3, nullable: true })
  bankProjectClosedAt: Date | null = null;
}
