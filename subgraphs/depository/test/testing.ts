import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  bankUserNoFor,
  assert,
  idNumberCheckCharacter,
  initDatabase,
  InternalBankClient,
  loadConfig,
  readSubgraphConfig,
  resolveJwtKeys,
  resolveKeyPair,
  resolveServiceSecret,
  type Database,
  type DatabaseKind,
  type HttpService,
  type Logger,
  type SubgraphDefinition,
} from '@wanxin/platform';
import { createTestEnvironment, startSubgraphOnFreePort, type TestEnvironment } from '@wanxin/platform/testing';
import { readBankConfig, startBank, type BankService } from '@wanxin/bank-simulator';
import {
  dated,
  idNumberFor as bankIdNumberFor,
  startBankHarness,
  type BankHarness,
  type PageAnswer,
} from '@wanxin/bank-simulator/testing';
import { createSubgraph as createDepository } from '../src/index';
import { createDepositoryServices, type DepositoryServices } from '../src/services';
import {
  BANK_CODES,
  BANK_PATHS,
  decodeData,
  newBankRequestNo,
  openSignedResult,
  signRequest,
  type BankServiceName,
} from '@wanxin/platform/bank-protocol';

export { BUSINESS_DATE_ADVANCED, dateAfter, deliverBusinessDate, deliverBusinessDateAgain } from './business-date';

/** For other subgraphs' integration tests: the real bank simulator and the real depository agent, in-process. */
export interface BankAndAgent {
  bank: BankService;
  agent: HttpService;
  /** The agent's base URL: `DEPOSITORY_INTERNAL_URL` for the subgraph under test. */
  agentBaseUrl: string;
  /** A signed direct service call; the bank's verified answer. */
  service(serviceName: BankServiceName, reqData: Record<string, unknown>): Promise<Record<string, string>>;
  /** A page service completed with the trade password, as the user's browser would; fails unless 00000. */
  page(serviceName: BankServiceName, reqData: Record<string, unknown>): Promise<void>;
  /** Opens the user's account at the bank (their userNo is derived from the user id). */
  register(userId: string): Promise<void>;
  recharge(userId: string, amountFen: bigint): Promise<void>;
  balance(userId: string): Promise<{ availableFen: bigint; frozenFen: bigint }>;
  stop(): Promise<void>;
}

const PLATFORM_NO = 'WANXIN';
const TRADE_PASSWORD = 'trade-pass-1';

/** A unique requestNo for tests: the platform's format with the test's own prefix. */
export function testRequestNo(prefix: string): string {
  return newBankRequestNo(prefix);
}

