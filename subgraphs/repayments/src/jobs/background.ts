import { forkEntityManager, WakeLoop, type BackgroundWork, type SubgraphRuntime } from '@wanxin/platform';
import type { RepaymentsServices, RepaymentsSettings } from '../services';
import { startBusinessClock } from './business-clock';
import { settleCollections } from './settle-collections';

/** The settle pass (jobs/settle-collections.ts) every `settleIntervalMs`; passes never overlap. */
function startSettleJob(services: RepaymentsServices, runtime: SubgraphRuntime<RepaymentsSettings>): BackgroundWork {
  const loop = new WakeLoop(
    async () => {
      const report = await settleCollections(forkEntityManager(runtime.orm), services, new Date());
      // A full batch means more are waiting: go again at once.
      if (report.batchFull) loop.wake();
    },
    services.settings.settleIntervalMs,
    (error) => runtime.logger.error({ err: error }, 'repayment settle pass failed'),
  );
  loop.wake();
  return { stop: () => loop.stop() };
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
