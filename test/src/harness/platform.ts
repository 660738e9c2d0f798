import { SUBGRAPH_NAMES, type DatabaseKind } from '@wanxin/platform';
import { createTestEnvironment, type TestEnvironment } from '@wanxin/platform/testing';
import { freePort, spawnService, type ServiceProcess } from './processes';

export const TEST_ADMIN = { mobile: '13900000000', password: 'admin-pass-1' };

/** The whole platform with every service its own process: five subgraphs and a gateway. */
export interface RunningPlatform {
  environment: TestEnvironment;
  gateway: ServiceProcess;
  subgraphs: Record<(typeof SUBGRAPH_NAMES)[number], ServiceProcess>;
  startGateway(extraEnv?: Record<string, string>): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

/** Starts every service as its own process on `kind`, with RabbitMQ when `broker` (the production shape). */
export async function startPlatform(kind: DatabaseKind, broker: boolean): Promise<RunningPlatform> {
  const environment = createTestEnvironment(kind, { WANXIN_ADMIN_MOBILE: TEST_ADMIN.mobile, WANXIN_ADMIN_PASSWORD: TEST_ADMIN.password }, broker);
  const started: ServiceProcess[] = [];
  try {
    const subgraphs = {} as RunningPlatform['subgraphs'];
    for (const name of SUBGRAPH_NAMES) {
      const service = spawnService(name, `subgraphs/${name}/dist/src/main.js`, await freePort(), environment.env);
      started.push(service);
      subgraphs[name] = service;
    }
    await Promise.all(started.map((service) => service.waitUntilReady()));
    const subgraphUrls = Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`${name.toUpperCase()}_URL`, subgraphs[name].url]));
    const startGateway = async (extraEnv: Record<string, string> = {}) => {
      const gateway = spawnService('gateway', 'gateway/dist/src/main.js', await freePort(), { ...environment.env, ...subgraphUrls, ...extraEnv });
      started.push(gateway);
      await gateway.waitUntilReady();
      return gateway;
    };
    const gateway = await startGateway();
    return {
      environment,
      gateway,
      subgraphs,
      startGateway,
      stop: async () => {
        await Promise.all(started.map((service) => service.stop()));
        await environment.cleanup();
      },
    };
  } catch (error) {
    await Promise.all(started.map((service) => service.stop()));
    await environment.cleanup();
    throw error;
  }
}
