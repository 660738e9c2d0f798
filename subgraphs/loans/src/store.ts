import { assert, runSql, sqlInteger, type EntityManager } from '@wanxin/platform';

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
