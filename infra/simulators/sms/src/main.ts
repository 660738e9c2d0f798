import { createLogger, exitOnStartFailure, loadConfig, stopOnSignals } from '@wanxin/platform';
import { readSmsConfig, startSmsProvider } from './index';

/** The SMS-provider simulator alone: `npm run start:sms`. */
exitOnStartFailure(async () => {
  const config = loadConfig(process.env, readSmsConfig);
  const provider = await startSmsProvider(config);
  stopOnSignals(createLogger('sms', config.platform.logLevel, config.platform.logFormat), provider.stop);
});
