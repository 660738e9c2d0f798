import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * A loan the auto-invest engine owes a pass: inserted with the loan's funding (from `loans.loan.opened`, in
 * the inbox's transaction), finished once the engine has bid for every matching rule that fits. An engine
 * killed mid-loan leaves it unfinished, and the next pass takes the loan up again; the (loan, rule) key on
 * bids keeps the rules already served from bidding twice.
 */
@Entity({ tableName: 'auto_invest_runs' })
@Index({ properties: ['finishedAt', 'queuedAt'] })
export class AutoInvestRun {
  [OptionalProps]?: 'finishedAt' | 'bidCount';

  @PrimaryKey({ type: 'string', length: 36 })
  loanId!: string;

  @Property({ type: 'Date', length: 3 })
  queuedAt!: Date;

  @Property({ type: 'Date', length: 3, nullable: true })
  finishedAt: Date | null = null;

  /** Auto bids the engine reserved on the loan (counted when it finished). */
  @Property({ type: 'integer' })
  bidCount: number = 0;
}
