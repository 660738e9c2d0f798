import type { HttpService } from '../http';
import { readSubgraphConfig, startSubgraph } from '../service';
import type { SubgraphDefinition } from '../subgraph';

/**
 * `definition`'s subgraph on a free port, configured by a test environment's variables (`environmentEnv`,
 * its database, keys and service secret) with `env` over them: a subgraph under test, or a second replica.
 */
export function startSubgraphOnFreePort<TSettings, TServices>(
  definition: SubgraphDefinition<TSettings, TServices>,
  environmentEnv: Readonly<Record<string, string | undefined>>,
  env: Readonly<Record<string, string>> = {},
): Promise<HttpService> {
  return startSubgraph(definition, readSubgraphConfig(definition, { ...environmentEnv, PORT: '0', ...env }));
}
