import { forkEntityManager, WakeLoop, type BackgroundWork, type SubgraphRuntime } from '@wanxin/platform';
import type { RepaymentsServices, RepaymentsSettings } from '../services';
import { settleCollections } from './settle-collections';

/** The settle pass (jobs/settle-collections.ts) every `settleIntervalMs`; passes never overlap. */
export function startSettleJob(
  services: RepaymentsServices,
  runtime: SubgraphRuntime<RepaymentsSettings>,
): BackgroundWork {
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
