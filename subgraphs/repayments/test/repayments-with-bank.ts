// The repayments subgraph as its integration tests run it: with the real bank simulator and depository
// agent, on a test environment's database, and the ORM the test reads that database with.
import {
  initDatabase,
  InternalBankClient,
  readSubgraphConfig,
  resolveJwtKeys,
  resolveServiceSecret,
  startSubgraph,
  type Database,
  type HttpService,
} from '@wanxin/platform';
import { createTestEnvironment, type TestEnvironment } from '@wanxin/platform/testing';
import { startBankAndAgent, type BankAndAgent } from '@wanxin/depository/testing';
import type { DatabaseKind } from '@wanxin/platform';
import { createSubgraph } from '../src';

export interface RepaymentsWithBank {
  environment: TestEnvironment;
  bank: BankAndAgent;
  repayments: HttpService;
  orm: Database;
  /** The agent's internal bank API, as the subgraphs call it: for instructions the test sends itself. */
  bankClient: InternalBankClient;
  /** Signs the test's tokens. */
  signingKeyPem: string;
}

/** The bank, its agent and repayments (settings from `env` over the environment's) in a new environment. */
export async function startRepaymentsWithBank(
  kind: DatabaseKind,
  env: Record<string, string> = {},
): Promise<RepaymentsWithBank> {
  const environment = createTestEnvironment(kind);
  const bank = await startBankAndAgent(environment);
  const definition = createSubgraph();
  const repayments = await startSubgraph(
    definition,
    readSubgraphConfig(definition, {
      ...environment.env,
      PORT: '0',
      DEPOSITORY_INTERNAL_URL: bank.agentBaseUrl,
      ...env,
    }),
  );
  const orm = await initDatabase(environment.config, definition.database);
  const serviceSecret = resolveServiceSecret(environment.config.dataDir, undefined);
  const bankClient = new InternalBankClient(bank.agentBaseUrl, serviceSecret, 10_000);
  const signingKeyPem = resolveJwtKeys(environment.config).privateKeyPem!;
  return { environment, bank, repayments, orm, bankClient, signingKeyPem };
}

/** Stops what startRepaymentsWithBank started; parts never made are skipped. */
export async function stopRepaymentsWithBank({
  environment,
  bank,
  repayments,
  orm,
}: Partial<RepaymentsWithBank>): Promise<void> {
  await repayments?.stop();
  await orm?.close(true);
  await bank?.stop();
  await environment?.cleanup();
}
