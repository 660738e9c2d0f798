import { createNoServices, readNoSettings, type NoSettings, type SubgraphDefinition } from '@wanxin/platform';
import { Bid } from './entities/bid.entity';
import { resolveBidReference } from './graphql/bid.reference';
import { BidResolver } from './graphql/bid.resolver';
import { UserBidsResolver } from './graphql/user.resolver';
import { migrations } from './migrations';
import type { BidsServices } from './services';
import { UserReference } from './graphql/external/user';
import { BidNode } from './graphql/bid.type';

export { Bid } from './entities/bid.entity';

/** Bids (投标) on loans and the funds they hold frozen. */
export function createSubgraph(): SubgraphDefinition<NoSettings, BidsServices> {
  return {
    name: 'bids',
    defaultPort: 4003,
    database: { subgraph: 'bids', entities: [Bid], migrations },
    resolvers: [BidResolver, UserBidsResolver],
    entityTypes: [BidNode, UserReference],
    referenceResolvers: { Bid: resolveBidReference },
    readSettings: readNoSettings,
    createServices: createNoServices,
  };
}
