import { forkEntityManager, startPassLoop, type BackgroundWork, type SubgraphRuntime } from '@wanxin/platform';
import type { LoansServices, LoansSettings } from '../services';
import { BUSINESS_DAYS_PER_PASS_MAX, runBusinessDays } from './run-business-days';

/** The daily job (jobs/run-business-days.ts) every `dailyJobIntervalMs`; passes never overlap. */
export function startDailyJob(services: LoansServices, runtime: SubgraphRuntime<LoansSettings>): BackgroundWork {
  const { logger } = runtime;
  return startPassLoop(
    async () => {
      const { completed, waiting } = await runBusinessDays(services, forkEntityManager(runtime.orm));
      for (const date of completed)
        logger.info({ date }, 'business day completed: funding windows expired as of its close');
      if (waiting !== null) logger.warn(waiting, 'business day not completed: retried on the next pass');
      // A full pass may have left a backlog (a business date moved far ahead).
      return completed.length === BUSINESS_DAYS_PER_PASS_MAX;
    },
    services.settings.dailyJobIntervalMs,
    (error) => logger.error({ err: error }, 'daily job pass failed'),
  );
}
