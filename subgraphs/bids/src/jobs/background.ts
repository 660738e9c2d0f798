import { forkEntityManager, startPassLoop, type BackgroundWork, type SubgraphRuntime } from '@wanxin/platform';
import type { BidsServices, BidsSettings } from '../services';
import { runAutoInvest } from './auto-invest';
import { settleBids } from './settle-bids';

/**
 * bids' jobs: the settle job (jobs/settle-bids.ts) every `settleIntervalMs`, and the auto-invest job
 * (jobs/auto-invest.ts) every `autoInvestIntervalMs`; each runs soon after it is woken, and its passes
 * never overlap.
 */
export function startSettleJob(services: BidsServices, runtime: SubgraphRuntime<BidsSettings>): BackgroundWork {
  const settle = startPassLoop(
    async () => {
      await settleBids(forkEntityManager(runtime.orm), services.bank, new Date());
      return false;
    },
    services.settings.settleIntervalMs,
    (error) => runtime.logger.error({ err: error }, 'bid settle pass failed'),
  );
  services.settler = settle;
  const autoInvest = startPassLoop(
    () => runAutoInvest(forkEntityManager(runtime.orm), services.autoInvest, runtime.logger),
    services.settings.autoInvestIntervalMs,
    (error) => runtime.logger.error({ err: error }, 'auto-invest pass failed'),
  );
  services.autoInvestor = autoInvest;
  return { stop: async () => void (await Promise.all([settle.stop(), autoInvest.stop()])) };
}
