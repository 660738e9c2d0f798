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
 * The messages of graphql-js's ValuesOfCorrectTypeRule: a literal argument value its type refuses (an unknown
 * enum value, a string for an Int, a missing or unknown input field). Validation reports them like a misspelt
 * field, with nothing else to tell them apart; the same value given as a variable is BAD_USER_INPUT.
 */
const LITERAL_REFUSALS = [
  /^Value ".*" does not exist in ".*" enum\./,
  /^Enum ".*" cannot represent /,
  /^(Int|Float|String|Boolean|ID) cannot represent /,
  /^Expected value of type /,
  /^Field ".*" of required type ".*" was not provided\./,
  /^Field ".*" is not defined by type ".*"\./,
];

/**
 * Shapes every error a client sees. A type that refuses a literal (`amount: "1.234"`, `status: OPEN`) is
 * reported by GraphQL validation; it is BAD_USER_INPUT, like the same value refused in a variable. What the
 * gateway adds about the subgraph an error came from (its name, the HTTP response it sent) is the platform's
 * business, not the client's.
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
    const refusedLiteral =
      shaped.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' &&
      LITERAL_REFUSALS.some((refusal) => refusal.test(shaped.message));
    if (refusedLiteral || (cause instanceof GraphQLError && cause.extensions.code === 'BAD_USER_INPUT')) {
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
