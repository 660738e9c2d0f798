import type { Readiness } from '@wanxin/platform';

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
 * The gateway's readiness, from every subgraph's own readiness check within `timeoutMs` (asked all at once).
 * One subgraph down leaves the gateway ready but degraded, naming it: it still answers the rest of the graph
 * (partial data, SERVICE_UNAVAILABLE at the missing fields), and taking every gateway out of the load
 * balancer for it would turn a partial outage into a whole one. Not ready only when no subgraph answers.
 * The supergraph itself is composed before the gateway listens at all.
 */
export async function gatewayReadiness(
  subgraphUrls: ReadonlyMap<string, string>,
  timeoutMs: number = SUBGRAPH_READY_TIMEOUT_MS,
): Promise<Readiness> {
  const entries = [...subgraphUrls];
  const answers = await Promise.all(entries.map(([, url]) => subgraphReady(url, timeoutMs)));
  const down = entries.filter((_, index) => !answers[index]).map(([name]) => name);
  if (down.length === 0) return true;
  const named = `subgraphs not ready: ${down.join(', ')}`;
  return down.length === entries.length ? named : { degraded: named };
}
