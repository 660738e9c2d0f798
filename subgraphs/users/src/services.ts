import {
  assert,
  Counter,
  forkEntityManager,
  resolveKeyPair,
  type Database,
  type EnvReader,
  type Logger,
  type PlatformConfig,
  type RetryPolicy,
  type SubgraphRuntime,
} from '@wanxin/platform';
import {
  DEFAULT_THROTTLE_LIMITS,
  passwordProblem,
  type AttemptLimit,
  type ThrottleLimits,
} from './domain/account-rules';
import { insertUser } from './operations/create-account';
import type { IdentityVerificationRequest } from '@wanxin/platform/identity-protocol';
import type { RiskAssessmentRequest } from '@wanxin/platform/risk-protocol';
import { RISK_REASK_POLICY } from './domain/credit-application';
import { IDENTITY_ENDPOINT, ProviderClient, RISK_ENDPOINT, type ProviderConnection } from './provider/provider-client';

/** The users subgraph's own settings. */
export interface UsersSettings {
  /** Bootstrap admin, created at start when both are set and the mobile is free. */
  adminMobile: string | undefined;
  adminPassword: string | undefined;
  throttles: ThrottleLimits;
  identity: ProviderConnection;
  risk: ProviderConnection;
  /** How unanswered risk requests are asked again (RISK_REASK_FIRST_DELAY_MS, RISK_REASK_DELAY_MAX_MS). */
  riskReask: RetryPolicy;
  /** How often the risk job looks for requests to send (RISK_ASK_INTERVAL_MS); a review wakes it at once. */
  riskAskIntervalMs: number;
  /** PLATFORM_PRIVATE_KEY signs provider requests; IDENTITY_/RISK_PUBLIC_KEY verify the providers' messages. */
  platformPrivateKeyPem: string | undefined;
  identityPublicKeyPem: string | undefined;
  riskPublicKeyPem: string | undefined;
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
  const riskPublicKeyPem = reader.optionalPem('RISK_PUBLIC_KEY', 'PUBLIC KEY');
  if (config.nodeEnv === 'production') {
    const keys = { PLATFORM_PRIVATE_KEY: platformPrivateKeyPem, IDENTITY_PUBLIC_KEY: identityPublicKeyPem };
    for (const [name, pem] of Object.entries({ ...keys, RISK_PUBLIC_KEY: riskPublicKeyPem })) {
      if (pem === undefined) reader.problem(name, 'is required when NODE_ENV=production');
    }
  }
  const identity = readProviderConnection(reader, 'IDENTITY', 4007, '/identity/notify');
  const risk = readProviderConnection(reader, 'RISK', 4008, '/risk/notify');
  const firstDelayMs = reader.int('RISK_REASK_FIRST_DELAY_MS', RISK_REASK_POLICY.firstDelayMs, 100, DAY_MS);
  const riskReask: RetryPolicy = {
    ...RISK_REASK_POLICY,
    firstDelayMs,
    delayMaxMs: reader.int('RISK_REASK_DELAY_MAX_MS', RISK_REASK_POLICY.delayMaxMs, firstDelayMs, DAY_MS),
  };
  return {
    adminMobile,
    adminPassword,
    throttles: readThrottleLimits(reader),
    identity,
    risk,
    riskReask,
    riskAskIntervalMs: reader.int('RISK_ASK_INTERVAL_MS', 5_000, 50, DAY_MS),
    platformPrivateKeyPem,
    identityPublicKeyPem,
    riskPublicKeyPem,
  };
}

/** `<PREFIX>_PROVIDER_URL`, `<PREFIX>_CALLBACK_URL` (this subgraph's `notifyPath`) and `<PREFIX>_TIMEOUT_MS`. */
function readProviderConnection(
  reader: EnvReader,
  prefix: 'IDENTITY' | 'RISK',
  defaultPort: number,
  notifyPath: string,
): ProviderConnection {
  const providerUrl = reader.optionalUrl(`${prefix}_PROVIDER_URL`, ['http:', 'https:']);
  return {
    providerUrl: urlWithoutSlash(providerUrl) ?? `http://localhost:${defaultPort}`,
    callbackUrl:
      reader.optionalUrl(`${prefix}_CALLBACK_URL`, ['http:', 'https:'])?.toString() ??
      `http://127.0.0.1:4001${notifyPath}`,
    timeoutMs: reader.int(`${prefix}_TIMEOUT_MS`, 10_000, 100, 120_000),
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
  identity: ProviderClient<IdentityVerificationRequest>;
  risk: ProviderClient<RiskAssessmentRequest>;
  riskReask: RetryPolicy;
  riskAskIntervalMs: number;
  /** Wakes the risk job (jobs/ask-risk.ts) after a review approved an application; set when the job starts. */
  riskAsker: { wake(): void };
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
  const { settings, logger } = runtime;
  const platformKeyPem = settings.platformPrivateKeyPem ?? resolveKeyPair(dataDir, 'platform', {}).privateKeyPem;
  const identityKeyPem = settings.identityPublicKeyPem ?? resolveKeyPair(dataDir, 'identity', {}).publicKeyPem;
  const riskKeyPem = settings.riskPublicKeyPem ?? resolveKeyPair(dataDir, 'risk', {}).publicKeyPem;
  assert(platformKeyPem !== undefined, 'users signs provider requests and needs PLATFORM_PRIVATE_KEY');
  return {
    identity: new ProviderClient(IDENTITY_ENDPOINT, settings.identity, platformKeyPem, identityKeyPem, logger),
    risk: new ProviderClient(RISK_ENDPOINT, settings.risk, platformKeyPem, riskKeyPem, logger),
    riskReask: settings.riskReask,
    riskAskIntervalMs: settings.riskAskIntervalMs,
    riskAsker: { wake: () => undefined },
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
