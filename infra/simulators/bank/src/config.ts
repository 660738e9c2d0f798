import { readPlatformConfig, resolveKeyPair, assert, type EnvReader, type PlatformConfig } from '@wanxin/platform';
import { NOTIFICATION_SCHEDULE_SCALE_MAX } from './domain/notification-schedule';

/** What the bank reads from its environment (besides the platform's DATABASE_URL, DATA_DIR, ...). */
export interface BankSettings {
  /** The platform registered at this bank: the only `platformNo` it serves. */
  platformNo: string;
  /** What every simulated bank card holds when its account is opened. */
  simCardBalanceFen: bigint;
  /** The agent's notification endpoint. */
  notifyUrl: string;
  /** Multiplies the notification retry schedule; 1 in production, e.g. 0.0005 in tests. */
  notifyScheduleScale: number;
  /** Keys given in the environment (required in production); development pairs otherwise. */
  bankPrivateKeyPem: string | undefined;
  bankPublicKeyPem: string | undefined;
  platformPublicKeyPem: string | undefined;
}

export interface BankConfig {
  platform: PlatformConfig;
  port: number;
  settings: BankSettings;
}

export const BANK_DEFAULT_PORT = 4006;
const DEFAULT_NOTIFY_URL = 'http://localhost:4005/bank/notify';
const DEFAULT_SIM_CARD_BALANCE = '1000000.00';
const SCALE_PATTERN = /^(0|[1-9][0-9]{0,3})(\.[0-9]{1,12})?$/;

function readScheduleScale(reader: EnvReader): number {
  const text = reader.string('BANK_NOTIFY_SCHEDULE_SCALE', '1');
  const scale = SCALE_PATTERN.test(text) ? Number(text) : Number.NaN;
  if (!(scale > 0 && scale <= NOTIFICATION_SCHEDULE_SCALE_MAX)) {
    reader.problem(
      'BANK_NOTIFY_SCHEDULE_SCALE',
      `"${text}" must be a decimal above 0 and at most ${NOTIFICATION_SCHEDULE_SCALE_MAX}`,
    );
    return 1;
  }
  return scale;
}

export function readBankSettings(reader: EnvReader, platform: PlatformConfig): BankSettings {
  const settings: BankSettings = {
    platformNo: reader.string('BANK_PLATFORM_NO', 'WANXIN', /^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ and -'),
    simCardBalanceFen: reader.money('BANK_SIM_CARD_BALANCE', DEFAULT_SIM_CARD_BALANCE),
    notifyUrl: (reader.optionalUrl('BANK_NOTIFY_URL', ['http:', 'https:']) ?? new URL(DEFAULT_NOTIFY_URL)).toString(),
    notifyScheduleScale: readScheduleScale(reader),
    bankPrivateKeyPem: reader.optionalPem('BANK_PRIVATE_KEY', 'PRIVATE KEY'),
    bankPublicKeyPem: reader.optionalPem('BANK_PUBLIC_KEY', 'PUBLIC KEY'),
    platformPublicKeyPem: reader.optionalPem('PLATFORM_PUBLIC_KEY', 'PUBLIC KEY'),
  };
  if (platform.nodeEnv === 'production') {
    // Development key pairs are never used in production: every key must be given.
    if (settings.bankPrivateKeyPem === undefined)
      reader.problem('BANK_PRIVATE_KEY', 'is required when NODE_ENV=production');
    if (settings.bankPublicKeyPem === undefined)
      reader.problem('BANK_PUBLIC_KEY', 'is required when NODE_ENV=production');
    if (settings.platformPublicKeyPem === undefined)
      reader.problem('PLATFORM_PUBLIC_KEY', 'is required when NODE_ENV=production');
  }
  return settings;
}

/** PORT (default 4006), the platform's settings and the bank's own. */
export function readBankConfig(reader: EnvReader): BankConfig {
  const platform = readPlatformConfig(reader, { verifiesTokens: false });
  return {
    platform,
    port: reader.int('PORT', BANK_DEFAULT_PORT, 0, 65535),
    settings: readBankSettings(reader, platform),
  };
}

export interface BankKeys {
  bankPrivateKeyPem: string;
  bankPublicKeyPem: string;
  /** Verifies the registered platform's requests. */
  platformPublicKeyPem: string;
}

/**
 * The bank's own pair and the platform's public key: from the environment when given, else the shared
 * development pairs `bank` and `platform` under `<DATA_DIR>/keys` (the agent signs with the latter).
 */
export function resolveBankKeys(config: BankConfig): BankKeys {
  const { settings, platform } = config;
  const bank = resolveKeyPair(platform.dataDir, 'bank', {
    privateKeyPem: settings.bankPrivateKeyPem,
    publicKeyPem: settings.bankPublicKeyPem,
  });
  const platformPair = resolveKeyPair(platform.dataDir, 'platform', { publicKeyPem: settings.platformPublicKeyPem });
  assert(bank.privateKeyPem !== undefined, 'the bank needs its private key (BANK_PRIVATE_KEY) to sign');
  return {
    bankPrivateKeyPem: bank.privateKeyPem,
    bankPublicKeyPem: bank.publicKeyPem,
    platformPublicKeyPem: platformPair.publicKeyPem,
  };
}
