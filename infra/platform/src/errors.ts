import { GraphQLError, type ASTNode } from 'graphql';

/** The contract's error codes (api-contract.md, "Errors"). */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INSUFFICIENT_FUNDS'
  | 'CREDIT_LIMIT_EXCEEDED'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE';

/** Longest piece of client input a message repeats: a 1 MB "amount" must not come back 1 MB long. */
export const ECHO_CHARS_MAX = 64;

/** Client input as a message shows it: quoted, and cut to ECHO_CHARS_MAX characters (an ellipsis marks the cut). */
export function echoInput(input: unknown): string {
  const quoted = typeof input === 'string' ? JSON.stringify(input) : String(input);
  return quoted.length <= ECHO_CHARS_MAX ? quoted : `${quoted.slice(0, ECHO_CHARS_MAX - 1)}…`;
}

/**
 * The one way a client-facing error is built: a message and the contract's `extensions.code`. It is
 * answered with HTTP 200 like any executed operation (README, "Errors"): the status says whether the
 * request could run, the code says why a field failed.
 */
export function clientError(code: ErrorCode, message: string, details: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...details, code } });
}

/** A request refused before it ran (a bad argument, a subscription over HTTP): HTTP 400 with BAD_USER_INPUT. */
export function requestRefused(message: string, details: Record<string, unknown> = {}, nodes?: ASTNode): GraphQLError {
  const extensions = { ...details, code: 'BAD_USER_INPUT', http: { status: 400 } };
  return new GraphQLError(message, { nodes, extensions });
}

export function isClientError(error: unknown, code?: ErrorCode): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  return code === undefined ? typeof error.extensions.code === 'string' : error.extensions.code === code;
}

/** Errors every subgraph raises the same way. */
export const CommonErrors = {
  unauthenticated: (reason = 'sign in first') => clientError('UNAUTHENTICATED', `Not authenticated: ${reason}`),
  /**
   * The request's token itself is refused (tampered, expired, malformed): nothing ran, so HTTP 401, the
   * one status a client's HTTP layer can react to by signing in again.
   */
  tokenRefused: (reason: string) =>
    new GraphQLError(`Not authenticated: ${reason}`, {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    }),
  /** One field refused to an anonymous reader: the field is null with this error at its path. */
  signInToSee: (what: string) => clientError('UNAUTHENTICATED', `Not authenticated: sign in to see ${what}`),
  forbidden: (what: string) => clientError('FORBIDDEN', `Forbidden: ${what}`),
  notFound: (entity: string, id: string) => clientError('NOT_FOUND', `${entity} ${id} not found`, { entity, id }),
  badInput: (field: string, reason: string) => clientError('BAD_USER_INPUT', `Invalid ${field}: ${reason}`, { field }),
  conflict: (reason: string) => clientError('CONFLICT', reason),
  rateLimited: (reason: string, retryAfterMs: number) => clientError('RATE_LIMITED', reason, { retryAfterMs }),
  /** A part of the platform did not answer: which one, and where it runs, is logged, never shown. */
  serviceUnavailable: () =>
    clientError('SERVICE_UNAVAILABLE', 'Service unavailable: part of the platform did not answer, try again later'),
};
