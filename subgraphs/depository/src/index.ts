import type { SubgraphDefinition } from '@wanxin/platform';
import { DepositoryAccount } from './entities/depository-account.entity';
import { resolveDepositoryAccountReference } from './graphql/depository-account.reference';
import { DepositoryAccountResolver } from './graphql/depository-account.resolver';
import { UserDepositoryResolver } from './graphql/user.resolver';
import { startBackgroundJobs } from './jobs/background';
import { migrations } from './migrations';
import { accountRowOnRegistration } from './events/user-registered.subscription';
import { reconciliationRunOnDateAdvanced } from './events/business-date-advanced.subscription';
import {
  createDepositoryServices,
  readDepositorySettings,
  type DepositoryServices,
  type DepositorySettings,
} from './services';
import { DepositoryRequest } from './entities/depository-request.entity';
import { VerifiedIdentity } from './entities/verified-identity.entity';
import { verifiedIdentityOnIdentityVerified } from './events/identity-verified.subscription';
import { ReconciliationRun } from './entities/reconciliation-run.entity';
import { StatementEntry } from './entities/statement-entry.entity';
import { DepositoryResolver } from './graphql/depository.resolver';
import { ReconciliationResolver } from './graphql/reconciliation.resolver';
import { bankNotifyRoute } from './agent/notify-route';
import { internalBalancesRoute, internalBankBatchRoute, internalBankRoute } from './agent/internal-route';
import { UserReference } from './graphql/external/user';
import { DepositoryAccountNode } from './graphql/depository-account.type';
import { BidPreviewBalanceNode, resolveBidPreviewReference } from './graphql/bid-preview-balance';
import { PlatformStatsNode, resolvePlatformStatsReference } from './graphql/platform-stats';

export { DepositoryAccount } from './entities/depository-account.entity';

/** The platform's depository agent: each user's account at the custodian bank, and every instruction sent to it. */
export function createSubgraph(): SubgraphDefinition<DepositorySettings, DepositoryServices> {
  return {
    name: 'depository',
    defaultPort: 4005,
    database: {
      subgraph: 'depository',
      entities: [DepositoryAccount, DepositoryRequest, ReconciliationRun, StatementEntry, VerifiedIdentity],
      migrations,
    },
    resolvers: [DepositoryResolver, ReconciliationResolver, DepositoryAccountResolver, UserDepositoryResolver],
    entityTypes: [DepositoryAccountNode, UserReference, BidPreviewBalanceNode, PlatformStatsNode],
    subscriptions: [accountRowOnRegistration, verifiedIdentityOnIdentityVerified, reconciliationRunOnDateAdvanced],
    referenceResolvers: {
      DepositoryAccount: resolveDepositoryAccountReference,
      BidPreview: resolveBidPreviewReference,
      PlatformStats: resolvePlatformStatsReference,
    },
    readSettings: readDepositorySettings,
    createServices: createDepositoryServices,
    routes: (services) => ({
      '/bank/notify': bankNotifyRoute(services),
      '/internal/bank': internalBankRoute(services),
      '/internal/bank/batch': internalBankBatchRoute(services),
      '/internal/bank/balances': internalBalancesRoute(services),
    }),
    startBackground: startBackgroundJobs,
  };
}
