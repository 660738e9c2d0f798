import { forkEntityManager, WakeLoop, type BackgroundWork, type SubgraphRuntime } from '@wanxin/platform';
import type { BidsServices, BidsSettings } from '../services';
import { settleBids } from './settle-bids';

/** The settle job (jobs/settle-bids.ts) every `settleIntervalMs`, or when woken; passes never overlap. */
export function startSettleJob(services: BidsServices, runtime: SubgraphRuntime<BidsSettings>): BackgroundWork {
  const loop = new WakeLoop(
    async () => {
      await settleBids(forkEntityManager(runtime.orm), services.bank, new Date());
    },
    services.settings.settleIntervalMs,
    (error) => runtime.logger.error({ err: error }, 'bid settle pass failed'),
  );
  services.settler = loop;
  loop.wake();
  return { stop: () => loop.stop() };
}
