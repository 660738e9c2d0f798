import type { EnvReader } from '@wanxin/platform';
import {
  readSwitchableProviderConfig,
  type ProviderIdentity,
  type SwitchableProviderConfig,
} from '@wanxin/simulator-kit';

export const SMS_DEFAULT_PORT = 4009;
export const SMS: ProviderIdentity = { name: 'sms', envPrefix: 'SMS', defaultPort: SMS_DEFAULT_PORT };

/** PORT (default 4009), DATABASE_URL/DATA_DIR, SMS_* with SMS_DOWN_FOR_MS (README, configuration). */
export function readSmsConfig(reader: EnvReader): SwitchableProviderConfig {
  return readSwitchableProviderConfig(reader, SMS);
}
