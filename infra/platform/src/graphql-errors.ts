import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

const CLIENT_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'INSUFFICIENT_FUNDS',
  'CREDIT_LIMIT_EXCEEDED',
  'RATE_LIMITED',
  'SERVICE_UNAVAILABLE',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

/**
 * Shapes every error a client sees. A scalar that refuses a literal (`amount: "1.234"`) is reported by
 * GraphQL validation; it keeps the scalar's BAD_USER_INPUT code. What the gateway adds about the subgraph
 * an error came from (its name, the HTTP response it sent) is the platform's business, not the client's.
 * In production anything that is not a client error is reported as an internal error without its message.
 */
export function createErrorFormatter(production: boolean) {
  return (shaped: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // A subgraph's stack trace travels in its error's extensions: production shows none, whatever the subgraph's mode.
    const { response: _response, serviceName: _serviceName, stacktrace, ...rest } = shaped.extensions ?? {};
    const extensions = production || stacktrace === undefined ? rest : { ...rest, stacktrace };
    const formatted = { ...shaped, extensions };
    const original = unwrapResolverError(error);
    const cause = error instanceof GraphQLError ? error.originalError : undefined;
    if (cause instanceof GraphQLError && cause.extensions.code === 'BAD_USER_INPUT') {
      return { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_USER_INPUT' } };
    }
    const code = formatted.extensions?.code;
    if (
      production &&
      (typeof code !== 'string' || !CLIENT_CODES.has(code)) &&
      !(original instanceof GraphQLError && CLIENT_CODES.has(String(original.extensions.code)))
    ) {
      return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    return formatted;
  };
}
