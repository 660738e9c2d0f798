import { assert, readPlatformConfig, resolveKeyPair, type EnvReader, type PlatformConfig } from '@wanxin/platform';
import {
  CALLBACK_RETRY_BASE_MS_DEFAULT,
  CALLBACK_RETRY_BASE_MS_MAX,
  CALLBACK_RETRY_BASE_MS_MIN,
} from './domain/callback-schedule';

/** How long a simulated decision takes by default before its first callback attempt. */
export const DECISION_DELAY_MS_DEFAULT = 1000;
const DECISION_DELAY_MS_MAX = 3_600_000;

/** What each provider simulator reads, under its own prefix (IDENTITY_…, RISK_…). */
export interface ProviderSettings {
  /** <P>_CALLBACK_RETRY_BASE_MS: the first retry's delay; it doubles after each failure. */
  callbackRetryBaseMs: number;
  /** <P>_DECISION_DELAY_MS: from acceptance to the first callback attempt. */
  decisionDelayMs: number;
  /** <P>_PRIVATE_KEY / <P>_PUBLIC_KEY / PLATFORM_PUBLIC_KEY; development pairs when not given. */
  privateKeyPem: string | undefined;
  publicKeyPem: string | undefined;
  platformPublicKeyPem: string | undefined;
}

export interface ProviderConfig {
  platform: PlatformConfig;
  port: number;
  settings: ProviderSettings;
}

export interface ProviderIdentity {
  /** Names the database (`<prefix>_<name>`), the logger and the development key pair. */
  name: string;
  envPrefix: string;
  defaultPort: number;
}

/** PORT, the platform's settings (DATABASE_URL, DATA_DIR, …) and the provider's own. */
export function readProviderConfig(reader: EnvReader, provider: ProviderIdentity): ProviderConfig {
  const platform = readPlatformConfig(reader, { verifiesTokens: false });
  const prefix = provider.envPrefix;
  const settings: ProviderSettings = {
    callbackRetryBaseMs: reader.int(
      `${prefix}_CALLBACK_RETRY_BASE_MS`,
      CALLBACK_RETRY_BASE_MS_DEFAULT,
      CALLBACK_RETRY_BASE_MS_MIN,
      CALLBACK_RETRY_BASE_MS_MAX,
    ),
    decisionDelayMs: reader.int(`${prefix}_DECISION_DELAY_MS`, DECISION_DELAY_MS_DEFAULT, 0, DECISION_DELAY_MS_MAX),
    privateKeyPem: reader.optionalPem(`${prefix}_PRIVATE_KEY`, 'PRIVATE KEY'),
    publicKeyPem: reader.optionalPem(`${prefix}_PUBLIC_KEY`, 'PUBLIC KEY'),
    platformPublicKeyPem: reader.optionalPem('PLATFORM_PUBLIC_KEY', 'PUBLIC KEY'),
  };
  if (platform.nodeEnv === 'production') {
    // Development key pairs are never used in production: every key must be given.
    for (const [name, value] of [
      [`${prefix}_PRIVATE_KEY`, settings.privateKeyPem],
      [`${prefix}_PUBLIC_KEY`, settings.publicKeyPem],
      ['PLATFORM_PUBLIC_KEY', settings.platformPublicKeyPem],
    ] as const) {
      if (value === undefined) reader.problem(name, 'is required when NODE_ENV=production');
    }
  }
  return { platform, port: reader.int('PORT', provider.defaultPort, 0, 65535), settings };
}

export interface ProviderKeys {
  privateKeyPem: string;
  publicKeyPem: string;
  /** Verifies the platform's requests. */
  platformPublicKeyPem: string;
}

/**
 * The provider's own pair and the platform's public key: from the environment when given, else the
 * development pairs `<name>` and `platform` under `<DATA_DIR>/keys` (the platform signs with the latter).
 */
export function resolveProviderKeys(config: ProviderConfig, name: string): ProviderKeys {
  const { settings, platform } = config;
  const own = resolveKeyPair(platform.dataDir, name, {
    privateKeyPem: settings.privateKeyPem,
    publicKeyPem: settings.publicKeyPem,
  });
  const platformPair = resolveKeyPair(platform.dataDir, 'platform', { publicKeyPem: settings.platformPublicKeyPem });
  assert(own.privateKeyPem !== undefined, `the ${name} provider needs its private key to sign`);
  return {
    privateKeyPem: own.privateKeyPem,
    publicKeyPem: own.publicKeyPem,
    platformPublicKeyPem: platformPair.publicKeyPem,
  };
}
