import { forkEntityManager, startPassLoop, type BackgroundWork, type SubgraphRuntime } from '@wanxin/platform';
import { GraphQLError } from 'graphql';
import { scheduledBusinessDate } from '../domain/business-calendar';
import type { RepaymentsServices, RepaymentsSettings } from '../services';
import { currentBusinessDate } from '../operations/business-date';
import { runDailyJobs } from './daily-run';

/**
 * BUSINESS_CLOCK=auto: every check, if the business date is behind the platform's calendar day (from
 * DAILY_RUN_AT in BUSINESS_TIMEZONE), runs the daily jobs up to it. Several replicas may check: the
 * clock's lease lets one run; the others find it held and try again at their next check, which is also
 * how a run whose process died is resumed once its lease lapses.
 */
export function startBusinessClock(
  services: RepaymentsServices,
  runtime: SubgraphRuntime<RepaymentsSettings>,
): BackgroundWork {
  const { settings } = services;
  const { logger } = runtime;
  return startPassLoop(
    async () => {
      const em = forkEntityManager(runtime.orm);
      const now = new Date();
      const target = scheduledBusinessDate(now, settings.businessTimeZone, settings.dailyRunAt);
      if ((await currentBusinessDate(em)) >= target) return false;
      try {
        const report = await runDailyJobs(em, services, target, now);
        logger.info(report, 'daily run done by the business clock');
      } catch (error) {
        const held = error instanceof GraphQLError && error.extensions.code === 'CONFLICT';
        if (!held) throw error;
        logger.debug({ target }, 'the daily run is held by another run; checking again later');
      }
      return false;
    },
    settings.dailyRunCheckMs,
    (error) => logger.error({ err: error }, 'business clock check failed'),
  );
}
