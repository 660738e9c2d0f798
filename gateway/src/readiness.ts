/** How long a subgraph may take to answer its `/readyz` before the gateway counts it as down. */
export const SUBGRAPH_READY_TIMEOUT_MS = 2_000;

/** Whether the subgraph at `graphqlUrl` (its `/graphql` URL) answers `/readyz` with 200 in time. */
async function subgraphReady(graphqlUrl: string, timeoutMs: number): Promise<boolean> {
  try {
    const response = await fetch(new URL('/readyz', graphqlUrl), { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.status === 200;
  } catch {
    return false;
  }
}

/**
 * The gateway's readiness: true when every subgraph of the supergraph answers its own readiness check
 * within `timeoutMs` (asked all at once, so one check takes at most that long), otherwise the names of
 * those that did not. The supergraph itself is composed before the gateway listens at all.
 */
export async function gatewayReadiness(
  subgraphUrls: ReadonlyMap<string, string>,
  timeoutMs: number = SUBGRAPH_READY_TIMEOUT_MS,
): Promise<true | string> {
  const entries = [...subgraphUrls];
  const answers = await Promise.all(entries.map(([, url]) => subgraphReady(url, timeoutMs)));
  const down = entries.filter((_, index) => !answers[index]).map(([name]) => name);
  return down.length === 0 ? true : `subgraphs not ready: ${down.join(', ')}`;
}
