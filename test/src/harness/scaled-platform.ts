// The production shape scaled out on this machine: a three-node Galera cluster and a three-node RabbitMQ
// cluster (private, beside the shared MariaDB and broker), two replicas of every subgraph (the depository's
// bank agent among them) and two gateways, each service behind a HAProxy frontend that the others and the
// clients call. The bank and the identity, risk and SMS providers are outside systems: once each, on the
// shared MariaDB. Replica r of the s-th service talks to Galera node (s + r) mod 3 and first to RabbitMQ node
// (s + r + 1) mod 3 (then the next ones), so every node serves and each service's two replicas never share one.
import { randomBytes } from 'node:crypto';
import { SUBGRAPH_NAMES } from '@wanxin/platform';
import { createTestEnvironment, freePort, type TestEnvironment } from '@wanxin/platform/testing';
import { GaleraCluster } from './galera-cluster';
import { HaProxy } from './haproxy';
import {
  PROVIDER_NAMES,
  PROVIDER_SCRIPTS,
  QUICK_REPAYMENT_JOBS,
  SCRIPTS,
  serviceEnvironments,
  SUITE_THROTTLES,
  type ProviderName,
  type ServiceName,
} from './platform';
import { PrivateBroker } from './private-broker';
import { spawnService, type ServiceProcess } from './processes';
import { TEST_ADMIN_ENV } from '@wanxin/platform/testing';

/** The services run as replicas, in the order their nodes are assigned. */
export const REPLICATED = [...SUBGRAPH_NAMES, 'gateway'] as const;
export type ReplicatedService = (typeof REPLICATED)[number];
export const REPLICAS = 2;
const CLUSTER_SIZE = 3;

export interface ScaledPlatform {
  environment: TestEnvironment;
  galera: GaleraCluster;
  brokers: readonly PrivateBroker[];
  proxy: HaProxy;
  /** The gateways' frontend, where clients send GraphQL. */
  gateway: { url: string };
  bank: ServiceProcess;
  replicas(name: ReplicatedService): readonly ServiceProcess[];
  /** SIGKILLs replica `index` of `name`. */
  killReplica(name: ReplicatedService, index: number): Promise<void>;
  /** Starts replica `index` of `name` again on its port and waits until it is ready. */
  startReplica(name: ReplicatedService, index: number): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

export async function startScaledPlatform(extraEnv: Record<string, string> = {}): Promise<ScaledPlatform> {
  const environment = createTestEnvironment(
    'mysql',
    { ...TEST_ADMIN_ENV, BANK_NOTIFY_SCHEDULE_SCALE: '0.01', ...SUITE_THROTTLES, ...QUICK_REPAYMENT_JOBS, ...extraEnv },
    true,
  );
  const started: { galera?: GaleraCluster; brokers: PrivateBroker[]; proxy?: HaProxy; processes: ServiceProcess[] } = {
    brokers: [],
    processes: [],
  };
  const stopAll = async () => {
    await Promise.all(started.processes.map((service) => service.stop('SIGKILL')));
    await started.proxy?.stop();
    await Promise.all(started.brokers.map((broker) => broker.stop()));
    await started.galera?.stop();
    await environment.cleanup();
  };
  try {
    const cookie = randomBytes(16).toString('hex').toUpperCase();
    const [galera, brokers] = await Promise.all([
      GaleraCluster.start(CLUSTER_SIZE),
      (async () => {
        for (let index = 0; index < CLUSTER_SIZE; index += 1)
          started.brokers.push(await PrivateBroker.start({ cookie }));
        for (const broker of started.brokers.slice(1)) await broker.joinCluster(started.brokers[0]);
        return started.brokers;
      })(),
    ]);
    started.galera = galera;

    const replicaPorts = new Map<ReplicatedService, number[]>();
    for (const name of REPLICATED) replicaPorts.set(name, [await freePort(), await freePort()]);
    const outsidePorts = {} as Record<'bank' | ProviderName, number>;
    for (const name of ['bank', ...PROVIDER_NAMES] as const) outsidePorts[name] = await freePort();
    const proxy = await HaProxy.start(REPLICATED.map((name) => ({ name, replicaPorts: replicaPorts.get(name)! })));
    started.proxy = proxy;
    const environments = serviceEnvironments(environment.env, (name) =>
      name === 'bank' || (PROVIDER_NAMES as readonly string[]).includes(name)
        ? `http://127.0.0.1:${outsidePorts[name as 'bank' | ProviderName]}`
        : proxy.origin(name),
    );

    const outside = [
      spawnService('bank', SCRIPTS.bank, outsidePorts.bank, environments.bank),
      ...PROVIDER_NAMES.map((name) =>
        spawnService(name, PROVIDER_SCRIPTS[name], outsidePorts[name], environments[name]),
      ),
    ];
    started.processes.push(...outside);
    await Promise.all(outside.map((service) => service.waitUntilReady()));

    const replicas = new Map<ReplicatedService, ServiceProcess[]>();
    const replicaEnv = (name: ReplicatedService, index: number) => {
      const node = (REPLICATED.indexOf(name) + index) % CLUSTER_SIZE;
      return {
        ...environments[name as ServiceName],
        DATABASE_URL: galera.url(node),
        // Every node, this replica's own first: a lost connection recovers on the next one.
        AMQP_URL: brokers.map((_, offset) => brokers[(node + 1 + offset) % CLUSTER_SIZE].url).join(','),
      };
    };
    const startReplica = async (name: ReplicatedService, index: number) => {
      const port = replicaPorts.get(name)![index];
      const service = spawnService(`${name}#${index + 1}`, SCRIPTS[name], port, replicaEnv(name, index));
      started.processes.push(service);
      const list = replicas.get(name) ?? [];
      list[index] = service;
      replicas.set(name, list);
      await service.waitUntilReady();
      return service;
    };
    // One service at a time, its two replicas at once on two Galera nodes: both migrate its new database, and
    // the migration lock lets one of them run each migration.
    for (const name of REPLICATED) await Promise.all([startReplica(name, 0), startReplica(name, 1)]);

    return {
      environment,
      galera,
      brokers,
      proxy,
      gateway: { url: `${proxy.origin('gateway')}/graphql` },
      bank: outside[0],
      replicas: (name) => replicas.get(name) ?? [],
      killReplica: async (name, index) => {
        await replicas.get(name)![index].stop('SIGKILL');
      },
      startReplica,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
