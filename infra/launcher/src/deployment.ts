import { stringify } from 'yaml';
import { loadConfig, readSubgraphConfig } from '@wanxin/platform';
import { readBankConfig } from '@wanxin/bank-simulator';
import { readGatewayConfig } from '@wanxin/gateway';
import { readIdentityConfig } from '@wanxin/identity-simulator';
import { readRiskConfig } from '@wanxin/risk-simulator';
import { readSmsConfig } from '@wanxin/sms-simulator';
import { allSubgraphs } from './subgraphs';

/**
 * Wanxin as it is deployed: every process of the one image (its command chooses it), the port it serves,
 * the settings it is given and the keys it is handed. The Kubernetes manifests under infra/deploy/k8s are
 * printed from this table (`npm run deploy:k8s`), and test/src/deploy.test.ts checks them against it and
 * against the Kubernetes schemas.
 */
export interface DeployedService {
  name: string;
  /** The compiled entry point in the image, run as `node <main>`. */
  main: string;
  port: number;
  /** Platform services run replicated behind a Service; simulators stand in for one outside party each. */
  kind: 'platform' | 'simulator';
  /** Settings beyond the platform ConfigMap's, as literal variables. */
  environment: Record<string, string>;
  /** Keys of the `wanxin-keys` Secret handed to it, each as the variable of its name. */
  secrets: readonly string[];
  /** A subgraph migrates its own database: the migration Job runs `node <main> --migrate`. */
  migrates: boolean;
}

/** Every platform service's connections and the keys all of them verify with. */
const PLATFORM_SECRETS = ['DATABASE_URL', 'AMQP_URL', 'JWT_PUBLIC_KEY', 'INTERNAL_API_SECRET', 'METRICS_TOKEN'];

function simulator(name: string, port: number, environment: Record<string, string> = {}): DeployedService {
  const prefix = name.toUpperCase();
  return {
    name,
    main: `infra/simulators/${name}/dist/src/main.js`,
    port,
    kind: 'simulator',
    environment: { PORT: String(port), ...environment },
    secrets: ['DATABASE_URL', 'METRICS_TOKEN', `${prefix}_PRIVATE_KEY`, `${prefix}_PUBLIC_KEY`, 'PLATFORM_PUBLIC_KEY'],
    migrates: false,
  };
}

function subgraph(
  name: string,
  port: number,
  environment: Record<string, string> = {},
  secrets: string[] = [],
): DeployedService {
  return {
    name,
    main: `subgraphs/${name}/dist/src/main.js`,
    port,
    kind: 'platform',
    environment: { PORT: String(port), ...environment },
    secrets: [...PLATFORM_SECRETS, ...secrets],
    migrates: true,
  };
}

export const DEPLOYED_SERVICES: readonly DeployedService[] = [
  subgraph(
    'users',
    4001,
    {
      WANXIN_ADMIN_MOBILE: '13900000000',
      IDENTITY_PROVIDER_URL: 'http://identity:4007',
      IDENTITY_CALLBACK_URL: 'http://users:4001/identity/notify',
      RISK_PROVIDER_URL: 'http://risk:4008',
      RISK_CALLBACK_URL: 'http://users:4001/risk/notify',
      SMS_PROVIDER_URL: 'http://sms:4009',
    },
    [
      'JWT_PRIVATE_KEY',
      'WANXIN_ADMIN_PASSWORD',
      'PLATFORM_PRIVATE_KEY',
      'IDENTITY_PUBLIC_KEY',
      'RISK_PUBLIC_KEY',
      'SMS_PUBLIC_KEY',
    ],
  ),
  subgraph('loans', 4002),
  subgraph('bids', 4003),
  subgraph('repayments', 4004, { BUSINESS_CLOCK: 'auto', BUSINESS_TIMEZONE: 'Asia/Shanghai', DAILY_RUN_AT: '01:00' }),
  // The depository subgraph and its bank agent: the internal bank API the other subgraphs call.
  subgraph(
    'depository',
    4005,
    { BANK_URL: 'http://bank:4006', BANK_PUBLIC_URL: 'https://bank.example.com', BANK_PLATFORM_NO: 'WANXIN' },
    ['PLATFORM_PRIVATE_KEY', 'BANK_PUBLIC_KEY'],
  ),
  {
    name: 'gateway',
    main: 'gateway/dist/src/main.js',
    port: 4000,
    kind: 'platform',
    environment: {
      PORT: '4000',
      USERS_URL: 'http://users:4001/graphql',
      LOANS_URL: 'http://loans:4002/graphql',
      BIDS_URL: 'http://bids:4003/graphql',
      REPAYMENTS_URL: 'http://repayments:4004/graphql',
      DEPOSITORY_URL: 'http://depository:4005/graphql',
      // The ingress in front appends the client's address to X-Forwarded-For.
      TRUSTED_PROXY_HOPS: '1',
      SUPERGRAPH_PATH: '/etc/wanxin/supergraph/supergraph.graphql',
    },
    secrets: ['AMQP_URL', 'JWT_PUBLIC_KEY', 'INTERNAL_API_SECRET', 'METRICS_TOKEN'],
    migrates: false,
  },
  simulator('bank', 4006, { BANK_NOTIFY_URL: 'http://depository:4005/bank/notify', BANK_PLATFORM_NO: 'WANXIN' }),
  simulator('identity', 4007),
  simulator('risk', 4008),
  simulator('sms', 4009),
];

