import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  bankUserNoFor,
  InternalBankClient,
  issueToken,
  newId,
  type Database,
  type DatabaseKind,
  type HttpService,
  type Role,
} from '@wanxin/platform';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';
import { deliverEvent, type TestEnvironment } from '@wanxin/platform/testing';
import { startSubgraphWithBank, testRequestNo, type BankAndAgent } from '@wanxin/depository/testing';
import { createSubgraph } from '../src';
import { fundingOnLoanOpened } from '../src/events/loan-opened.subscription';

/** A loan the test opened to bids: its ids, the `loans.loan.opened` payload and the envelope delivered. */
export interface OpenedLoan {
  loanId: string;
  loanNo: string;
  payload: Record<string, string | number>;
  envelope: Awaited<ReturnType<typeof deliverEvent>>;
}

/**
 * The bids subgraph running against the real bank simulator and the real depository agent, in this process
 * and one test environment (keys and the service secret shared), with the test's own ORM on its database.
 */
export interface BidsWithBank {
  environment: TestEnvironment;
  bank: BankAndAgent;
  bids: HttpService;
  orm: Database;
  /** The agent's internal bank API, as bids calls it. */
  bankClient: InternalBankClient;
  token(id: string, role: Role): string;
  /** A registered investor with `rechargeFen` available at the bank. */
  newInvestor(rechargeFen: bigint): Promise<string>;
  /** A project of `amountFen` at the bank for the borrower (CREATE_PROJECT through the agent): its loan number. */
  createProject(amountFen: bigint): Promise<string>;
  /** A loan registered at the bank (createProject) and opened to bids by `loans.loan.opened`, through the inbox. */
  openLoan(amountFen: bigint, repaymentMethod?: string): Promise<OpenedLoan>;
  stop(): Promise<void>;
}

/** Starts the bank, the agent and bids (settings `env` added), with `borrowerId` registered at the bank. */
export async function startBidsWithBank(
  kind: DatabaseKind,
  borrowerId: string,
  env: Record<string, string>,
): Promise<BidsWithBank> {
  const {
    environment,
    bank,
    subgraph: bids,
    orm,
    bankClient,
    signingKeyPem,
  } = await startSubgraphWithBank(kind, createSubgraph(), env);
  await bank.register(borrowerId);
  const fixture: BidsWithBank = {
    environment,
    bank,
    bids,
    orm,
    bankClient,
    token: (id, role) => issueToken({ id, role }, signingKeyPem, 3600).token,
    async newInvestor(rechargeFen) {
      const investorId = newId();
      await bank.register(investorId);
      if (rechargeFen > 0n) await bank.recharge(investorId, rechargeFen);
      return investorId;
    },
    async createProject(amountFen) {
      const loanNo = `LN${randomBytes(8).toString('hex').toUpperCase()}`;
      const answer = await bankClient.send('CREATE_PROJECT', {
        requestNo: testRequestNo('PRJ'),
        projectNo: loanNo,
        borrowerUserNo: bankUserNoFor(borrowerId),
        amountFen: amountFen.toString(),
        name: 'Shop fit-out',
      });
      assert.ok(answer.kind === 'ANSWERED' && answer.result.code === BANK_CODES.SUCCESS, JSON.stringify(answer));
      return loanNo;
    },
    async openLoan(amountFen, repaymentMethod = 'EQUAL_INSTALLMENT') {
      const loanId = newId();
      const loanNo = await fixture.createProject(amountFen);
      const payload = {
        loanId,
        loanNo,
        borrowerId,
        amountFen: amountFen.toString(),
        annualRateMicros: 150_000,
        investorRateMicros: 100_000,
        termMonths: 12,
        repaymentMethod,
        openedAt: new Date().toISOString(),
      };
      const { type, version } = fundingOnLoanOpened;
      const envelope = await deliverEvent({ type, version, aggregateId: loanId, payload });
      return { loanId, loanNo, payload, envelope };
    },
    async stop() {
      await orm.close(true);
      await bids.stop();
      await bank.stop();
      await environment.cleanup();
    },
  };
  return fixture;
}
