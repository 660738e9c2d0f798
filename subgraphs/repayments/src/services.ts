import {
  BANK_BATCH_MAX,
  forkEntityManager,
  InternalBankClient,
  subgraphBankClient,
  utcDateOf,
  type EnvReader,
  type Logger,
  type SubgraphRuntime,
} from '@wanxin/platform';
import { BusinessClock, BUSINESS_CLOCK_ID } from './entities/business-clock.entity';
import { LoggingReminderProvider, type ReminderProvider } from './operations/reminder-provider';

/** The repayments subgraph's own settings. */
export interface RepaymentsSettings {
  /** PENALTY_DAILY_RATE: penalty interest per overdue day on the overdue amount (0.0005 = 0.05 %). */
  penaltyDailyRateMicros: number;
  /** REPAYMENT_SETTLE_INTERVAL_MS: how often unanswered freezes and pending confirmations are retried. */
  settleIntervalMs: number;
  /** REPAYMENT_BANK_BATCH: bank instructions per batch (freezes of a day's run, confirmations, re-sends). */
  bankBatchSize: number;
  /** REPAYMENT_BANK_CONCURRENCY: batches one run or pass has in flight at once. */
  bankConcurrency: number;
  /** REPAYMENT_RUN_LEASE_MS: a daily run that has not renewed its hold on the clock this long is presumed dead. */
  runLeaseMs: number;
}

export function readRepaymentsSettings(reader: EnvReader): RepaymentsSettings {
  return {
    penaltyDailyRateMicros: reader.rate('PENALTY_DAILY_RATE', '0.0005'),
    settleIntervalMs: reader.int('REPAYMENT_SETTLE_INTERVAL_MS', 250, 100, 3_600_000),
    bankBatchSize: reader.int('REPAYMENT_BANK_BATCH', 100, 1, BANK_BATCH_MAX),
    bankConcurrency: reader.int('REPAYMENT_BANK_CONCURRENCY', 4, 1, 64),
    runLeaseMs: reader.int('REPAYMENT_RUN_LEASE_MS', 120_000, 1_000, 3_600_000),
  };
}

/** What the repayments resolvers, consumers and jobs need beyond the request. */
export interface RepaymentsServices {
  settings: RepaymentsSettings;
  bank: InternalBankClient;
  reminders: ReminderProvider;
  logger: Logger;
}

export async function createRepaymentsServices(
  runtime: SubgraphRuntime<RepaymentsSettings>,
): Promise<RepaymentsServices> {
  await ensureBusinessClock(runtime, utcDateOf(new Date()));
  return {
    settings: runtime.settings,
    bank: subgraphBankClient(runtime.config),
    reminders: new LoggingReminderProvider(runtime.logger),
    logger: runtime.logger,
  };
}

/** The business date starts at today's UTC date on first start; afterwards only runDailyJobs moves it. */
async function ensureBusinessClock(runtime: SubgraphRuntime<RepaymentsSettings>, today: string): Promise<void> {
  const em = forkEntityManager(runtime.orm);
  if ((await em.count(BusinessClock, { id: BUSINESS_CLOCK_ID })) > 0) return;
  try {
    await em.insert(em.create(BusinessClock, { id: BUSINESS_CLOCK_ID, businessDate: today }, { persist: false }));
  } catch (error) {
    // Another instance started at the same moment and created it.
    if ((await forkEntityManager(runtime.orm).count(BusinessClock, { id: BUSINESS_CLOCK_ID })) === 0) throw error;
  }
}
