import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { isServiceToken } from './auth/service-token';
import type { PlatformConfig } from './config';
import type { RouteHandler } from './http';

/** What decides who may read the operations routes (`/metrics`, the bank's `/ledger/check`). */
export type OpsAccess = Pick<PlatformConfig, 'nodeEnv' | 'metricsToken'>;

/**
 * With METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>`; without it the routes are open in
 * development and test, and closed in production (they show volumes, queue depths and balances).
 */
export function isOpsRequestAllowed(request: IncomingMessage, access: OpsAccess): boolean {
  if (access.metricsToken === undefined) return access.nodeEnv !== 'production';
  const header = request.headers.authorization;
  const bearer = 'Bearer ';
  const presented = typeof header === 'string' && header.startsWith(bearer) ? header.slice(bearer.length) : undefined;
  return isServiceToken(presented, access.metricsToken);
}

export function refuseOpsRequest(response: ServerResponse): void {
  response.writeHead(401, {
    'content-type': 'text/plain; charset=utf-8',
    'www-authenticate': 'Bearer realm="wanxin-ops"',
  });
  response.end('unauthorized: send Authorization: Bearer <METRICS_TOKEN>');
}

/** `GET /metrics` of a service's registry, for holders of the operations token. */
export function metricsRoute(registry: Registry, access: OpsAccess): RouteHandler {
  return async (request, response) => {
    if (!isOpsRequestAllowed(request, access)) return refuseOpsRequest(response);
    response.writeHead(200, { 'content-type': registry.contentType });
    response.end(await registry.metrics());
  };
}
