import path from 'node:path';
import { EnvReader } from './env-reader';
import { BROKER_NODES_MAX } from './messaging/broker-connection';
import {
  CONSUMER_BATCH_MAX,
  DEFAULT_AMQP_OPTIONS,
  DEFAULT_CONSUMER_BATCH_MAX,
  DEFAULT_RELAY_OPTIONS,
  type MessagingConfig,
} from './messaging/options';
import { readQueryLimits, type QueryLimits } from './query-limits';

export { ConfigError, EnvReader } from './env-reader';

/** Three base64 photographs of 2 MiB (8 MiB) and room for the rest of a verifyIdentity request. */
const GRAPHQL_BODY_BYTES_MAX_DEFAULT = 9 * 1024 * 1024;

export type NodeEnv = 'development' | 'production' | 'test';
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `auto`: pretty when stdout is a terminal, JSON otherwise (piped to a collector or a file). */
export const LOG_FORMATS = ['json', 'pretty', 'auto'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** What every service reads. */
export interface PlatformConfig {
  nodeEnv: NodeEnv;
  logLevel: LogLevel;
  logFormat: LogFormat;
  /** Where the embedded SQLite files and development keys live. */
  dataDir: string;
  host: string;
  database: {
    /** `mysql://user:password@host:port`; unset means embedded SQLite under `dataDir`. */
    url: URL | undefined;
    /** Each subgraph's database is `<namePrefix>_<subgraph>`. */
    namePrefix: string;
    poolMax: number;
    /** A Unix socket of the MySQL server named by `url`, used instead of its host and port (same machine). */
    socketPath: string | undefined;
  };
  jwt: {
    privateKeyPem: string | undefined;
    publicKeyPem: string | undefined;
    ttlSeconds: number;
  };
  /** Authenticates service-to-service calls (internal APIs); generated under dataDir in development. */
  internalApiSecret: string | undefined;
  /** The depository agent's internal API, through which loans, bids and repayments reach the bank. */
  depositoryInternalUrl: string;
  messaging: MessagingConfig;
  /** Depth, alias and cost ceilings of a GraphQL operation: the gateway's and every subgraph's. */
  queryLimits: QueryLimits;
  /**
   * Largest GraphQL request body, the gateway's and every subgraph's (GRAPHQL_BODY_BYTES_MAX): verifyIdentity
   * carries three photographs of up to 2 MiB each as base64 (8 MiB), so 9 MiB by default.
   */
  graphqlBodyBytesMax: number;
  /** Bearer token for the operations routes (`/metrics`); unset: open in development, closed in production. */
  metricsToken: string | undefined;
}

/** `verifiesTokens: false` for a service that never sees a user token (the bank simulator). */
export function readPlatformConfig(reader: EnvReader, options: { verifiesTokens?: boolean } = {}): PlatformConfig {
  const nodeEnv = reader.oneOf<NodeEnv>('NODE_ENV', ['development', 'production', 'test'], 'development');
  const config: PlatformConfig = {
    nodeEnv,
    logLevel: reader.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: reader.oneOf('LOG_FORMAT', LOG_FORMATS, nodeEnv === 'production' ? 'json' : 'auto'),
    dataDir: path.resolve(reader.string('DATA_DIR', '.data')),
    host: reader.string('HOST', '0.0.0.0', /^[0-9a-zA-Z.:_-]+$/, 'a host name or address'),
    database: {
      url: reader.optionalUrl('DATABASE_URL', ['mysql:', 'mariadb:']),
      namePrefix: reader.string(
        'DATABASE_NAME_PREFIX',
        'wanxin',
        /^[a-z][a-z0-9_]{0,40}$/,
        'lower-case letters, digits, _',
      ),
      poolMax: reader.int('DATABASE_POOL_MAX', 10, 1, 200),
      socketPath: reader.optionalString('DATABASE_SOCKET_PATH', /^\/[^\0]{1,200}$/, 'an absolute path'),
    },
    jwt: {
      privateKeyPem: reader.optionalPem('JWT_PRIVATE_KEY', 'PRIVATE KEY'),
      publicKeyPem: reader.optionalPem('JWT_PUBLIC_KEY', 'PUBLIC KEY'),
      ttlSeconds: reader.int('JWT_TTL_SECONDS', 3600, 60, 7 * 24 * 3600),
    },
    internalApiSecret: reader.optionalString('INTERNAL_API_SECRET', /^.{32,256}$/, 'at least 32 characters'),
    depositoryInternalUrl:
      reader.optionalUrl('DEPOSITORY_INTERNAL_URL', ['http:', 'https:'])?.toString().replace(/\/$/, '') ??
      'http://localhost:4005',
    messaging: {
      amqpUrls: reader.optionalUrls('AMQP_URL', ['amqp:', 'amqps:'], BROKER_NODES_MAX)?.map(String),
      namespace: reader.string(
        'EVENTS_NAMESPACE',
        'wanxin',
        /^[a-z][a-z0-9_-]{0,40}$/,
        'lower-case letters, digits, _ and -',
      ),
      relay: {
        batchSize: reader.int('OUTBOX_BATCH_SIZE', DEFAULT_RELAY_OPTIONS.batchSize, 1, 5000),
        pollIntervalMs: reader.int('OUTBOX_POLL_INTERVAL_MS', DEFAULT_RELAY_OPTIONS.pollIntervalMs, 10, 60_000),
        gatherMs: reader.int('OUTBOX_GATHER_MS', DEFAULT_RELAY_OPTIONS.gatherMs, 0, 1000),
        attemptsMax: reader.int('OUTBOX_ATTEMPTS_MAX', DEFAULT_RELAY_OPTIONS.attemptsMax, 1, 1000),
        retryDelayMs: reader.int('OUTBOX_RETRY_DELAY_MS', DEFAULT_RELAY_OPTIONS.retryDelayMs, 1, 600_000),
        retryDelayMaxMs: reader.int('OUTBOX_RETRY_DELAY_MAX_MS', DEFAULT_RELAY_OPTIONS.retryDelayMaxMs, 1, 3_600_000),
        leaseMs: reader.int('OUTBOX_LEASE_MS', DEFAULT_RELAY_OPTIONS.leaseMs, 100, 600_000),
      },
      prefetch: reader.int('EVENTS_PREFETCH', DEFAULT_AMQP_OPTIONS.prefetch, 1, 1000),
      deliveryLimit: reader.int('EVENTS_DELIVERY_LIMIT', DEFAULT_AMQP_OPTIONS.deliveryLimit, 1, 100),
      consumerBatchMax: reader.int('EVENTS_CONSUMER_BATCH_MAX', DEFAULT_CONSUMER_BATCH_MAX, 1, CONSUMER_BATCH_MAX),
    },
    queryLimits: readQueryLimits(reader),
    graphqlBodyBytesMax: reader.int(
      'GRAPHQL_BODY_BYTES_MAX',
      GRAPHQL_BODY_BYTES_MAX_DEFAULT,
      64 * 1024,
      64 * 1024 * 1024,
    ),
    metricsToken: reader.optionalString(
      'METRICS_TOKEN',
      /^[A-Za-z0-9._~+/=-]{32,256}$/,
      '32 to 256 bearer-token characters',
    ),
  };
  if (nodeEnv === 'production' && options.verifiesTokens !== false && config.jwt.publicKeyPem === undefined) {
    reader.problem('JWT_PUBLIC_KEY', 'is required when NODE_ENV=production (development keys are never used there)');
  }
  return config;
}

/** Reads and validates a service's whole configuration, or throws one ConfigError listing every problem. */
export function loadConfig<T>(env: Readonly<Record<string, string | undefined>>, read: (reader: EnvReader) => T): T {
  const reader = new EnvReader(env);
  const config = read(reader);
  reader.finish();
  return config;
}
