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
import { isKnownTimeZone, RUN_AT_PATTERN } from './domain/business-calendar';
import { parseRatioMicros, type TransferRules } from './domain/transfer';
import { BusinessClock, BUSINESS_CLOCK_ID } from './entities/business-clock.entity';

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
  /** BUSINESS_CLOCK: `auto` runs the daily jobs by the calendar (production's default); `manual` by admins only. */
  businessClock: 'auto' | 'manual';
  /** BUSINESS_TIMEZONE: where due dates are calendar days (default Asia/Shanghai). */
  businessTimeZone: string;
  /** DAILY_RUN_AT: the local time (HH:MM) from which a day's run is due (default 01:00). */
  dailyRunAt: string;
  /** DAILY_RUN_CHECK_INTERVAL_MS: how often the automatic clock looks whether a run is due. */
  dailyRunCheckMs: number;
  /** BUSINESS_DATE_START: the business date a new clock starts at (default today's UTC date), e.g. a go-live day. */
  businessDateStart: string | undefined;
  /** TRANSFER_*: the claim-transfer market's rules (domain/transfer.ts). */
  transfers: TransferRules;
}

export function readRepaymentsSettings(reader: EnvReader): RepaymentsSettings {
  return {
    penaltyDailyRateMicros: reader.rate('PENALTY_DAILY_RATE', '0.0005'),
    settleIntervalMs: reader.int('REPAYMENT_SETTLE_INTERVAL_MS', 250, 100, 3_600_000),
    bankBatchSize: reader.int('REPAYMENT_BANK_BATCH', 100, 1, BANK_BATCH_MAX),
    bankConcurrency: reader.int('REPAYMENT_BANK_CONCURRENCY', 4, 1, 64),
    runLeaseMs: reader.int('REPAYMENT_RUN_LEASE_MS', 120_000, 1_000, 3_600_000),
    businessClock: reader.oneOf(
      'BUSINESS_CLOCK',
      ['auto', 'manual'],
      reader.oneOf('NODE_ENV', ['development', 'production', 'test'], 'development') === 'production'
        ? 'auto'
        : 'manual',
    ),
    businessTimeZone: readTimeZone(reader),
    dailyRunAt: reader.string('DAILY_RUN_AT', '01:00', RUN_AT_PATTERN, 'HH:MM, 24-hour'),
    dailyRunCheckMs: reader.int('DAILY_RUN_CHECK_INTERVAL_MS', 60_000, 100, 3_600_000),
    businessDateStart: reader.optionalString('BUSINESS_DATE_START', /^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
    transfers: readTransferRules(reader),
  };
}

/** The market's rules, defaults from the issue (Step 12): 7 days held, 5 days listed, 0.90–1.10, fee 0.5 %. */
function readTransferRules(reader: EnvReader): TransferRules {
  const ratio = (name: string, defaultText: string) =>
    parseRatioMicros(reader.string(name, defaultText, /^[0-9](\.[0-9]{1,6})?$/, 'a ratio such as 1.10'))!;
  const rules = {
    holdDays: reader.int('TRANSFER_HOLD_DAYS', 7, 0, 3_650),
    listingDays: reader.int('TRANSFER_LISTING_DAYS', 5, 1, 3_650),
    priceMinRatioMicros: ratio('TRANSFER_PRICE_MIN_RATIO', '0.90'),
    priceMaxRatioMicros: ratio('TRANSFER_PRICE_MAX_RATIO', '1.10'),
    feeRateMicros: reader.rate('TRANSFER_FEE_RATE', '0.005'),
  };
  if (rules.priceMinRatioMicros > rules.priceMaxRatioMicros || rules.priceMinRatioMicros === 0)
    reader.problem('TRANSFER_PRICE_MIN_RATIO', 'must be above 0 and not above TRANSFER_PRICE_MAX_RATIO');
  if (rules.feeRateMicros >= 1_000_000) reader.problem('TRANSFER_FEE_RATE', 'must be below 1');
  return rules;
}

function readTimeZone(reader: EnvReader): string {
  const timeZone = reader.string('BUSINESS_TIMEZONE', 'Asia/Shanghai');
  if (!isKnownTimeZone(timeZone)) reader.problem('BUSINESS_TIMEZONE', `"${timeZone}" is not an IANA time zone`);
  return timeZone;
}

/** What the repayments resolvers, consumers and jobs need beyond the request. */
export interface RepaymentsServices {
  settings: RepaymentsSettings;
  bank: InternalBankClient;
  logger: Logger;
}

export async function createRepaymentsServices(
  runtime: SubgraphRuntime<RepaymentsSettings>,
): Promise<RepaymentsServices> {
  await ensureBusinessClock(runtime, runtime.settings.businessDateStart ?? utcDateOf(new Date()));
  return {
    settings: runtime.settings,
    bank: subgraphBankClient(runtime.config),
    logger: runtime.logger,
  };
}

/** The business date starts on first start (BUSINESS_DATE_START or today's UTC date); then only daily runs move it. */
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
