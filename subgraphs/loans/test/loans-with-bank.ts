// For loans' integration tests: the loans subgraph over HTTP beside the real bank simulator and the real
// depository agent, in one test environment (keys and the service secret shared), and borrowers as
// loans knows them: an opened account (the fact depository.account.opened records) and a credit line
// as users grants it, users.credit.approved delivered through the in-process transport, so the inbox and
// the subscription run as in production.
import {
  bankUserNoFor,
  forkEntityManager,
  initDatabase,
  newId,
  readSubgraphConfig,
  resolveJwtKeys,
  startSubgraph,
  type Database,
  type DatabaseKind,
  type HttpService,
  type SubgraphConfig,
} from '@wanxin/platform';
import { createTestEnvironment, deliverEvent, type TestEnvironment } from '@wanxin/platform/testing';
import { CreditApproved } from '@wanxin/platform/contracts';
import { startBankAndAgent, type BankAndAgent } from '@wanxin/depository/testing';
import { createSubgraph } from '../src';
import { OpenedAccount } from '../src/entities/opened-account.entity';
import type { LoansSettings } from '../src/services';

/** The score the default pricing (8 % to 20 % from 900 to 600) prices at 15 %, LOAN_BORROWER_RATE's default. */
export const SCORE_PRICED_AT_15_PERCENT = 725;

export interface LoansWithBank {
  environment: TestEnvironment;
  bank: BankAndAgent;
  loans: HttpService;
  orm: Database;
  config: SubgraphConfig<LoansSettings>;
  signingKeyPem: string;
}

/** Stops what startLoansWithBank started; parts a failed start never made are skipped. */
export async function stopLoansWithBank({ orm, loans, bank, environment }: Partial<LoansWithBank>): Promise<void> {
  await orm?.close(true);
  await loans?.stop();
  await bank?.stop();
  await environment?.cleanup();
}

/** The bank, its agent and the loans subgraph (settings from `env` over the environment's). */
export async function startLoansWithBank(kind: DatabaseKind, env: Record<string, string> = {}): Promise<LoansWithBank> {
  const started: Partial<LoansWithBank> = { environment: createTestEnvironment(kind) };
  try {
    const environment = started.environment!;
    const bank = (started.bank = await startBankAndAgent(environment));
    const definition = createSubgraph();
    const loansEnv = { ...environment.env, PORT: '0', DEPOSITORY_INTERNAL_URL: bank.agentBaseUrl, ...env };
    const config = readSubgraphConfig(definition, loansEnv);
    const loans = (started.loans = await startSubgraph(definition, config));
    const orm = (started.orm = await initDatabase(environment.config, definition.database));
    const signingKeyPem = resolveJwtKeys(environment.config).privateKeyPem!;
    return { environment, bank, loans, orm, config, signingKeyPem };
  } catch (error) {
    await stopLoansWithBank(started);
    throw error;
  }
}

/** createLoan's input: a 3,000.00 loan over 12 months in equal installments, or with these `fields`. */
export function loanInput(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: 'Shop fit-out', amount: '3000.00', termMonths: 12, repaymentMethod: 'EQUAL_INSTALLMENT', ...fields };
}

export interface Approval {
  limitFen: bigint;
  score?: number;
  grantedAt?: Date;
}

/** Delivers an approval of `userId`'s credit (a new application each time); resolves once loans took it. */
export async function deliverCreditApproved(
  userId: string,
  { limitFen, score = SCORE_PRICED_AT_15_PERCENT, grantedAt = new Date() }: Approval,
): Promise<void> {
  await deliverEvent({
    type: CreditApproved.type,
    version: CreditApproved.version,
    aggregateId: userId,
    payload: {
      userId,
      applicationId: newId(),
      score,
      limitFen: limitFen.toString(),
      grantedAt: grantedAt.toISOString(),
    },
  });
}

/** Records `userId`'s opened depository account in loans and, given an approval, grants their credit line. */
export async function openBorrower(orm: Database, userId: string, approval?: Approval): Promise<void> {
  await forkEntityManager(orm).insert(OpenedAccount, { userId, userNo: bankUserNoFor(userId), openedAt: new Date() });
  if (approval !== undefined) await deliverCreditApproved(userId, approval);
}
