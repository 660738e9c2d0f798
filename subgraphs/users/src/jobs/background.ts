import type { BackgroundWork, SubgraphRuntime } from '@wanxin/platform';
import type { UsersServices, UsersSettings } from '../services';
import { startRiskAsker } from './ask-risk';
import { startProviderNoncePurge } from './purge-provider-nonces';
import { startSmsSender } from './send-sms';

/** users' jobs: the risk requests (jobs/ask-risk.ts), the SMS outbox (jobs/send-sms.ts), the nonce purge. */
export function startUsersJobs(services: UsersServices, runtime: SubgraphRuntime<UsersSettings>): BackgroundWork {
  const jobs = [
    startRiskAsker(services, runtime),
    startSmsSender(services, runtime),
    startProviderNoncePurge(runtime.orm, runtime.logger),
  ];
  return { stop: async () => void (await Promise.all(jobs.map((job) => job.stop()))) };
}
