import { forkEntityManager, startPassLoop, type BackgroundWork, type SubgraphRuntime } from '@wanxin/platform';
import type { BidsServices, BidsSettings } from '../services';
import { settleBids } from './settle-bids';

/** The settle job (jobs/settle-bids.ts) every `settleIntervalMs`, or when woken; passes never overlap. */
export function startSettleJob(services: BidsServices, runtime: SubgraphRuntime<BidsSettings>): BackgroundWork {
  const loop = startPassLoop(
    async () => {
      await settleBids(forkEntityManager(runtime.orm), services.bank, new Date());
      return false;
    },
    services.settings.settleIntervalMs,
    (error) => runtime.logger.error({ err: error }, 'bid settle pass failed'),
  );
  services.settler = loop;
  return loop;
}