type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads a deployed service's configuration from `env` as its `main.js` does: a ConfigError names every
 * problem. Deployment checks run it over a proxy that records which variables the service reads.
 */
export function readDeployedServiceConfig(name: string, env: Environment): unknown {
  const definition = allSubgraphs().find((candidate) => candidate.name === name);
  if (definition !== undefined) return readSubgraphConfig(definition, env);
  switch (name) {
    case 'gateway':
      return readGatewayConfig(env);
    case 'bank':
      return loadConfig(env, readBankConfig);
    case 'identity':
      return loadConfig(env, readIdentityConfig);
    case 'risk':
      return loadConfig(env, readRiskConfig);
    case 'sms':
      return loadConfig(env, readSmsConfig);
    default:
      throw new Error(`no deployed service is named ${name}`);
  }
}

/** Settings every process shares (envFrom), in the ConfigMap `wanxin-platform`. */
export const PLATFORM_SETTINGS: Record<string, string> = {
  NODE_ENV: 'production',
  LOG_FORMAT: 'json',
  DEPOSITORY_INTERNAL_URL: 'http://depository:4005',
};

export const KEYS_SECRET_NAME = 'wanxin-keys';
export const PLATFORM_CONFIG_MAP_NAME = 'wanxin-platform';
/** The supergraph the gateways serve and follow: created from schema/supergraph.graphql by the operator. */
export const SUPERGRAPH_CONFIG_MAP_NAME = 'wanxin-supergraph';
export const IMAGE = 'wanxin:latest';
/** The node image's unprivileged user, the image's USER. */
const RUN_AS_USER = 1000;
const REPLICAS_MIN = 2;
const REPLICAS_MAX = 10;
const CPU_UTILIZATION_PERCENT = 70;

type Manifest = Record<string, unknown>;

function labelsOf(service: DeployedService) {
  return { 'app.kubernetes.io/name': service.name, 'app.kubernetes.io/part-of': 'wanxin' };
}

function environmentOf(service: DeployedService) {
  return [
    ...Object.entries(service.environment).map(([name, value]) => ({ name, value })),
    ...service.secrets.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name: KEYS_SECRET_NAME, key } } })),
  ];
}

/** Nothing of the image is writable: only development writes to DATA_DIR, and node may want a /tmp. */
const WRITABLE_VOLUMES = [
  { name: 'data', mountPath: '/app/.data' },
  { name: 'tmp', mountPath: '/tmp' },
];

const CONTAINER_SECURITY = {
  runAsNonRoot: true,
  runAsUser: RUN_AS_USER,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ['ALL'] },
};

function container(service: DeployedService, name: string, args: string[]) {
  return {
    name,
    image: IMAGE,
    command: ['node', service.main, ...args],
    envFrom: [{ configMapRef: { name: PLATFORM_CONFIG_MAP_NAME } }],
    env: environmentOf(service),
    securityContext: CONTAINER_SECURITY,
    volumeMounts: WRITABLE_VOLUMES,
  };
}

