import { createNoServices, readNoSettings, type NoSettings, type SubgraphDefinition } from '@wanxin/platform';
import { Installment } from './entities/installment.entity';
import { Receivable } from './entities/receivable.entity';
import { resolveInstallmentReference } from './graphql/installment.reference';
import { InstallmentResolver } from './graphql/installment.resolver';
import { ReceivableResolver } from './graphql/receivable.resolver';
import { ScheduleQuoteResolver } from './graphql/schedule-quote.resolver';
import { UserReceivablesResolver } from './graphql/user.resolver';
import { migrations } from './migrations';
import type { RepaymentsServices } from './services';
import { UserReference } from './graphql/external/user';
import { InstallmentNode } from './graphql/installment.type';

export { Installment } from './entities/installment.entity';
export { Receivable } from './entities/receivable.entity';

/** Repayment schedules, investors' receivables, and the daily repayment run. */
export function createSubgraph(): SubgraphDefinition<NoSettings, RepaymentsServices> {
  return {
    name: 'repayments',
    defaultPort: 4004,
    database: { subgraph: 'repayments', entities: [Installment, Receivable], migrations },
    resolvers: [InstallmentResolver, ReceivableResolver, ScheduleQuoteResolver, UserReceivablesResolver],
    entityTypes: [InstallmentNode, UserReference],
    referenceResolvers: { Installment: resolveInstallmentReference },
    readSettings: readNoSettings,
    createServices: createNoServices,
  };
}
