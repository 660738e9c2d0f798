import { GraphQLError } from 'graphql';

/** The contract's error codes (api-contract.md, "Errors"). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INSUFFICIENT_FUNDS'
  | 'RATE_LIMITED';

const httpStatusByCode: Record<ErrorCode, number | undefined> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: undefined,
  BAD_USER_INPUT: undefined,
  NOT_FOUND: undefined,
  CONFLICT: undefined,
  INSUFFICIENT_FUNDS: undefined,
  RATE_LIMITED: undefined,
};

/** The one way a client-facing error is built: a message and the contract's `extensions.code`. */
export function clientError(code: ErrorCode, message: string, details: Record<string, unknown> = {}): GraphQLError {
  const status = httpStatusByCode[code];
  return new GraphQLError(message, {
    extensions: { ...details, code, ...(status === undefined ? {} : { http: { status } }) },
  });
}

export function isClientError(error: unknown, code?: ErrorCode): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  return code === undefined ? typeof error.extensions.code === 'string' : error.extensions.code === code;
}

/** Errors every subgraph raises the same way. */
export const CommonErrors = {
  unauthenticated: (reason = 'sign in first') => clientError('UNAUTHENTICATED', `Not authenticated: ${reason}`),
  /**
   * One field refused to an anonymous reader: the field is null with this error at its path. Unlike
   * `unauthenticated` it sets no HTTP 401, which would make the gateway drop the subgraph's whole answer
   * (every other field it fetched with this one) instead of this field alone.
   */
  signInToSee: (what: string) =>
    new GraphQLError(`Not authenticated: sign in to see ${what}`, { extensions: { code: 'UNAUTHENTICATED' } }),
  forbidden: (what: string) => clientError('FORBIDDEN', `Forbidden: ${what}`),
  notFound: (entity: string, id: string) => clientError('NOT_FOUND', `${entity} ${id} not found`, { entity, id }),
  badInput: (field: string, reason: string) =>
    clientError('BAD_USER_INPUT', `Invalid ${field}: ${reason}`, { field }),
  conflict: (reason: string) => clientError('CONFLICT', reason),
  rateLimited: (reason: string, retryAfterMs: number) =>
    clientError('RATE_LIMITED', reason, { retryAfterMs }),
};
