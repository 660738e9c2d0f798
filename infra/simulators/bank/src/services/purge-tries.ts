import { forkEntityManager, type Database } from '@wanxin/platform';
import { TRADE_PASSWORD_TRY_RETENTION_MS } from '../domain/page-form';
import { BankTradePasswordTry } from '../entities/bank-trade-password-try.entity';

/** Rows deleted per statement: a statement never holds many locks for long. */
export const TRY_PURGE_BATCH_MAX = 1000;
/** Statements per pass: a larger backlog is cleared over the next passes. */
const TRY_PURGE_BATCHES_PER_PASS_MAX = 20;
/** How often the bank purges old trade-password tries. */
export const TRY_PURGE_INTERVAL_MS = 10 * 60_000;

/**
 * Deletes the trade-password tries older than TRADE_PASSWORD_TRY_RETENTION_MS at `now`, oldest first, in
 * batches of at most TRY_PURGE_BATCH_MAX; none of them still counts for a live form or the account lock.
 * Returns how many were deleted.
 */
export async function purgeTradePasswordTries(orm: Database, now = new Date()): Promise<number> {
  const olderThan = new Date(now.getTime() - TRADE_PASSWORD_TRY_RETENTION_MS);
  let purged = 0;
  for (let batch = 0; batch < TRY_PURGE_BATCHES_PER_PASS_MAX; batch += 1) {
    const em = forkEntityManager(orm);
    const old = await em.find(
      BankTradePasswordTry,
      { triedAt: { $lt: olderThan } },
      { fields: ['id'], orderBy: { triedAt: 'asc' }, limit: TRY_PURGE_BATCH_MAX },
    );
    if (old.length === 0) break;
    purged += await em.nativeDelete(BankTradePasswordTry, { id: { $in: old.map((row) => row.id) } });
    if (old.length < TRY_PURGE_BATCH_MAX) break;
  }
  return purged;
}
