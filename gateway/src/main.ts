import { createLogger, exitOnStartFailure, stopOnSignals } from '@wanxin/platform';
import { readGatewayConfig } from './config';
import { startGateway } from './gateway';

exitOnStartFailure(async () => {
  const config = readGatewayConfig(process.env);
  const gateway = await startGateway(config);
  stopOnSignals(createLogger('gateway', config.platform.logLevel, config.platform.logFormat), gateway.stop);
});
