import { createNoServices, readNoSettings, type NoSettings, type SubgraphDefinition } from '@wanxin/platform';
import { DepositoryAccount } from './entities/depository-account.entity';
import { resolveDepositoryAccountReference } from './graphql/depository-account.reference';
import { DepositoryAccountResolver } from './graphql/depository-account.resolver';
import { UserDepositoryResolver } from './graphql/user.resolver';
import { migrations } from './migrations';
import { accountRowOnRegistration } from './events/user-registered.subscription';
import type { DepositoryServices } from './services';
import { UserReference } from './graphql/external/user';
import { DepositoryAccountNode } from './graphql/depository-account.type';

export { DepositoryAccount } from './entities/depository-account.entity';

/** The platform's depository agent: each user's account at the custodian bank. */
export function createSubgraph(): SubgraphDefinition<NoSettings, DepositoryServices> {
  return {
    name: 'depository',
    defaultPort: 4005,
    database: { subgraph: 'depository', entities: [DepositoryAccount], migrations },
    resolvers: [DepositoryAccountResolver, UserDepositoryResolver],
    entityTypes: [DepositoryAccountNode, UserReference],
    subscriptions: [accountRowOnRegistration],
    referenceResolvers: { DepositoryAccount: resolveDepositoryAccountReference },
    readSettings: readNoSettings,
    createServices: createNoServices,
  };
}
