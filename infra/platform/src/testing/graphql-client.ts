/** What a GraphQL endpoint answered. */
export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
}

/** Posts one GraphQL operation as a front end would, with an optional bearer token. */
export async function postGraphQL<T = any>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}

/** The error codes of a response, in order: tests assert on codes, not on wording. */
export function errorCodes(response: GraphQLResponse): (string | undefined)[] {
  return (response.errors ?? []).map((error) => error.extensions?.code);
}

/** The data of a response that must have succeeded; otherwise throws with the errors. */
export function dataOf<T>(response: GraphQLResponse<T>): T {
  if (response.errors !== undefined && response.errors.length > 0) {
    throw new Error(`GraphQL errors: ${JSON.stringify(response.errors)}`);
  }
  if (response.data === undefined || response.data === null) throw new Error(`no data (HTTP ${response.status})`);
  return response.data;
}

/** Polls until `probe` returns a value that is not undefined, as a client waits for an asynchronous effect. */
export async function eventually<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(`not settled after ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}
