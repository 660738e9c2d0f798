import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CLIENT_ADDRESS_HEADER, type Viewer } from '@wanxin/platform';

/** A gateway request: who asks (verified here) and the header forwarded to subgraphs, which verify it again. */
export interface GatewayContext {
  viewer: Viewer | null;
  authorization: string | undefined;
  /** The end user's address, passed to subgraphs for throttling. */
  clientAddress: string;
}

/** Calls a subgraph on behalf of the viewer: their token and address go along. */
export class AuthorizedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): void {
    if (context.authorization !== undefined) request.http?.headers.set('authorization', context.authorization);
    request.http?.headers.set(CLIENT_ADDRESS_HEADER, context.clientAddress);
  }
}
