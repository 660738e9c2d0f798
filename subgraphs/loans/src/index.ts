import type { SubgraphDefinition } from '@wanxin/platform';
import { BusinessDay } from './entities/business-day.entity';
import { CreditLine } from './entities/credit-line.entity';
import { LoanBid } from './entities/loan-bid.entity';
import { Loan } from './entities/loan.entity';
import { OpenedAccount } from './entities/opened-account.entity';
import { openedAccountOnAccountOpened } from './events/account-opened.subscription';
import { loanFundingOnBidPlaced } from './events/bid-placed.subscription';
import { businessDayOnDateAdvanced } from './events/business-date-advanced.subscription';
import { creditLineOnCreditApproved } from './events/credit-approved.subscription';
import { creditOnInstallmentRepaid } from './events/installment-repaid.subscription';
import { loanFullyFunded } from './events/loan-fully-funded.subscription';
import { loanSettled } from './events/loan-settled.subscription';
import { statisticsOnLoanDisbursed, statisticsOnLoanOpened } from './events/statistics.subscription';
import { StatisticsDay } from './entities/statistics-day.entity';
import { resolveStatisticsReference, StatisticsRowNode } from './graphql/statistics.type';
import { UserReference } from './graphql/external/user';
import { resolveLoanReference } from './graphql/loan.reference';
import { LoanPartiesResolver } from './graphql/loan-parties.resolver';
import { LoanResolver } from './graphql/loan.resolver';
import { LoanNode } from './graphql/loan.type';
import { resolvePlatformStatsReference } from './graphql/platform-stats.reference';
import { PlatformStatsNode } from './graphql/platform-stats.type';
import { UserLoansResolver } from './graphql/user.resolver';
import { startDailyJob } from './jobs/background';
import { migrations } from './migrations';
import { createLoansServices, readLoansSettings, type LoansServices, type LoansSettings } from './services';
import { LOANS_READ_CACHE } from './graphql/read-cache';

export { Loan } from './entities/loan.entity';
export { progressE18Of } from './domain/loan-search';
export { expireFundingWindows } from './jobs/expire-funding-windows';
export { runBusinessDays } from './jobs/run-business-days';

/** Loan listings (标的) and their lifecycle. */
export function createSubgraph(): SubgraphDefinition<LoansSettings, LoansServices> {
  return {
    name: 'loans',
    defaultPort: 4002,
    database: {
      subgraph: 'loans',
      entities: [Loan, OpenedAccount, LoanBid, BusinessDay, CreditLine, StatisticsDay],
      migrations,
    },
    resolvers: [LoanResolver, LoanPartiesResolver, UserLoansResolver],
    entityTypes: [LoanNode, UserReference, PlatformStatsNode, StatisticsRowNode],
    subscriptions: ({ settings }) => [
      openedAccountOnAccountOpened,
      loanFullyFunded,
      loanFundingOnBidPlaced,
      loanSettled,
      businessDayOnDateAdvanced,
      creditLineOnCreditApproved(settings.creditPricing),
      creditOnInstallmentRepaid,
      statisticsOnLoanOpened,
      statisticsOnLoanDisbursed,
    ],
    referenceResolvers: {
      Loan: resolveLoanReference,
      PlatformStats: resolvePlatformStatsReference,
      StatisticsRow: resolveStatisticsReference,
    },
    readCache: LOANS_READ_CACHE,
    readSettings: readLoansSettings,
    createServices: createLoansServices,
    startBackground: startDailyJob,
  };
}
