import { createLogger, exitOnStartFailure, loadConfig, stopOnSignals } from '@wanxin/platform';
import { readBankConfig, startBank } from './index';

/** The custodian-bank simulator alone: `npm run start:bank` (`node infra/simulators/bank/dist/src/main.js`). */
exitOnStartFailure(async () => {
  const config = loadConfig(process.env, readBankConfig);
  const bank = await startBank(config);
  stopOnSignals(createLogger('bank', config.platform.logLevel, config.platform.logFormat), bank.stop);
});