/** A valid GB 11643 ID number for each seed. */
function idNumberFor(seed: number): string {
  const first17 = `11010519900101${String(seed % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** Answers the bank's notifications "OK": tests that post the bank's pages themselves do not involve the agent. */
async function startNotificationSink(): Promise<{ url: string; stop(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end('OK'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/bank/notify`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The depository agent on the test environment `env` (its database, keys and service secret), talking to
 * the bank at `bankUrl`; `settings` are more of its environment variables. The agent and its definition.
 */
export async function startAgent(
  env: Readonly<Record<string, string | undefined>>,
  bankUrl: string,
  settings: Record<string, string> = {},
): Promise<{ agent: HttpService; definition: ReturnType<typeof createDepository> }> {
  const definition = createDepository();
  const bankEnv = { BANK_URL: bankUrl.replace('localhost', '127.0.0.1'), ...settings };
  return { agent: await startSubgraphOnFreePort(definition, env, bankEnv), definition };
}

/** Starts the bank and the agent in the test's environment (same keys, same service secret). */
export async function startBankAndAgent(environment: TestEnvironment): Promise<BankAndAgent> {
  const sink = await startNotificationSink();
  const bank = await startBank(
    loadConfig(
      { ...environment.env, PORT: '0', BANK_PLATFORM_NO: PLATFORM_NO, BANK_NOTIFY_URL: sink.url },
      readBankConfig,
    ),
  );
  const { agent } = await startAgent(environment.env, bank.url);
  const platformPrivateKeyPem = resolveKeyPair(environment.config.dataDir, 'platform', {}).privateKeyPem!;
  let seed = 0;
  const harness: BankAndAgent = {
    bank,
    agent,
    agentBaseUrl: agent.url.replace('/graphql', ''),
    async service(serviceName, reqData) {
      const envelope = signRequest(
        serviceName,
        PLATFORM_NO,
        dated(serviceName, reqData as never),
        platformPrivateKeyPem,
      );
      const response = await fetch(`${bank.url}${BANK_PATHS.service}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(envelope),
      });
      const expected = { messageType: 'RESPONSE', platformNo: PLATFORM_NO, serviceName } as const;
      return openSignedResult((await response.json()) as never, bank.publicKeyPem, expected) as unknown as Record<
        string,
        string
      >;
    },
    async page(serviceName, reqData) {
      const fields = {
        ...signRequest(serviceName, PLATFORM_NO, dated(serviceName, reqData as never), platformPrivateKeyPem),
        password: TRADE_PASSWORD,
      } as Record<string, string>;
      const response = await fetch(`${bank.url}${BANK_PATHS.gateway}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
      const html = await response.text();
      assert(/data-code="([0-9]+)"/.exec(html)?.[1] === BANK_CODES.SUCCESS, `${serviceName} refused: ${html}`);
    },
    async register(userId) {
      seed += 1;
      await harness.page('PERSONAL_REGISTER', {
        requestNo: testRequestNo('REG'),
        userNo: bankUserNoFor(userId),
        realName: '王小明',
        idNumber: idNumberFor(seed),
        bankCode: 'ICBC',
        cardNumber: `62220200000012${String(seed).padStart(5, '0')}`,
        cardMobile: '13800000000',
      });
    },
    async recharge(userId, amountFen) {
      await harness.page('RECHARGE', {
        requestNo: testRequestNo('RCH'),
        userNo: bankUserNoFor(userId),
        amountFen: amountFen.toString(),
      });
    },
    async balance(userId) {
      const result = await harness.service('QUERY_BALANCE', {
        requestNo: testRequestNo('QB'),
        userNo: bankUserNoFor(userId),
      });
      assert(result.code === BANK_CODES.SUCCESS, `balance of ${userId}: ${result.message}`);
      return { availableFen: BigInt(result.availableFen), frozenFen: BigInt(result.frozenFen) };
    },
    async stop() {
      await agent.stop();
      await bank.stop();
      await sink.stop();
    },
  };
  return harness;
}

/**
 * A suite that drives the agent's jobs and operations itself: the bank and the agent on a fresh environment
 * whose background sync waits an hour, and the agent's services on the same database.
 */
export interface AgentSuite {
  environment: TestEnvironment;
  bank: BankAndAgent;
  orm: Database;
  services: DepositoryServices;
  /** How loans, bids and repayments send instructions: the agent's internal API, with the service secret. */
  agentClient: InternalBankClient;
  /** The key the platform's tokens are signed with, to issue one for any user. */
  signingKeyPem: string;
  stop(): Promise<void>;
}

/** Starts an AgentSuite on `kind`; the services log through `logger`. */
export async function startAgentSuite(kind: DatabaseKind, logger: Logger): Promise<AgentSuite> {
  const environment = createTestEnvironment(kind, { DEPOSITORY_SYNC_INTERVAL_MS: '3600000' });
  const bank = await startBankAndAgent(environment);
  const definition = createDepository();
  const config = readSubgraphConfig(definition, {
    ...environment.env,
    PORT: '0',
    BANK_URL: bank.bank.url.replace('localhost', '127.0.0.1'),
  });
  const orm = await initDatabase(environment.config, definition.database);
  const keys = resolveJwtKeys(config.platform);
  const services = await createDepositoryServices({
    config: config.platform,
    settings: config.settings,
    orm,
    keys,
    logger,
  });
  const secret = resolveServiceSecret(environment.config.dataDir, undefined);
  return {
    environment,
    bank,
    orm,
    services,
    agentClient: new InternalBankClient(bank.agentBaseUrl, secret, 10_000),
    signingKeyPem: resolveJwtKeys(environment.config).privateKeyPem!,
    async stop() {
      await orm.close(true);
      await bank.stop();
      await environment.cleanup();
    },
  };
}

/** Another subgraph under test beside the real bank and agent, with the test's ORM on its database. */
export interface SubgraphWithBank {
  environment: TestEnvironment;
  bank: BankAndAgent;
  subgraph: HttpService;
  orm: Database;
  /** The agent's internal bank API, as the subgraphs call it: for instructions the test sends itself. */
  bankClient: InternalBankClient;
  /** Signs the test's tokens. */
  signingKeyPem: string;
}

/** The bank, its agent and `definition`'s subgraph (settings from `env` over the environment's), in a new environment. */
export async function startSubgraphWithBank<TSettings, TServices>(
  kind: DatabaseKind,
  definition: SubgraphDefinition<TSettings, TServices>,
  env: Record<string, string> = {},
): Promise<SubgraphWithBank> {
  const environment = createTestEnvironment(kind);
  const bank = await startBankAndAgent(environment);
  const subgraph = await startSubgraphOnFreePort(definition, environment.env, {
    DEPOSITORY_INTERNAL_URL: bank.agentBaseUrl,
    ...env,
  });
  const orm = await initDatabase(environment.config, definition.database);
  const serviceSecret = resolveServiceSecret(environment.config.dataDir, undefined);
  const bankClient = new InternalBankClient(bank.agentBaseUrl, serviceSecret, 10_000);
  const signingKeyPem = resolveJwtKeys(environment.config).privateKeyPem!;
  return { environment, bank, subgraph, orm, bankClient, signingKeyPem };
}

/** A bank page the agent answered with (openDepositoryAccount, recharge, withdraw): its requestNo and form. */
export interface BankRedirect {
  requestNo: string;
  fields: { name: string; value: string }[];
}

/** openDepositoryAccount's input for a user numbered `seed`: a valid ID number and a card of their own. */
export function openAccountInputFor(seed: number) {
  return {
    realName: '王小明',
    idNumber: bankIdNumberFor(seed),
    bankCode: 'ICBC',
    cardNumber: `62220200000012${String(seed).padStart(5, '0')}`,
    cardMobile: '13800000000',
  };
}

/**
 * The agent beside a bank harness whose inbox takes the bank's notifications: the agent hears only what the
 * test hands it. The test's ORM is on the agent's database.
 */
export interface AgentBesideHarness {
  harness: BankHarness;
  agent: HttpService;
  orm: Database;
  /** The key the platform's tokens are signed with, to issue one for any user. */
  signingKeyPem: string;
  /** Posts the redirect's form to the bank as the user's browser would, with the trade password given. */
  submitPage(redirect: BankRedirect, password: string): Promise<PageAnswer>;
  /** Hands the bank's notification about `requestNo` to the agent, as the bank's delivery would; fails unless 200. */
  deliverNotification(requestNo: string): Promise<void>;
  /** Stops the agent, then fails the test if the bank's ledger self-check finds anything, then stops the bank. */
  stop(): Promise<void>;
}

/** Starts an AgentBesideHarness on `kind`; `settings` are more of the agent's environment variables. */
export async function startAgentBesideHarness(
  kind: DatabaseKind,
  settings: Record<string, string> = {},
): Promise<AgentBesideHarness> {
  const harness = await startBankHarness(kind);
  const { agent, definition } = await startAgent(harness.environment.env, harness.bank.url, settings);
  const orm = await initDatabase(harness.environment.config, definition.database);
  return {
    harness,
    agent,
    orm,
    signingKeyPem: resolveJwtKeys(harness.environment.config).privateKeyPem!,
    submitPage: (redirect, password) =>
      harness.postForm({ ...Object.fromEntries(redirect.fields.map((field) => [field.name, field.value])), password }),
    async deliverNotification(requestNo) {
      await harness.inbox.waitForRequest(requestNo);
      const notification = harness.inbox.received.find(
        (each) => JSON.parse(decodeData(each.respData)!).requestNo === requestNo,
      );
      const response = await fetch(agent.url.replace('/graphql', '/bank/notify'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(notification),
      });
      assert(response.status === 200, `the agent answered the notification of ${requestNo} with ${response.status}`);
    },
    async stop() {
      await orm.close(true);
      await agent.stop();
      try {
        await harness.assertLedgerSound();
      } finally {
        await harness.stop();
      }
    },
  };
}
