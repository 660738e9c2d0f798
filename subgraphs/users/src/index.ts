import type { SubgraphDefinition } from '@wanxin/platform';
import { AddressThrottle } from './entities/address-throttle.entity';
import { User } from './entities/user.entity';
import { Profile } from './entities/profile.entity';
import { ProfileResolver } from './graphql/profile.resolver';
import { IdentityCheck, ProviderNonce } from './entities/identity-check.entity';
import { IdentityResolver } from './graphql/identity.resolver';
import { identityNotifyRoute, riskNotifyRoute } from './provider/notify-routes';
import { CreditApplication, RiskReport } from './entities/credit-application.entity';
import { creditDecidedOnRiskAnswered } from './events/risk-answered.subscription';
import { CreditApplicationResolver, CreditResolver } from './graphql/credit.resolver';
import { PlatformStatsNode, resolvePlatformStatsReference } from './graphql/platform-stats';
import { startUsersJobs } from './jobs/background';
import { SmsCode } from './entities/sms-code.entity';
import { SmsMessage } from './entities/sms-message.entity';
import { smsQueuedOnReminderDue } from './events/reminder-due.subscription';
import { SmsResolver } from './graphql/sms.resolver';
import { resolveUserReference } from './graphql/user.reference';
import { UserResolver } from './graphql/user.resolver';
import { AdminUsersResolver, UserAdminActionResolver } from './graphql/admin-users.resolver';
import { UserAdminAction } from './entities/user-admin-action.entity';
import { migrations } from './migrations';
import { createUsersServices, readUsersSettings, type UsersServices, type UsersSettings } from './services';
import { UserNode } from './graphql/user.type';
import { BusinessDay } from './entities/business-day.entity';
import { StatisticsDay } from './entities/statistics-day.entity';
import { businessDayOnDateAdvanced, statisticsOnUserRegistered } from './events/statistics.subscription';
import { resolveStatisticsReference, StatisticsRowNode } from './graphql/statistics';
import { USERS_READ_CACHE } from './graphql/read-cache';

export { User } from './entities/user.entity';

/** Accounts, sign-in and roles; profiles, identity and credit applications. */
export function createSubgraph(): SubgraphDefinition<UsersSettings, UsersServices> {
  return {
    name: 'users',
    defaultPort: 4001,
    database: {
      subgraph: 'users',
      entities: [
        User,
        AddressThrottle,
        Profile,
        IdentityCheck,
        ProviderNonce,
        CreditApplication,
        RiskReport,
        SmsMessage,
        SmsCode,
        UserAdminAction,
        BusinessDay,
        StatisticsDay,
      ],
      migrations,
    },
    resolvers: [
      UserResolver,
      AdminUsersResolver,
      UserAdminActionResolver,
      ProfileResolver,
      IdentityResolver,
      CreditResolver,
      CreditApplicationResolver,
      SmsResolver,
    ],
    entityTypes: [UserNode, PlatformStatsNode, StatisticsRowNode],
    subscriptions: (services) => [
      creditDecidedOnRiskAnswered,
      smsQueuedOnReminderDue(services),
      businessDayOnDateAdvanced,
      statisticsOnUserRegistered,
    ],
    referenceResolvers: {
      User: resolveUserReference,
      PlatformStats: resolvePlatformStatsReference,
      StatisticsRow: resolveStatisticsReference,
    },
    readCache: USERS_READ_CACHE,
    readSettings: readUsersSettings,
    createServices: createUsersServices,
    routes: (services) => ({
      '/identity/notify': identityNotifyRoute(services),
      '/risk/notify': riskNotifyRoute(services),
    }),
    startBackground: startUsersJobs,
    metrics: (services) => [services.passwordChecks],
  };
}
