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
  utcDateOf,
} from '@wanxin/platform';
import { recordFirstBusinessDay } from './events/statistics.subscription';
import {
  DEFAULT_THROTTLE_LIMITS,
  passwordProblem,
  type AttemptLimit,
  type ThrottleLimits,
} from './domain/account-rules';
import { insertUser } from './operations/create-account';
import type { IdentityVerificationRequest } from '@wanxin/platform/identity-protocol';
import type { RiskAssessmentRequest } from '@wanxin/platform/risk-protocol';
import type { SmsSendRequest } from '@wanxin/platform/sms-protocol';
import { RISK_REASK_POLICY } from './domain/credit-application';
import { SMS_SEND_RETRY } from './domain/sms';
import {
  IDENTITY_ENDPOINT,
  ProviderClient,
  RISK_ENDPOINT,
  SMS_ENDPOINT,
  type ProviderConnection,
} from './provider/provider-client';
import { HttpSmsProvider, type SmsProvider } from './provider/sms-provider';

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
  sms: ProviderConnection;
  /** How a text the provider could not take is tried again (SMS_RETRY_FIRST_DELAY_MS, SMS_RETRY_DELAY_MAX_MS). */
  smsRetry: RetryPolicy;
  /** How often the SMS job looks for texts to send (SMS_SEND_INTERVAL_MS); a queued text wakes it at once. */
  smsSendIntervalMs: number;
  /** SMS_CODE_REQUIRED=1: register takes the code sent by requestSmsCode (default: on in production). */
  smsCodeRequired: boolean;
  /** PLATFORM_PRIVATE_KEY signs provider requests; IDENTITY_/RISK_/SMS_PUBLIC_KEY verify the providers' messages. */
  platformPrivateKeyPem: string | undefined;
  identityPublicKeyPem: string | undefined;
  riskPublicKeyPem: string | undefined;
  smsPublicKeyPem: string | undefined;
  /**
   * BUSINESS_DATE_START, as repayments reads it: the business date before any day is announced (default the
   * UTC date at users' first start, as repayments' clock starts), which registrations are stamped with.
   */
  businessDateStart: string | undefined;
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
  const smsPublicKeyPem = reader.optionalPem('SMS_PUBLIC_KEY', 'PUBLIC KEY');
  if (config.nodeEnv === 'production') {
    const keys = { PLATFORM_PRIVATE_KEY: platformPrivateKeyPem, IDENTITY_PUBLIC_KEY: identityPublicKeyPem };
    const providerKeys = { RISK_PUBLIC_KEY: riskPublicKeyPem, SMS_PUBLIC_KEY: smsPublicKeyPem };
    for (const [name, pem] of Object.entries({ ...keys, ...providerKeys })) {
      if (pem === undefined) reader.problem(name, 'is required when NODE_ENV=production');
    }
  }
  const identity = readProviderConnection(reader, 'IDENTITY', 4007, '/identity/notify');
  const risk = readProviderConnection(reader, 'RISK', 4008, '/risk/notify');
  const sms = readProviderConnection(reader, 'SMS', 4009, null);
  const smsFirstDelayMs = reader.int('SMS_RETRY_FIRST_DELAY_MS', SMS_SEND_RETRY.firstDelayMs, 10, DAY_MS);
  const smsRetry: RetryPolicy = {
    ...SMS_SEND_RETRY,
    firstDelayMs: smsFirstDelayMs,
    delayMaxMs: reader.int('SMS_RETRY_DELAY_MAX_MS', SMS_SEND_RETRY.delayMaxMs, smsFirstDelayMs, DAY_MS),
  };
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
    sms,
    smsRetry,
    smsSendIntervalMs: reader.int('SMS_SEND_INTERVAL_MS', 5_000, 50, DAY_MS),
    smsCodeRequired: reader.int('SMS_CODE_REQUIRED', config.nodeEnv === 'production' ? 1 : 0, 0, 1) === 1,
    platformPrivateKeyPem,
    identityPublicKeyPem,
    riskPublicKeyPem,
    smsPublicKeyPem,
    businessDateStart: reader.optionalString('BUSINESS_DATE_START', /^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
  };
}

/**
 * `<PREFIX>_PROVIDER_URL`, `<PREFIX>_TIMEOUT_MS` and, for a provider that calls back (`notifyPath`, this
 * subgraph's route), `<PREFIX>_CALLBACK_URL`.
 */
function readProviderConnection(
  reader: EnvReader,
  prefix: 'IDENTITY' | 'RISK' | 'SMS',
  defaultPort: number,
  notifyPath: string | null,
): ProviderConnection {
  const providerUrl = reader.optionalUrl(`${prefix}_PROVIDER_URL`, ['http:', 'https:']);
  return {
    providerUrl: urlWithoutSlash(providerUrl) ?? `http://localhost:${defaultPort}`,
    callbackUrl:
      notifyPath === null
        ? undefined
        : (reader.optionalUrl(`${prefix}_CALLBACK_URL`, ['http:', 'https:'])?.toString() ??
          `http://127.0.0.1:4001${notifyPath}`),
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
  sms: SmsProvider;
  smsRetry: RetryPolicy;
  smsSendIntervalMs: number;
  /** How long a claimed text waits before another pass may send it again: longer than one send can take. */
  smsSendLeaseMs: number;
  smsCodeRequired: boolean;
  /** Wakes the SMS job (jobs/send-sms.ts) after a commit that queued a text; set when the job starts. */
  smsSender: { wake(): void };
  orm: Database;
  logger: Logger;
}

export async function createUsersServices(runtime: SubgraphRuntime<UsersSettings>): Promise<UsersServices> {
  const { adminMobile, adminPassword } = runtime.settings;
  assert(runtime.keys.privateKeyPem !== undefined, 'the users subgraph signs tokens and needs JWT_PRIVATE_KEY');
  // Before the bootstrap admin registers: the business date repayments' clock starts at, until one is announced.
  await recordFirstBusinessDay(
    forkEntityManager(runtime.orm),
    runtime.settings.businessDateStart ?? utcDateOf(new Date()),
  );
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
  const smsKeyPem = settings.smsPublicKeyPem ?? resolveKeyPair(dataDir, 'sms', {}).publicKeyPem;
  assert(platformKeyPem !== undefined, 'users signs provider requests and needs PLATFORM_PRIVATE_KEY');
  return {
    identity: new ProviderClient(IDENTITY_ENDPOINT, settings.identity, platformKeyPem, identityKeyPem, logger),
    risk: new ProviderClient(RISK_ENDPOINT, settings.risk, platformKeyPem, riskKeyPem, logger),
    riskReask: settings.riskReask,
    riskAskIntervalMs: settings.riskAskIntervalMs,
    riskAsker: { wake: () => undefined },
    sms: new HttpSmsProvider(
      new ProviderClient<SmsSendRequest>(SMS_ENDPOINT, settings.sms, platformKeyPem, smsKeyPem, logger),
    ),
    smsRetry: settings.smsRetry,
    smsSendIntervalMs: settings.smsSendIntervalMs,
    smsSendLeaseMs: 2 * settings.sms.timeoutMs,
    smsCodeRequired: settings.smsCodeRequired,
    smsSender: { wake: () => undefined },
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
