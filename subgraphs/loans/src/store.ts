import { runSql, type EntityManager } from '@wanxin/platform';

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