function deployment(service: DeployedService): Manifest {
  const gateway = service.name === 'gateway';
  const probe = (path: string, failureThreshold: number) => ({
    httpGet: { path, port: 'http' },
    periodSeconds: 5,
    timeoutSeconds: 3,
    failureThreshold,
  });
  const serving = {
    ...container(service, service.name, []),
    ports: [{ name: 'http', containerPort: service.port }],
    // Ready: the database answers (a gateway: at least one subgraph does). Alive: the process answers.
    readinessProbe: probe('/readyz', 2),
    livenessProbe: probe('/healthz', 6),
    startupProbe: probe('/healthz', 30),
    resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } },
    volumeMounts: [
      ...WRITABLE_VOLUMES,
      ...(gateway ? [{ name: 'supergraph', mountPath: '/etc/wanxin/supergraph', readOnly: true }] : []),
    ],
  };
  const volumes = [
    ...WRITABLE_VOLUMES.map(({ name }) => ({ name, emptyDir: {} })),
    // Mounted as a directory, not a subPath: an updated ConfigMap reaches the gateway, which takes it live.
    ...(gateway ? [{ name: 'supergraph', configMap: { name: SUPERGRAPH_CONFIG_MAP_NAME } }] : []),
  ];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: service.name, labels: labelsOf(service) },
    spec: {
      replicas: service.kind === 'platform' ? REPLICAS_MIN : 1,
      selector: { matchLabels: labelsOf(service) },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: { labels: labelsOf(service) },
        spec: {
          securityContext: { runAsNonRoot: true, runAsUser: RUN_AS_USER, fsGroup: RUN_AS_USER },
          // SIGTERM: stop accepting, finish in-flight requests, close the database.
          terminationGracePeriodSeconds: 30,
          containers: [serving],
          volumes,
        },
      },
    },
  };
}

function serviceOf(service: DeployedService): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: service.name, labels: labelsOf(service) },
    spec: { selector: labelsOf(service), ports: [{ name: 'http', port: service.port, targetPort: 'http' }] },
  };
}

function disruptionBudget(service: DeployedService): Manifest {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: service.name, labels: labelsOf(service) },
    spec: { minAvailable: 1, selector: { matchLabels: labelsOf(service) } },
  };
}

function autoscaler(service: DeployedService): Manifest {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: service.name, labels: labelsOf(service) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: service.name },
      minReplicas: REPLICAS_MIN,
      maxReplicas: REPLICAS_MAX,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: CPU_UTILIZATION_PERCENT } },
        },
      ],
    },
  };
}

/** One pod, one container per subgraph database (they are independent); it succeeds when every one did. */
function migrationJob(): Manifest {
  const migrating = DEPLOYED_SERVICES.filter((service) => service.migrates);
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'wanxin-migrate', labels: { 'app.kubernetes.io/part-of': 'wanxin' } },
    spec: {
      backoffLimit: 3,
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels: { 'app.kubernetes.io/name': 'wanxin-migrate', 'app.kubernetes.io/part-of': 'wanxin' } },
        spec: {
          restartPolicy: 'OnFailure',
          securityContext: { runAsNonRoot: true, runAsUser: RUN_AS_USER },
          containers: migrating.map((service) => container(service, `migrate-${service.name}`, ['--migrate'])),
          volumes: WRITABLE_VOLUMES.map(({ name }) => ({ name, emptyDir: {} })),
        },
      },
    },
  };
}

/** Every manifest, by the file it is written to under infra/deploy/k8s. */
export function kubernetesManifests(): Map<string, Manifest[]> {
  const files = new Map<string, Manifest[]>();
  files.set('namespace.yaml', [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'wanxin' } }]);
  files.set('configmap.yaml', [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: PLATFORM_CONFIG_MAP_NAME }, data: PLATFORM_SETTINGS },
  ]);
  files.set('migrate-job.yaml', [migrationJob()]);
  for (const service of DEPLOYED_SERVICES) {
    const scaled = service.kind === 'platform' ? [disruptionBudget(service), autoscaler(service)] : [];
    files.set(`${service.name}.yaml`, [deployment(service), serviceOf(service), ...scaled]);
  }
  return files;
}

/**
 * The kustomization beside the manifests (`kubectl apply -k infra/deploy`): the namespace, every file, and
 * the `wanxin-keys` Secret generated from the files infra/deploy/make-secrets.sh writes.
 */
export function kustomization(files: readonly string[]): Manifest {
  const keys = [...new Set(DEPLOYED_SERVICES.flatMap((service) => service.secrets))].sort();
  return {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: 'wanxin',
    resources: files.map((file) => `k8s/${file}`),
    secretGenerator: [{ name: KEYS_SECRET_NAME, files: keys.map((key) => `secrets/${key}`) }],
  };
}

const GENERATED_HEADER =
  '# Printed by `npm run deploy:k8s` from infra/launcher/src/deployment.ts: change that, not this.\n';

/** The text of every file `npm run deploy:k8s` writes, by its path under infra/deploy. */
export function deploymentFiles(): Map<string, string> {
  const manifests = kubernetesManifests();
  const texts = new Map<string, string>();
  for (const [file, objects] of manifests) {
    texts.set(`k8s/${file}`, GENERATED_HEADER + objects.map((object) => stringify(object)).join('---\n'));
  }
  texts.set('kustomization.yaml', GENERATED_HEADER + stringify(kustomization([...manifests.keys()])));
  return texts;
}
