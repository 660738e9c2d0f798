import type { SubgraphDefinition } from '@wanxin/platform';
import { BusinessClock } from './entities/business-clock.entity';
import { Collection } from './entities/collection.entity';
import { Installment } from './entities/installment.entity';
import { PenaltyWaiver } from './entities/penalty-waiver.entity';
import { CollectionCase } from './entities/collection-case.entity';
import { CollectionNote } from './entities/collection-note.entity';
import { LoanShare } from './entities/loan-share.entity';
import { Receivable } from './entities/receivable.entity';
import { Reminder } from './entities/reminder.entity';
import { RepaymentLoan } from './entities/repayment-loan.entity';
import { Transfer } from './entities/transfer.entity';
import { TransferResolver } from './graphql/transfer.resolver';
import { TransferNode } from './graphql/transfer.type';
import { resolveTransferReference } from './graphql/transfer.reference';
import { scheduleOnLoanDisbursed } from './events/loan-disbursed.subscription';
import { statisticsOnDateAdvanced } from './events/statistics.subscription';
import { StatisticsDay } from './entities/statistics-day.entity';
import { resolveStatisticsReference, StatisticsResolver } from './graphql/statistics.resolver';
import { StatisticsRowNode } from './graphql/statistics.type';
import { DailyJobsResolver } from './graphql/daily-jobs.resolver';
import { LoanReference } from './graphql/external/loan';
import { UserReference } from './graphql/external/user';
import { resolveInstallmentReference } from './graphql/installment.reference';
import { InstallmentResolver } from './graphql/installment.resolver';
import { InstallmentNode } from './graphql/installment.type';
import { LoanScheduleResolver } from './graphql/loan.resolver';
import { CollectionCaseResolver, CollectionNoteResolver } from './graphql/collection-case.resolver';
import { PenaltyWaiverResolver } from './graphql/penalty-waiver.resolver';
import { PlatformStatsResolver, resolvePlatformStatsReference } from './graphql/platform-stats.resolver';
import { PlatformStatsNode } from './graphql/platform-stats.type';
import { ReceivableResolver } from './graphql/receivable.resolver';
import { BorrowerRepaymentResolver } from './graphql/borrower-repayment.resolver';
import { ScheduleQuoteResolver } from './graphql/schedule-quote.resolver';
import { UserReceivablesResolver } from './graphql/user.resolver';
import { BorrowingSummaryResolver, UserPersonalCenterResolver } from './graphql/personal-center.resolver';
import { startRepaymentsJobs } from './jobs/background';
import { migrations } from './migrations';
import {
  createRepaymentsServices,
  readRepaymentsSettings,
  type RepaymentsServices,
  type RepaymentsSettings,
} from './services';

export { Installment } from './entities/installment.entity';
export { Receivable } from './entities/receivable.entity';
// The repayments bench sizes its load from the same settings the subgraph reads.
export { readRepaymentsSettings } from './services';

/** Repayment schedules, investors' receivables, the claim-transfer market, the business date and the daily run. */
export function createSubgraph(): SubgraphDefinition<RepaymentsSettings, RepaymentsServices> {
  return {
    name: 'repayments',
    defaultPort: 4004,
    database: {
      subgraph: 'repayments',
      entities: [
        Installment,
        Receivable,
        RepaymentLoan,
        LoanShare,
        Collection,
        BusinessClock,
        Reminder,
        PenaltyWaiver,
        CollectionCase,
        CollectionNote,
        StatisticsDay,
        Transfer,
      ],
      migrations,
    },
    resolvers: [
      InstallmentResolver,
      ReceivableResolver,
      ScheduleQuoteResolver,
      UserReceivablesResolver,
      UserPersonalCenterResolver,
      BorrowingSummaryResolver,
      LoanScheduleResolver,
      DailyJobsResolver,
      BorrowerRepaymentResolver,
      PenaltyWaiverResolver,
      CollectionCaseResolver,
      CollectionNoteResolver,
      PlatformStatsResolver,
      StatisticsResolver,
      TransferResolver,
    ],
    entityTypes: [InstallmentNode, UserReference, LoanReference, PlatformStatsNode, StatisticsRowNode, TransferNode],
    subscriptions: [scheduleOnLoanDisbursed, statisticsOnDateAdvanced],
    referenceResolvers: {
      Installment: resolveInstallmentReference,
      PlatformStats: resolvePlatformStatsReference,
      StatisticsRow: resolveStatisticsReference,
      Transfer: resolveTransferReference,
    },
    readSettings: readRepaymentsSettings,
    createServices: createRepaymentsServices,
    startBackground: startRepaymentsJobs,
  };
}
