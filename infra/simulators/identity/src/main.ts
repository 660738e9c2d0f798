import { createLogger, exitOnStartFailure, loadConfig, stopOnSignals } from '@wanxin/platform';
import { readIdentityConfig, startIdentityProvider } from './index';

/** The identity-provider simulator alone: `npm run start:identity`. */
exitOnStartFailure(async () => {
  const config = loadConfig(process.env, readIdentityConfig);
  const provider = await startIdentityProvider(config);
  stopOnSignals(createLogger('identity', config.platform.logLevel, config.platform.logFormat), provider.stop);
});
