import {
  ConfigError,
  createLogger,
  exitOnStartFailure,
  loadConfig,
  readSubgraphConfig,
  startSubgraph,
  stopOnSignals,
} from '@wanxin/platform';
import { readBankConfig, startBank } from '@wanxin/bank-simulator';
import { readIdentityConfig, startIdentityProvider } from '@wanxin/identity-simulator';
import { readRiskConfig, startRiskProvider } from '@wanxin/risk-simulator';
import { readSmsConfig, startSmsProvider } from '@wanxin/sms-simulator';
import { readGatewayConfig, startGateway } from '@wanxin/gateway';
import { allSubgraphs } from './subgraphs';

/** Development values printed at start; production sets its own through the environment. */
const DEVELOPMENT_ADMIN = { mobile: '13900000000', password: 'wanxin-admin-1' };
/**
 * Throttles loose enough for scripted demos and acceptance suites from one address (production's defaults
 * allow 10 registrations an hour and 20 login attempts per 15 minutes per address).
 */
const DEVELOPMENT_THROTTLES = { LOGIN_ADDRESS_ATTEMPTS_MAX: '1000', REGISTER_ADDRESS_ATTEMPTS_MAX: '10000' };

interface RunningPart {
  name: string;
  url: string;
  stop(): Promise<void>;
}

/**
 * `npm start`: the whole platform in one process. Every subgraph runs its own HTTP server on
 * PORT+1…PORT+5, the bank simulator on PORT+6 and the identity, risk and SMS providers' simulators on
 * PORT+7, PORT+8 and PORT+9, exactly as they would alone (each on its own database and keys; users finds
 * their public keys under the shared DATA_DIR), and the gateway on PORT calls them over HTTP: the
 * production code path, with embedded SQLite under DATA_DIR instead of MySQL and the in-process event
 * transport instead of RabbitMQ.
 */
exitOnStartFailure(async () => {
  const production = process.env.NODE_ENV === 'production';
  if (
    production &&
    (process.env.WANXIN_ADMIN_MOBILE === undefined || process.env.WANXIN_ADMIN_PASSWORD === undefined)
  ) {
    // The development admin's password is printed and published: never an admin of a production platform.
    throw new ConfigError([
      'WANXIN_ADMIN_MOBILE and WANXIN_ADMIN_PASSWORD must be set explicitly when NODE_ENV=production',
    ]);
  }
  const env: Record<string, string | undefined> = {
    HOST: '127.0.0.1',
    WANXIN_ADMIN_MOBILE: DEVELOPMENT_ADMIN.mobile,
    WANXIN_ADMIN_PASSWORD: DEVELOPMENT_ADMIN.password,
    ...(production ? {} : DEVELOPMENT_THROTTLES),
    ...process.env,
  };
  const gatewayConfig = readGatewayConfig(env);
  const definitions = allSubgraphs();
  const portOf = (index: number) => gatewayConfig.port + 1 + index;
  const depositoryPort = portOf(definitions.findIndex((definition) => definition.name === 'depository'));
  const usersPort = portOf(definitions.findIndex((definition) => definition.name === 'users'));
  const bankPort = portOf(definitions.length);
  const identityPort = bankPort + 1;
  const riskPort = bankPort + 2;
  const smsPort = bankPort + 3;
  const running: RunningPart[] = [];
  stopOnSignals(createLogger('wanxin', gatewayConfig.platform.logLevel, gatewayConfig.platform.logFormat), async () => {
    for (const part of [...running].reverse()) await part.stop();
  });

  const bankConfig = loadConfig(
    { BANK_NOTIFY_URL: `http://127.0.0.1:${depositoryPort}/bank/notify`, ...env, PORT: String(bankPort) },
    readBankConfig,
  );
  const bank = await startBank(bankConfig);
  running.push({ name: 'bank simulator', url: bank.url, stop: bank.stop });
  const identity = await startIdentityProvider(loadConfig({ ...env, PORT: String(identityPort) }, readIdentityConfig));
  running.push({ name: 'identity provider (sim)', url: identity.url, stop: identity.stop });
  const risk = await startRiskProvider(loadConfig({ ...env, PORT: String(riskPort) }, readRiskConfig));
  running.push({ name: 'risk provider (sim)', url: risk.url, stop: risk.stop });
  const sms = await startSmsProvider(loadConfig({ ...env, PORT: String(smsPort) }, readSmsConfig));
  running.push({ name: 'SMS provider (sim)', url: sms.url, stop: sms.stop });
  for (const [index, definition] of definitions.entries()) {
    const subgraphEnv = {
      BANK_URL: bank.url.replace('localhost', '127.0.0.1'),
      IDENTITY_PROVIDER_URL: identity.url.replace('localhost', '127.0.0.1'),
      IDENTITY_CALLBACK_URL: `http://127.0.0.1:${usersPort}/identity/notify`,
      RISK_PROVIDER_URL: risk.url.replace('localhost', '127.0.0.1'),
      RISK_CALLBACK_URL: `http://127.0.0.1:${usersPort}/risk/notify`,
      SMS_PROVIDER_URL: sms.url.replace('localhost', '127.0.0.1'),
      DEPOSITORY_INTERNAL_URL: `http://127.0.0.1:${depositoryPort}`,
      ...env,
      PORT: String(portOf(index)),
    };
    const service = await startSubgraph(definition, readSubgraphConfig(definition, subgraphEnv));
    running.push({ name: `subgraph ${definition.name}`, url: service.url, stop: service.stop });
    gatewayConfig.subgraphUrls[definition.name] = service.url.replace('localhost', '127.0.0.1');
  }
  const gateway = await startGateway(gatewayConfig);
  running.push({ name: 'gateway + Apollo Sandbox', url: gateway.url, stop: gateway.stop });

  console.log(
    [
      '',
      `Wanxin is running (embedded: SQLite under ${gatewayConfig.platform.dataDir}, in-process events).`,
      ...[...running].reverse().map((part) => `  ${part.name.padEnd(26)}${part.url}`),
      `  ${'subscriptions (WebSocket)'.padEnd(26)}${gateway.url.replace(/^http/, 'ws')}`,
      `  ${'admin dashboard'.padEnd(26)}${gateway.url.replace(/\/graphql$/, '/dashboard')}`,
      `  ${'admin login'.padEnd(26)}mobile ${env.WANXIN_ADMIN_MOBILE}  password ${env.WANXIN_ADMIN_PASSWORD}`,
      '',
    ].join('\n'),
  );
});
