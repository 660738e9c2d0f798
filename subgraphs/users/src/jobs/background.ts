import type { BackgroundWork, SubgraphRuntime } from '@wanxin/platform';
import type { UsersServices, UsersSettings } from '../services';
import { startRiskAsker } from './ask-risk';
import { startProviderNoncePurge } from './purge-provider-nonces';

/** users' jobs: the risk requests (jobs/ask-risk.ts) and the purge of old callback nonces. */
export function startUsersJobs(services: UsersServices, runtime: SubgraphRuntime<UsersSettings>): BackgroundWork {
  const jobs = [startRiskAsker(services, runtime), startProviderNoncePurge(runtime.orm, runtime.logger)];
  return { stop: async () => void (await Promise.all(jobs.map((job) => job.stop()))) };
}
