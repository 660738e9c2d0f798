// Stock Apollo Gateway as the page benchmark's baseline: @apollo/gateway over the same supergraph and the
// same subgraph processes as Wanxin's gateway, served by @apollo/server's standalone server, its own process.
// Only the viewer's token is forwarded (the subgraphs verify it). Nothing else of Wanxin's gateway: no read
// cache, no limits, the default fetcher.
//
// Env: PORT, SUPERGRAPH_PATH, USERS_URL, LOANS_URL, BIDS_URL, REPAYMENTS_URL, DEPOSITORY_URL.
import fs from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

interface StockContext {
  authorization: string | undefined;
}

class ForwardingDataSource extends RemoteGraphQLDataSource<StockContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<StockContext>): void {
    if (context.authorization !== undefined) request.http?.headers.set('authorization', context.authorization);
  }
}

async function main(): Promise<void> {
  const supergraphSdl = fs.readFileSync(process.env.SUPERGRAPH_PATH!, 'utf8');
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new ForwardingDataSource({ url: process.env[`${name.toUpperCase()}_URL`] ?? url }),
  });
  const server = new ApolloServer<StockContext>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { host: '127.0.0.1', port: Number(process.env.PORT) },
    context: async ({ req }) => ({ authorization: req.headers.authorization }),
  });
  console.log(`stock gateway at ${url}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
