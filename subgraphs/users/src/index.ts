import type { SubgraphDefinition } from '@wanxin/platform';
import { AddressThrottle } from './entities/address-throttle.entity';
import { User } from './entities/user.entity';
import { Profile } from './entities/profile.entity';
import { ProfileResolver } from './graphql/profile.resolver';
import { IdentityCheck, ProviderNonce } from './entities/identity-check.entity';
import { IdentityResolver } from './graphql/identity.resolver';
import { identityNotifyRoute } from './provider/identity-notify-route';
import { resolveUserReference } from './graphql/user.reference';
import { UserResolver } from './graphql/user.resolver';
import { migrations } from './migrations';
import { createUsersServices, readUsersSettings, type UsersServices, type UsersSettings } from './services';
import { UserNode } from './graphql/user.type';

export { User } from './entities/user.entity';

/** Accounts, sign-in and roles. */
export function createSubgraph(): SubgraphDefinition<UsersSettings, UsersServices> {
  return {
    name: 'users',
    defaultPort: 4001,
    database: {
      subgraph: 'users',
      entities: [User, AddressThrottle, Profile, IdentityCheck, ProviderNonce],
      migrations,
    },
    resolvers: [UserResolver, ProfileResolver, IdentityResolver],
    entityTypes: [UserNode],
    referenceResolvers: { User: resolveUserReference },
    readSettings: readUsersSettings,
    createServices: createUsersServices,
    routes: (services) => ({ '/identity/notify': identityNotifyRoute(services) }),
    metrics: (services) => [services.passwordChecks],
  };
}
