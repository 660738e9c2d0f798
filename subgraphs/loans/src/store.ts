import { assert, noteRawWrite, runSql, selectRows, sqlInteger, type EntityManager } from '@wanxin/platform';
import { Loan } from './entities/loan.entity';

/**
 * The loans subgraph's hand-written statements (the style is raw-sql.ts's in the platform); everything
 * else goes through the ORM.
 */

/**
 * Adds `expired` to the loans day `date`'s runs moved to FAILED: an increment, not a write of a total,
 * since another replica may be running the same day.
 */
export async function addLoansExpired(em: EntityManager, date: string, expired: number): Promise<void> {
  await runSql(em, 'update business_days set loans_expired = loans_expired + ? where date = ?', [expired, date]);
}

/**
 * Uses `amountFen` of the borrower's credit line if that much is available: false (nothing changed) when
 * there is no line or less is available. The row lock it takes orders concurrent uses of one line, and
 * each re-reads `used_fen` after the one before committed, so together they never exceed the limit.
 */
export async function useCreditLine(em: EntityManager, userId: string, amountFen: bigint): Promise<boolean> {
  const used = await runSql(
    em,
    `update credit_lines set used_fen = used_fen + ${sqlInteger(amountFen)} ` +
      `where user_id = ? and limit_fen - used_fen >= ${sqlInteger(amountFen)}`,
    [userId],
  );
  return used === 1;
}

/**
 * Gives `amountFen` back to the borrower's credit line. The caller takes it off the loan holding it, with
 * a condition on what the loan held, in the same transaction: it is given back once.
 */
export async function giveBackToCreditLine(em: EntityManager, userId: string, amountFen: bigint): Promise<void> {
  const given = await runSql(
    em,
    `update credit_lines set used_fen = used_fen - ${sqlInteger(amountFen)} ` +
      `where user_id = ? and used_fen >= ${sqlInteger(amountFen)}`,
    [userId],
  );
  assert(given === 1, `the credit line of ${userId} holds the ${amountFen} fen a loan of theirs gives back`);
}

/**
 * Adds a frozen bid's `amountFen` to what the loan's bids froze, if the loan is still taking bids (or has
 * failed since: a freeze the bank confirmed late still counted) and it fits: false when nothing changed.
 * The row stays locked until the transaction ends, so the progress written after it (setLoanProgress) is
 * computed from this very total.
 */
export async function addLoanFunded(em: EntityManager, loanId: string, amountFen: bigint): Promise<boolean> {
  noteRawWrite(em, Loan, [{ id: loanId }]);
  const added = await runSql(
    em,
    `update loans set funded_fen = funded_fen + ${sqlInteger(amountFen)} ` +
      `where id = ? and status in (?, ?) and funded_fen + ${sqlInteger(amountFen)} <= amount_fen`,
    [loanId, 'FUNDRAISING', 'FAILED'],
  );
  return added === 1;
}

/** Writes a loan's funded total and its progress key (domain/loan-search.ts, progressE18Of). */
export async function setLoanProgress(
  em: EntityManager,
  loanId: string,
  fundedFen: bigint,
  progressE18: bigint,
): Promise<void> {
  noteRawWrite(em, Loan, [{ id: loanId }]);
  const written = await runSql(
    em,
    `update loans set funded_fen = ${sqlInteger(fundedFen)}, progress_e18 = ${sqlInteger(progressE18)} where id = ?`,
    [loanId],
  );
  assert(written === 1, `loan ${loanId} exists to record its progress`);
}

/** A loan's funded total and amount as the database holds them now (not the identity map's copy). */
export async function readLoanFunding(
  em: EntityManager,
  loanId: string,
): Promise<{ fundedFen: bigint; amountFen: bigint; status: string } | null> {
  const rows = await selectRows<{ funded_fen: unknown; amount_fen: unknown; status: string }>(
    em,
    'select funded_fen, amount_fen, status from loans where id = ?',
    [loanId],
  );
  if (rows.length === 0) return null;
  const [{ funded_fen: fundedFen, amount_fen: amountFen, status }] = rows;
  return { fundedFen: BigInt(String(fundedFen)), amountFen: BigInt(String(amountFen)), status };
}
