import { createLogger, exitOnStartFailure, readSubgraphConfig, startSubgraph, stopOnSignals, type HttpService } from '@wanxin/platform';
import { readGatewayConfig } from './config';
import { startGateway } from './gateway';
import { allSubgraphs } from './subgraphs';

/** Development values printed at start; production sets its own through the environment. */
const DEVELOPMENT_ADMIN = { mobile: '13900000000', password: 'wanxin-admin-1' };

/**
 * `npm start`: the whole platform in one process. Every subgraph runs its own HTTP server on
 * PORT+1…PORT+5 exactly as it would alone, and the gateway on PORT calls them over HTTP, so this is
 * the production code path with embedded SQLite under DATA_DIR instead of MySQL.
 */
exitOnStartFailure(async () => {
  const env = {
    HOST: '127.0.0.1',
    WANXIN_ADMIN_MOBILE: DEVELOPMENT_ADMIN.mobile,
    WANXIN_ADMIN_PASSWORD: DEVELOPMENT_ADMIN.password,
    ...process.env,
  };
  const gatewayConfig = readGatewayConfig(env);
  const services: HttpService[] = [];
  const stopAll = async () => {
    for (const service of services.reverse()) await service.stop();
  };
  stopOnSignals(createLogger('wanxin', gatewayConfig.platform.logLevel), stopAll);
  for (const [index, definition] of allSubgraphs().entries()) {
    const port = gatewayConfig.port + 1 + index;
    const service = await startSubgraph(definition, readSubgraphConfig(definition, { ...env, PORT: String(port) }));
    services.push(service);
    gatewayConfig.subgraphUrls[definition.name] = service.url.replace('localhost', '127.0.0.1');
  }
  const gateway = await startGateway(gatewayConfig);
  services.push(gateway);
  const admin = { mobile: env.WANXIN_ADMIN_MOBILE, password: env.WANXIN_ADMIN_PASSWORD };
  console.log(
    [
      '',
      'Wanxin is running (embedded: SQLite under ' + gatewayConfig.platform.dataDir + ', in-process).',
      `  gateway + Apollo Sandbox  ${gateway.url}`,
      ...services.slice(0, -1).map((service, index) => `  subgraph ${allSubgraphs()[index].name.padEnd(11)}${service.url}`),
      `  admin login               mobile ${admin.mobile}  password ${admin.password}`,
      '',
    ].join('\n'),
  );
});
