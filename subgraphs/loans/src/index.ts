import { createNoServices, readNoSettings, type NoSettings, type SubgraphDefinition } from '@wanxin/platform';
import { Loan } from './entities/loan.entity';
import { resolveLoanReference } from './graphql/loan.reference';
import { LoanResolver } from './graphql/loan.resolver';
import { UserLoansResolver } from './graphql/user.resolver';
import { migrations } from './migrations';
import type { LoansServices } from './services';
import { UserReference } from './graphql/external/user';
import { LoanNode } from './graphql/loan.type';

export { Loan } from './entities/loan.entity';

/** Loan listings (标的) and their lifecycle. */
export function createSubgraph(): SubgraphDefinition<NoSettings, LoansServices> {
  return {
    name: 'loans',
    defaultPort: 4002,
    database: { subgraph: 'loans', entities: [Loan], migrations },
    resolvers: [LoanResolver, UserLoansResolver],
    entityTypes: [LoanNode, UserReference],
    referenceResolvers: { Loan: resolveLoanReference },
    readSettings: readNoSettings,
    createServices: createNoServices,
  };
}
