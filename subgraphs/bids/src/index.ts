import type { SubgraphDefinition } from '@wanxin/platform';
import { AutoInvestRule } from './entities/auto-invest-rule.entity';
import { AutoInvestRun } from './entities/auto-invest-run.entity';
import { Bid } from './entities/bid.entity';
import { Funding } from './entities/funding.entity';
import { bidsOnLoanDisbursed } from './events/loan-disbursed.subscription';
import { bidsOnLoanFailed } from './events/loan-failed.subscription';
import { fundingOnLoanOpenedWakingAutoInvest } from './events/loan-opened.subscription';
import { AutoInvestResolver } from './graphql/auto-invest.resolver';
import { resolveBidReference } from './graphql/bid.reference';
import { BidPreviewResolver } from './graphql/bid-preview.resolver';
import { BidResolver } from './graphql/bid.resolver';
import { BidNode } from './graphql/bid.type';
import { LoanReference } from './graphql/external/loan';
import { resolveFundingEventReference } from './graphql/funding-event.reference';
import { FundingEventNode } from './graphql/funding-event.type';
import { UserReference } from './graphql/external/user';
import { LoanBidsResolver } from './graphql/loan.resolver';
import { PlaceBidResolver } from './graphql/place-bid.resolver';
import { resolvePlatformStatsReference } from './graphql/platform-stats.reference';
import { PlatformStatsNode } from './graphql/platform-stats.type';
import { UserBidsResolver } from './graphql/user.resolver';
import { startSettleJob } from './jobs/background';
import { migrations } from './migrations';
import { BusinessDay } from './entities/business-day.entity';
import { businessDayOnDateAdvanced } from './events/business-date-advanced.subscription';
import { createBidsServices, readBidsSettings, type BidsServices, type BidsSettings } from './services';
import { BIDS_READ_CACHE } from './graphql/read-cache';

export { Bid } from './entities/bid.entity';
export { Funding } from './entities/funding.entity';
export { settleBids } from './jobs/settle-bids';

/** Bids (投标) on loans and the funds they hold frozen. */
export function createSubgraph(): SubgraphDefinition<BidsSettings, BidsServices> {
  return {
    name: 'bids',
    defaultPort: 4003,
    database: { subgraph: 'bids', entities: [Bid, Funding, BusinessDay, AutoInvestRule, AutoInvestRun], migrations },
    resolvers: [
      BidResolver,
      UserBidsResolver,
      LoanBidsResolver,
      PlaceBidResolver,
      BidPreviewResolver,
      AutoInvestResolver,
    ],
    entityTypes: [BidNode, UserReference, LoanReference, FundingEventNode, PlatformStatsNode],
    subscriptions: (services) => [
      fundingOnLoanOpenedWakingAutoInvest(services),
      bidsOnLoanFailed(services),
      bidsOnLoanDisbursed,
      businessDayOnDateAdvanced,
    ],
    referenceResolvers: {
      Bid: resolveBidReference,
      FundingEvent: resolveFundingEventReference,
      PlatformStats: resolvePlatformStatsReference,
    },
    readCache: BIDS_READ_CACHE,
    readSettings: readBidsSettings,
    createServices: createBidsServices,
    startBackground: startSettleJob,
  };
}
