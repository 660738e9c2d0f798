import {
  resolveKeyPair,
  resolveServiceSecret,
  type Database,
  type EnvReader,
  type Logger,
  type PlatformConfig,
  type SubgraphRuntime,
} from '@wanxin/platform';
import { BankClient, type BankConnection } from './agent/bank-client';
import { REFERENCE_NO_PATTERN } from '@wanxin/platform/bank-protocol';

/** How the agent reaches the custodian bank and when it settles requests the bank has not answered. */
export interface DepositorySettings extends BankConnection {
  platformPrivateKeyPem: string | undefined;
  bankPublicKeyPem: string | undefined;
  /** A request still UNSYNC after this long is settled by asking the bank (QUERY_REQUEST). */
  syncAfterMs: number;
  /** An UNSYNC request the bank has never seen after this long was abandoned by the user: FAILED. */
  abandonAfterMs: number;
  /** How often UNSYNC requests are checked and recorded business days reconciled. */
  syncIntervalMs: number;
}

export function readDepositorySettings(reader: EnvReader, config: PlatformConfig): DepositorySettings {
  const bankUrl =
    reader.optionalUrl('BANK_URL', ['http:', 'https:'])?.toString().replace(/\/$/, '') ?? 'http://localhost:4006';
  const settings: DepositorySettings = {
    bankUrl,
    bankPublicUrl: reader.optionalUrl('BANK_PUBLIC_URL', ['http:', 'https:'])?.toString().replace(/\/$/, '') ?? bankUrl,
    platformNo: reader.string('BANK_PLATFORM_NO', 'WANXIN', REFERENCE_NO_PATTERN, 'letters, digits, _ and -'),
    platformPrivateKeyPem: reader.optionalPem('PLATFORM_PRIVATE_KEY', 'PRIVATE KEY'),
    bankPublicKeyPem: reader.optionalPem('BANK_PUBLIC_KEY', 'PUBLIC KEY'),
    syncAfterMs: reader.int('DEPOSITORY_SYNC_AFTER_MS', 60_000, 100, 86_400_000),
    abandonAfterMs: reader.int('DEPOSITORY_ABANDON_AFTER_MS', 30 * 60_000, 1000, 7 * 86_400_000),
    bankTimeoutMs: reader.int('BANK_TIMEOUT_MS', 10_000, 100, 120_000),
    syncIntervalMs: reader.int('DEPOSITORY_SYNC_INTERVAL_MS', 30_000, 50, 3_600_000),
  };
  if (config.nodeEnv === 'production') {
    if (settings.platformPrivateKeyPem === undefined)
      reader.problem('PLATFORM_PRIVATE_KEY', 'is required when NODE_ENV=production');
    if (settings.bankPublicKeyPem === undefined)
      reader.problem('BANK_PUBLIC_KEY', 'is required when NODE_ENV=production');
    if (config.internalApiSecret === undefined)
      reader.problem('INTERNAL_API_SECRET', 'is required when NODE_ENV=production (the internal bank API)');
  }
  return settings;
}

/** What the depository resolvers, notification endpoint and jobs share. */
export interface DepositoryServices {
  bank: BankClient;
  settings: DepositorySettings;
  /** Verifies notifications and answers. */
  bankPublicKeyPem: string;
  /** Authenticates loans, bids and repayments on the internal bank API. */
  serviceSecret: string;
  orm: Database;
  logger: Logger;
}

export async function createDepositoryServices(
  runtime: SubgraphRuntime<DepositorySettings>,
): Promise<DepositoryServices> {
  const { settings, config } = runtime;
  // Development: the pairs the bank simulator also uses (it registers the platform's public key).
  const platformPrivateKeyPem =
    settings.platformPrivateKeyPem ?? resolveKeyPair(config.dataDir, 'platform', {}).privateKeyPem;
  const bankPublicKeyPem = settings.bankPublicKeyPem ?? resolveKeyPair(config.dataDir, 'bank', {}).publicKeyPem;
  if (platformPrivateKeyPem === undefined)
    throw new Error('the depository agent signs bank requests and needs PLATFORM_PRIVATE_KEY');
  return {
    settings,
    bank: new BankClient(settings, platformPrivateKeyPem, bankPublicKeyPem, runtime.logger),
    bankPublicKeyPem,
    serviceSecret: resolveServiceSecret(config.dataDir, config.internalApiSecret),
    orm: runtime.orm,
    logger: runtime.logger,
  };
}
