import fs from 'node:fs';
import path from 'node:path';
import { resolveServiceSecret, SUBGRAPH_NAMES, type DatabaseKind, type SubgraphName } from '@wanxin/platform';
import { createTestEnvironment, freePort, TEST_ADMIN_ENV, type TestEnvironment } from '@wanxin/platform/testing';
import { spawnService, type ServiceProcess } from './processes';
import { assertStatementsEqualTheBank } from './statements';

/**
 * Settle passes, the run lease and loans' daily job quick enough for a suite that walks loans through
 * their due dates: confirmations and refunds land in well under a second, a killed run is taken over in 2 s.
 */
export const QUICK_REPAYMENT_JOBS = {
  BID_SETTLE_INTERVAL_MS: '500',
  REPAYMENT_SETTLE_INTERVAL_MS: '300',
  REPAYMENT_RUN_LEASE_MS: '2000',
  LOAN_DAILY_JOB_INTERVAL_MS: '500',
};

/** Suites register and sign in many users from one address, as `npm start` allows; throttle tests set their own. */
export const SUITE_THROTTLES = { LOGIN_ADDRESS_ATTEMPTS_MAX: '1000', REGISTER_ADDRESS_ATTEMPTS_MAX: '100000' };

export type ServiceName = SubgraphName | 'bank' | 'gateway';

interface ServiceSpec {
  script: string;
  port: number;
  env: Record<string, string>;
  nodeArgs: string[];
}

/**
 * The whole platform, every service its own process: the bank, the identity, risk and SMS providers, five
 * subgraphs, a gateway.
 */
export interface RunningPlatform {
  environment: TestEnvironment;
  gateway: ServiceProcess;
  bank: ServiceProcess;
  identity: ServiceProcess;
  risk: ServiceProcess;
  /**
   * Its inbox shows what each phone received: readInbox (@wanxin/sms-simulator/testing) at
   * http://127.0.0.1:<sms.port>.
   */
  sms: ServiceProcess;
  subgraphs: Record<SubgraphName, ServiceProcess>;
  /** Another gateway over the same subgraphs, e.g. in production mode. */
  startGateway(extraEnv?: Record<string, string>): Promise<ServiceProcess>;
  /**
   * Stops a service (SIGTERM, or SIGKILL with `kill`) and starts it again on the same port, with `env` added
   * to its environment from then on.
   */
  restart(
    name: ServiceName,
    options?: { kill?: boolean; whileDown?: () => Promise<void>; env?: Record<string, string> },
  ): Promise<ServiceProcess>;
  /**
   * Checks every statement against the bank (on MariaDB), then stops everything; the check's failure is thrown.
   * `statements: 'unchecked'` is for a benchmark whose setup moves money at the bank directly, which no
   * statement can hear of.
   */
  stop(options?: { statements?: 'checked' | 'unchecked' }): Promise<void>;
}

/**
 * A gateway in production mode over the platform's development subgraphs: it is given explicitly what
 * production requires, the platform's token key and service secret.
 */
export function startProductionGateway(platform: RunningPlatform): Promise<ServiceProcess> {
  const { dataDir } = platform.environment.config;
  return platform.startGateway({
    NODE_ENV: 'production',
    JWT_PUBLIC_KEY: fs.readFileSync(path.join(dataDir, 'keys', 'jwt-public.pem'), 'utf8'),
    INTERNAL_API_SECRET: resolveServiceSecret(dataDir, undefined),
  });
}

