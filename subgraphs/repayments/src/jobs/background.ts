import { forkEntityManager, startPassLoop, type BackgroundWork, type SubgraphRuntime } from '@wanxin/platform';
import type { RepaymentsServices, RepaymentsSettings } from '../services';
import { startBusinessClock } from './business-clock';
import { settleCollections } from './settle-collections';
import { settleTransfers } from './settle-transfers';

/** The settle passes (jobs/settle-collections.ts, then jobs/settle-transfers.ts) every `settleIntervalMs`; passes never overlap. */
function startSettleJob(services: RepaymentsServices, runtime: SubgraphRuntime<RepaymentsSettings>): BackgroundWork {
  return startPassLoop(
    async () => {
      const collections = await settleCollections(forkEntityManager(runtime.orm), services, new Date());
      const transfers = await settleTransfers(forkEntityManager(runtime.orm), services, new Date());
      return collections.batchFull || transfers.batchFull;
    },
    services.settings.settleIntervalMs,
    (error) => runtime.logger.error({ err: error }, 'repayment settle pass failed'),
  );
}

/** repayments' jobs: the settle pass, and the business clock when BUSINESS_CLOCK=auto. */
export function startRepaymentsJobs(
  services: RepaymentsServices,
  runtime: SubgraphRuntime<RepaymentsSettings>,
): BackgroundWork {
  const jobs = [startSettleJob(services, runtime)];
  if (services.settings.businessClock === 'auto') jobs.push(startBusinessClock(services, runtime));
  return { stop: async () => void (await Promise.all(jobs.map((job) => job.stop()))) };
}
