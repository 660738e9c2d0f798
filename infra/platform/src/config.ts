import path from 'node:path';
import { MoneyFormatError, parseMoney, parseRate } from './money';
import { DEFAULT_AMQP_OPTIONS } from './messaging/amqp-transport';
import { DEFAULT_RELAY_OPTIONS } from './messaging/relay';
import type { MessagingConfig } from './messaging/runtime';
import { readQueryLimits, type QueryLimits } from './query-limits';

/** Every problem found in the environment, each naming its variable. */
/** Three base64 photographs of 2 MiB (8 MiB) and room for the rest of a verifyIdentity request. */
const GRAPHQL_BODY_BYTES_MAX_DEFAULT = 9 * 1024 * 1024;

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}

/**
 * Reads environment variables once, at start. Each accessor validates its variable and records a
 * problem naming it; `finish()` throws them all at once so an operator fixes everything in one pass.
 */
export class EnvReader {
  private readonly problems: string[] = [];
  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  private raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value === '' ? undefined : value;
  }

  problem(name: string, message: string): void {
    this.problems.push(`${name}: ${message}`);
  }

  optionalString(name: string, pattern?: RegExp, hint?: string): string | undefined {
    const value = this.raw(name);
    if (value !== undefined && pattern && !pattern.test(value)) {
      this.problem(name, `"${value}" is not valid${hint ? ` (${hint})` : ''}`);
      return undefined;
    }
    return value;
  }

  string(name: string, defaultValue: string, pattern?: RegExp, hint?: string): string {
    return this.optionalString(name, pattern, hint) ?? defaultValue;
  }

  int(name: string, defaultValue: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return defaultValue;
    const parsed = /^-?[0-9]+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      this.problem(name, `"${value}" must be a whole number from ${min} to ${max}`);
      return defaultValue;
    }
    return parsed;
  }

  /** An amount of yuan ("500000.00") as bigint fen, in the Money scalar's format. */
  money(name: string, defaultText: string): bigint {
    return this.parsed(name, defaultText, parseMoney);
  }

  /** A rate ("0.15") as integer millionths, in the Rate scalar's format. */
  rate(name: string, defaultText: string): number {
    return this.parsed(name, defaultText, parseRate);
  }

  private parsed<T>(name: string, defaultText: string, parse: (text: string) => T): T {
    const text = this.string(name, defaultText);
    try {
      return parse(text);
    } catch (error) {
      if (!(error instanceof MoneyFormatError)) throw error;
      this.problem(name, error.message);
      return parse(defaultText);
    }
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], defaultValue: T): T {
    const value = this.raw(name);
    if (value === undefined) return defaultValue;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problem(name, `"${value}" must be one of ${allowed.join(', ')}`);
      return defaultValue;
    }
    return value as T;
  }

  optionalUrl(name: string, protocols: readonly string[]): URL | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (!protocols.includes(url.protocol)) {
        this.problem(name, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
        return undefined;
      }
      return url;
    } catch {
      this.problem(name, 'is not a URL');
      return undefined;
    }
  }

  /** A PEM given in an env var, where newlines are often written as "\n". */
  optionalPem(name: string, kind: 'PRIVATE KEY' | 'PUBLIC KEY'): string | undefined {
    const value = this.raw(name)?.replace(/\\n/g, '\n');
    if (
      value !== undefined &&
      !value.includes(`-----BEGIN ${kind}-----`) &&
      !value.includes(`-----BEGIN RSA ${kind}-----`)
    ) {
      this.problem(name, `must be a PEM-encoded RSA ${kind.toLowerCase()}`);
      return undefined;
    }
    return value;
  }

  finish(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}

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
      amqpUrl: reader.optionalUrl('AMQP_URL', ['amqp:', 'amqps:'])?.toString(),
      namespace: reader.string(
        'EVENTS_NAMESPACE',
        'wanxin',
        /^[a-z][a-z0-9_-]{0,40}$/,
        'lower-case letters, digits, _ and -',
      ),
      relay: {
        batchSize: reader.int('OUTBOX_BATCH_SIZE', DEFAULT_RELAY_OPTIONS.batchSize, 1, 5000),
        pollIntervalMs: reader.int('OUTBOX_POLL_INTERVAL_MS', DEFAULT_RELAY_OPTIONS.pollIntervalMs, 10, 60_000),
        attemptsMax: reader.int('OUTBOX_ATTEMPTS_MAX', DEFAULT_RELAY_OPTIONS.attemptsMax, 1, 1000),
        retryDelayMs: reader.int('OUTBOX_RETRY_DELAY_MS', DEFAULT_RELAY_OPTIONS.retryDelayMs, 1, 600_000),
        retryDelayMaxMs: reader.int('OUTBOX_RETRY_DELAY_MAX_MS', DEFAULT_RELAY_OPTIONS.retryDelayMaxMs, 1, 3_600_000),
        leaseMs: reader.int('OUTBOX_LEASE_MS', DEFAULT_RELAY_OPTIONS.leaseMs, 100, 600_000),
      },
      prefetch: reader.int('EVENTS_PREFETCH', DEFAULT_AMQP_OPTIONS.prefetch, 1, 1000),
      deliveryLimit: reader.int('EVENTS_DELIVERY_LIMIT', DEFAULT_AMQP_OPTIONS.deliveryLimit, 1, 100),
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
