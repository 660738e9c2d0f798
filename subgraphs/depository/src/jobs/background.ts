import { startPassLoop, type BackgroundWork } from '@wanxin/platform';
import type { DepositoryServices } from '../services';
import { reconcileBusinessDays, RECONCILIATION_DAYS_PER_PASS_MAX } from './reconcile-business-days';
import { syncUnsettledRequests } from './sync-requests';

/**
 * The agent's background work, a pass every `syncIntervalMs` (passes never overlap): UNSYNC requests
 * are settled first, so a day's reconciliation reads what the bank said, then the business days that
 * are over are reconciled (jobs/reconcile-business-days.ts).
 */
export function startBackgroundJobs(services: DepositoryServices): BackgroundWork {
  const { logger } = services;
  return startPassLoop(
    async () => {
      await syncUnsettledRequests(services).catch((error: unknown) =>
        logger.error({ err: error }, 'request sync failed'),
      );
      // A full pass may have left a backlog of days that are over.
      return (await reconcileBusinessDays(services)).length === RECONCILIATION_DAYS_PER_PASS_MAX;
    },
    services.settings.syncIntervalMs,
    (error) => logger.error({ err: error }, 'business day reconciliation failed: retried on the next pass'),
  );
}
