import {
  assert,
  Counter,
  forkEntityManager,
  resolveKeyPair,
  type Database,
  type EnvReader,
  type Logger,
  type PlatformConfig,
  type SubgraphRuntime,
} from '@wanxin/platform';
import {
  DEFAULT_THROTTLE_LIMITS,
  passwordProblem,
  type AttemptLimit,
  type ThrottleLimits,
} from './domain/account-rules';
import { insertUser } from './operations/create-account';
import { IdentityClient, type IdentityConnection } from './provider/identity-client';

/** The users subgraph's own settings. */
export interface UsersSettings {
  /** Bootstrap admin, created at start when both are set and the mobile is free. */
  adminMobile: string | undefined;
  adminPassword: string | undefined;
  throttles: ThrottleLimits;
  identity: IdentityConnection;
  /** PLATFORM_PRIVATE_KEY signs provider requests; IDENTITY_PUBLIC_KEY verifies the provider's messages. */
  platformPrivateKeyPem: string | undefined;
  identityPublicKeyPem: string | undefined;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

function readAttemptLimit(reader: EnvReader, prefix: string, defaults: AttemptLimit): AttemptLimit {
  return {
    attemptsMax: reader.int(`${prefix}_MAX`, defaults.attemptsMax, 1, 1_000_000),
    windowMs: reader.int(`${prefix}_WINDOW_MS`, defaults.windowMs, 1000, DAY_MS),
  };
}

/** The throttles' settings; unset ones take production's strict defaults (`npm start` loosens them). */
export function readThrottleLimits(reader: EnvReader): ThrottleLimits {
  const { accountLogin, addressLogin, addressRegister } = DEFAULT_THROTTLE_LIMITS;
  return {
    accountLogin: {
      failuresMax: reader.int('LOGIN_ACCOUNT_FAILURES_MAX', accountLogin.failuresMax, 1, 100),
      lockMs: reader.int('LOGIN_ACCOUNT_LOCK_MS', accountLogin.lockMs, 1000, DAY_MS),
    },
    addressLogin: readAttemptLimit(reader, 'LOGIN_ADDRESS_ATTEMPTS', addressLogin),
    addressRegister: readAttemptLimit(reader, 'REGISTER_ADDRESS_ATTEMPTS', addressRegister),
  };
}

export function readUsersSettings(reader: EnvReader, config: PlatformConfig): UsersSettings {
  const adminMobile = reader.optionalString(
    'WANXIN_ADMIN_MOBILE',
    /^1[3-9][0-9]{9}$/,
    'an 11-digit mainland mobile number',
  );
  const adminPassword = reader.optionalString('WANXIN_ADMIN_PASSWORD');
  if ((adminMobile === undefined) !== (adminPassword === undefined)) {
    reader.problem(
      'WANXIN_ADMIN_PASSWORD',
      'WANXIN_ADMIN_MOBILE and WANXIN_ADMIN_PASSWORD are set together or not at all',
    );
  }
  const problem = adminPassword === undefined ? null : passwordProblem(adminPassword);
  if (problem !== null) reader.problem('WANXIN_ADMIN_PASSWORD', problem);
  if (config.nodeEnv === 'production' && config.jwt.privateKeyPem === undefined) {
    reader.problem('JWT_PRIVATE_KEY', 'is required by the users subgraph when NODE_ENV=production');
  }
  if (config.nodeEnv === 'production' && config.internalApiSecret === undefined) {
    const why = "it trusts the gateway's client addresses only with it";
    reader.problem('INTERNAL_API_SECRET', `is required by users when NODE_ENV=production (${why})`);
  }
  const platformPrivateKeyPem = reader.optionalPem('PLATFORM_PRIVATE_KEY', 'PRIVATE KEY');
  const identityPublicKeyPem = reader.optionalPem('IDENTITY_PUBLIC_KEY', 'PUBLIC KEY');
  if (config.nodeEnv === 'production') {
    if (platformPrivateKeyPem === undefined)
      reader.problem('PLATFORM_PRIVATE_KEY', 'is required when NODE_ENV=production');
    if (identityPublicKeyPem === undefined)
      reader.problem('IDENTITY_PUBLIC_KEY', 'is required when NODE_ENV=production');
  }
  const identity: IdentityConnection = {
    providerUrl:
      urlWithoutSlash(reader.optionalUrl('IDENTITY_PROVIDER_URL', ['http:', 'https:'])) ?? 'http://localhost:4007',
    callbackUrl:
      reader.optionalUrl('IDENTITY_CALLBACK_URL', ['http:', 'https:'])?.toString() ??
      'http://127.0.0.1:4001/identity/notify',
    timeoutMs: reader.int('IDENTITY_TIMEOUT_MS', 10_000, 100, 120_000),
  };
  return {
    adminMobile,
    adminPassword,
    throttles: readThrottleLimits(reader),
    identity,
    platformPrivateKeyPem,
    identityPublicKeyPem,
  };
}

function urlWithoutSlash(url: URL | undefined): string | undefined {
  return url?.toString().replace(/\/$/, '');
}

/** What the users resolvers need beyond the request. */
export interface UsersServices {
  signingKeyPem: string;
  tokenTtlSeconds: number;
  throttles: ThrottleLimits;
  /** Passwords checked (decoys for unknown mobiles included): what the login throttles bound. */
  passwordChecks: Counter;
  identity: IdentityClient;
  orm: Database;
  logger: Logger;
}

export async function createUsersServices(runtime: SubgraphRuntime<UsersSettings>): Promise<UsersServices> {
  const { adminMobile, adminPassword } = runtime.settings;
  assert(runtime.keys.privateKeyPem !== undefined, 'the users subgraph signs tokens and needs JWT_PRIVATE_KEY');
  if (adminMobile !== undefined && adminPassword !== undefined) {
    const admin = await insertUser(forkEntityManager(runtime.orm), {
      mobile: adminMobile,
      password: adminPassword,
      role: 'ADMIN',
    });
    runtime.logger.info({ mobile: adminMobile, created: admin !== null }, 'bootstrap admin');
  }
  const { dataDir } = runtime.config;
  const { platformPrivateKeyPem, identityPublicKeyPem } = runtime.settings;
  const platformKeyPem = platformPrivateKeyPem ?? resolveKeyPair(dataDir, 'platform', {}).privateKeyPem;
  const identityKeyPem = identityPublicKeyPem ?? resolveKeyPair(dataDir, 'identity', {}).publicKeyPem;
  assert(platformKeyPem !== undefined, 'users signs identity requests and needs PLATFORM_PRIVATE_KEY');
  return {
    identity: new IdentityClient(runtime.settings.identity, platformKeyPem, identityKeyPem, runtime.logger),
    orm: runtime.orm,
    logger: runtime.logger,
    signingKeyPem: runtime.keys.privateKeyPem,
    tokenTtlSeconds: runtime.config.jwt.ttlSeconds,
    throttles: runtime.settings.throttles,
    passwordChecks: new Counter({
      name: 'wanxin_login_password_checks_total',
      help: 'Passwords checked at login (decoys included)',
      registers: [],
    }),
  };
}
