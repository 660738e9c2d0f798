import {
  LOAN_BIDS_MAX,
  SQL_LIST_MAX,
  type InternalBankClient,
  subgraphBankClient,
  type EnvReader,
  type SubgraphRuntime,
} from '@wanxin/platform';
import { AUTO_INVEST_SHARE_MAX_DEFAULT } from './domain/auto-invest';
import { BID_MIN_AMOUNT_DEFAULT, type BidLimits } from './domain/bid-rules';
import { AutoInvestEngine, type AutoInvestSettings } from './operations/auto-invest';
import { BIDS_PER_ROUND_MAX, BidDesk } from './operations/place-bid';

/**
 * The bids subgraph's own settings. BID_MIN_AMOUNT: the smallest bid, and the smallest remainder a bid
 * may leave. BID_PER_LOAN_MAX: the most bids one loan takes (default and ceiling: the platform's
 * LOAN_BIDS_MAX, which every event listing a loan's bids is sized for).
 */
export interface BidsSettings extends BidLimits {
  /** BID_SETTLE_INTERVAL_MS: how often PENDING bids and unreleased freezes are retried. */
  settleIntervalMs: number;
  /** BID_BANK_BATCHES_IN_FLIGHT: batches of instructions out at the bank at once; rounds of bids share them. */
  bankBatchesInFlight: number;
  /** BID_ROUNDS_IN_FLIGHT: rounds of placeBid calls run at once; calls arriving meanwhile go in the next. */
  roundsInFlight: number;
  /** AUTO_INVEST_SHARE_MAX, AUTO_INVEST_BIDS_IN_FLIGHT, AUTO_INVEST_RULES_PAGE: the auto-invest engine's. */
  autoInvest: AutoInvestSettings;
  /** AUTO_INVEST_INTERVAL_MS: how often loans whose auto-invest pass is unfinished are looked for. */
  autoInvestIntervalMs: number;
}

export function readBidsSettings(reader: EnvReader): BidsSettings {
  const minBidFen = reader.money('BID_MIN_AMOUNT', BID_MIN_AMOUNT_DEFAULT);
  if (minBidFen <= 0n) reader.problem('BID_MIN_AMOUNT', 'must be positive');
  return {
    minBidFen,
    bidsPerLoanMax: reader.int('BID_PER_LOAN_MAX', LOAN_BIDS_MAX, 1, LOAN_BIDS_MAX),
    settleIntervalMs: reader.int('BID_SETTLE_INTERVAL_MS', 30_000, 100, 3_600_000),
    bankBatchesInFlight: reader.int('BID_BANK_BATCHES_IN_FLIGHT', 4, 1, 64),
    roundsInFlight: reader.int('BID_ROUNDS_IN_FLIGHT', 2, 1, 64),
    autoInvest: {
      shareMaxMicros: reader.rate('AUTO_INVEST_SHARE_MAX', AUTO_INVEST_SHARE_MAX_DEFAULT),
      bidsInFlight: reader.int('AUTO_INVEST_BIDS_IN_FLIGHT', 20, 1, BIDS_PER_ROUND_MAX),
      rulesPageSize: reader.int('AUTO_INVEST_RULES_PAGE', 200, 1, SQL_LIST_MAX),
      minBidFen,
    },
    autoInvestIntervalMs: reader.int('AUTO_INVEST_INTERVAL_MS', 30_000, 100, 3_600_000),
  };
}

/** What the bids resolvers, consumers and jobs need beyond the request. */
export interface BidsServices {
  settings: BidsSettings;
  bank: InternalBankClient;
  desk: BidDesk;
  /** Wakes the settle job (jobs/settle-bids.ts), e.g. to release a failed loan's freezes now; set when it starts. */
  settler: { wake(): void };
  autoInvest: AutoInvestEngine;
  /** Wakes the auto-invest job (jobs/auto-invest.ts) when a loan opens; set when it starts. */
  autoInvestor: { wake(): void };
}

export async function createBidsServices(runtime: SubgraphRuntime<BidsSettings>): Promise<BidsServices> {
  // Freezes of concurrent bids go to the bank together: one signature, one record pass.
  const bank = subgraphBankClient(runtime.config, runtime.settings.bankBatchesInFlight);
  const desk = new BidDesk(runtime.orm, bank, runtime.settings, runtime.settings.roundsInFlight);
  return {
    settings: runtime.settings,
    bank,
    desk,
    settler: { wake: () => undefined },
    autoInvest: new AutoInvestEngine(runtime.orm, bank, desk, runtime.settings.autoInvest),
    autoInvestor: { wake: () => undefined },
  };
}