/** The identity, risk and SMS providers' simulators: their own processes, started once (no suite restarts them). */
export const PROVIDER_NAMES = ['identity', 'risk', 'sms'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const PROVIDER_SCRIPTS: Record<ProviderName, string> = {
  identity: 'infra/simulators/identity/dist/src/main.js',
  risk: 'infra/simulators/risk/dist/src/main.js',
  sms: 'infra/simulators/sms/dist/src/main.js',
};

export const SCRIPTS: Record<ServiceName, string> = {
  users: 'subgraphs/users/dist/src/main.js',
  loans: 'subgraphs/loans/dist/src/main.js',
  bids: 'subgraphs/bids/dist/src/main.js',
  repayments: 'subgraphs/repayments/dist/src/main.js',
  depository: 'subgraphs/depository/dist/src/main.js',
  bank: 'infra/simulators/bank/dist/src/main.js',
  gateway: 'gateway/dist/src/main.js',
};

/**
 * Each service's environment: the suite's `env` with the addresses of the services it calls (`origin`, e.g.
 * `http://127.0.0.1:<port>` of a process or of a proxy in front of replicas).
 */
export function serviceEnvironments(
  env: Record<string, string>,
  origin: (name: ServiceName | ProviderName) => string,
): Record<ServiceName | ProviderName, Record<string, string>> {
  const serviceEnv: Record<string, string> = { ...env, DEPOSITORY_INTERNAL_URL: origin('depository') };
  return {
    loans: serviceEnv,
    bids: serviceEnv,
    repayments: serviceEnv,
    bank: { ...env, BANK_NOTIFY_URL: `${origin('depository')}/bank/notify` },
    depository: { ...serviceEnv, BANK_URL: origin('bank') },
    users: {
      ...serviceEnv,
      IDENTITY_PROVIDER_URL: origin('identity'),
      IDENTITY_CALLBACK_URL: `${origin('users')}/identity/notify`,
      RISK_PROVIDER_URL: origin('risk'),
      RISK_CALLBACK_URL: `${origin('users')}/risk/notify`,
      // The SMS provider's key is found like the others': its development pair under the shared DATA_DIR.
      SMS_PROVIDER_URL: origin('sms'),
    },
    gateway: {
      ...env,
      ...Object.fromEntries(SUBGRAPH_NAMES.map((name) => [`${name.toUpperCase()}_URL`, `${origin(name)}/graphql`])),
    },
    // Decided at once and called back again after 5 ms, 10 ms, …: suites wait for results, not for the clock.
    identity: { ...env, IDENTITY_DECISION_DELAY_MS: '0', IDENTITY_CALLBACK_RETRY_BASE_MS: '5' },
    risk: { ...env, RISK_DECISION_DELAY_MS: '0', RISK_CALLBACK_RETRY_BASE_MS: '5' },
    sms: env,
  };
}

/**
 * Starts every service as its own process on `kind`, with RabbitMQ when `broker` (the production shape);
 * `nodeArgsByService` gives single services node options (e.g. --cpu-prof, which NODE_OPTIONS may not carry).
 */
export async function startPlatform(
  kind: DatabaseKind,
  broker: boolean,
  extraEnv: Record<string, string> = {},
  nodeArgsByService: Partial<Record<ServiceName, string[]>> = {},
): Promise<RunningPlatform> {
  const environment = createTestEnvironment(
    kind,
    {
      ...TEST_ADMIN_ENV,
      BANK_NOTIFY_SCHEDULE_SCALE: '0.01',
      ...SUITE_THROTTLES,
      ...extraEnv,
    },
    broker,
  );
  const ports = {} as Record<ServiceName | ProviderName, number>;
  for (const name of [...Object.keys(SCRIPTS), ...PROVIDER_NAMES] as (ServiceName | ProviderName)[])
    ports[name] = await freePort();
  const environments = serviceEnvironments(environment.env, (name) => `http://127.0.0.1:${ports[name]}`);
  const specs = {} as Record<ServiceName, ServiceSpec>;
  for (const name of Object.keys(SCRIPTS) as ServiceName[])
    specs[name] = {
      script: SCRIPTS[name],
      port: ports[name],
      env: environments[name],
      nodeArgs: nodeArgsByService[name] ?? [],
    };

  const running = new Map<ServiceName, ServiceProcess>();
  const extras: ServiceProcess[] = [];
  const start = async (name: ServiceName) => {
    const service = spawnService(name, specs[name].script, specs[name].port, specs[name].env, specs[name].nodeArgs);
    running.set(name, service);
    await service.waitUntilReady();
    return service;
  };
  const stopAll = async () => {
    await Promise.all([...running.values(), ...extras].map((service) => service.stop()));
    await environment.cleanup();
  };
  try {
    const [identity, risk, sms] = PROVIDER_NAMES.map((name) =>
      spawnService(name, PROVIDER_SCRIPTS[name], ports[name], environments[name]),
    );
    extras.push(identity, risk, sms);
    await Promise.all([start('bank'), ...[identity, risk, sms].map((provider) => provider.waitUntilReady())]);
    await Promise.all(SUBGRAPH_NAMES.map((name) => start(name)));
    await start('gateway');
    const platform: RunningPlatform = {
      environment,
      get gateway() {
        return running.get('gateway')!;
      },
      get bank() {
        return running.get('bank')!;
      },
      identity,
      risk,
      sms,
      get subgraphs() {
        return Object.fromEntries(SUBGRAPH_NAMES.map((name) => [name, running.get(name)!])) as Record<
          SubgraphName,
          ServiceProcess
        >;
      },
      startGateway: async (gatewayEnv = {}) => {
        const gateway = spawnService('gateway', SCRIPTS.gateway, await freePort(), {
          ...specs.gateway.env,
          ...gatewayEnv,
        });
        extras.push(gateway);
        await gateway.waitUntilReady();
        return gateway;
      },
      restart: async (name, options = {}) => {
        await running.get(name)!.stop(options.kill ? 'SIGKILL' : 'SIGTERM');
        await options.whileDown?.();
        specs[name].env = { ...specs[name].env, ...options.env };
        return start(name);
      },
      // Every scenario ends with the statement invariant (harness/statements.ts): read from MariaDB.
      stop: async ({ statements = 'checked' } = {}) => {
        try {
          if (kind === 'mysql' && statements === 'checked') await assertStatementsEqualTheBank(environment.config);
        } finally {
          await stopAll();
        }
      },
    };
    return platform;
  } catch (error) {
    await stopAll();
    throw error;
  }
}
