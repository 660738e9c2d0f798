import { BigIntType, Entity, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A borrower's revolving credit line, from `users.credit.approved` (domain/credit-line.ts has its rules).
 * No `version` column: `usedFen` changes only through the conditional increments of store.ts, in the
 * transaction that moves the loan using or giving back the amount.
 */
@Entity({ tableName: 'credit_lines' })
export class CreditLine {
  @PrimaryKey({ type: 'string', length: 36 })
  userId!: string;

  @Property({ type: new BigIntType('bigint') })
  limitFen!: bigint;

  /** The sum of what the borrower's loans hold (`Loan.creditUsedFen`); above the limit after a lowered one. */
  @Property({ type: new BigIntType('bigint') })
  usedFen!: bigint;

  /** The risk provider's score, 300–900, that priced the line. */
  @Property({ type: 'integer' })
  score!: number;

  /** The borrower's annual rate priced from the score, in millionths: createLoan's default and floor. */
  @Property({ type: 'integer' })
  annualRateMicros!: number;

  /** When the approval that set the limit was granted; an older approval delivered late changes nothing. */
  @Property({ type: 'Date', length: 3 })
  grantedAt!: Date;

  /** The credit application (users) whose approval set the limit. */
  @Property({ type: 'string', length: 36 })
  applicationId!: string;
}
