import { createLogger, exitOnStartFailure, loadConfig, stopOnSignals } from '@wanxin/platform';
import { readRiskConfig, startRiskProvider } from './index';

/** The risk-provider simulator alone: `npm run start:risk`. */
exitOnStartFailure(async () => {
  const config = loadConfig(process.env, readRiskConfig);
  const provider = await startRiskProvider(config);
  stopOnSignals(createLogger('risk', config.platform.logLevel, config.platform.logFormat), provider.stop);
});
