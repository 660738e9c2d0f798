// A loan funded and paid out at the bank the way the repayments tests need one: the project created, each
// bid frozen and CONFIRM_LOAN sent through the agent's internal API (loans and bids are not started), then
// loans.loan.disbursed delivered twice (the second changes nothing) to the running subgraph's inbox.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { bankUserNoFor, newId, type InternalBankClient } from '@wanxin/platform';
import { deliverEvent } from '@wanxin/platform/testing';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';
import { testRequestNo } from '@wanxin/depository/testing';
import { scheduleOnLoanDisbursed } from '../src/events/loan-disbursed.subscription';

export interface LoanAtBank {
  borrowerId: string;
  bids: { investorId: string; amountFen: bigint }[];
  termMonths: number;
  method: string;
  annualRateMicros: number;
  investorRateMicros: number;
}

/** A direct instruction the bank must accept. */
export async function bankOk(
  bankClient: InternalBankClient,
  serviceName: string,
  reqData: { requestNo: string } & Record<string, unknown>,
  userId?: string,
): Promise<void> {
  const answer = await bankClient.send(serviceName, reqData, userId);
  assert.ok(
    answer.kind === 'ANSWERED' && answer.result.code === BANK_CODES.SUCCESS,
    `${serviceName}: ${JSON.stringify(answer)}`,
  );
}

export async function disburseAtBank(bankClient: InternalBankClient, loan: LoanAtBank) {
  const loanId = newId();
  const loanNo = `LN${randomBytes(8).toString('hex').toUpperCase()}`;
  const amountFen = loan.bids.reduce((total, bid) => total + bid.amountFen, 0n);
  await bankOk(bankClient, 'CREATE_PROJECT', {
    requestNo: testRequestNo('PRJ'),
    projectNo: loanNo,
    borrowerUserNo: bankUserNoFor(loan.borrowerId),
    amountFen: amountFen.toString(),
    name: 'Shop fit-out',
  });
  const funded = loan.bids.map((bid) => ({
    bidId: newId(),
    investorId: bid.investorId,
    amountFen: bid.amountFen.toString(),
  }));
  for (const bid of funded) {
    await bankOk(
      bankClient,
      'USER_AUTO_PRE_TRANSACTION',
      {
        requestNo: testRequestNo('BD'),
        userNo: bankUserNoFor(bid.investorId),
        projectNo: loanNo,
        bizType: 'TENDER',
        amountFen: bid.amountFen,
      },
      bid.investorId,
    );
  }
  await bankOk(bankClient, 'CONFIRM_LOAN', { requestNo: testRequestNo('CL'), projectNo: loanNo, feeFen: '0' });
  const payload = {
    loanId,
    loanNo,
    borrowerId: loan.borrowerId,
    amountFen: amountFen.toString(),
    annualRateMicros: loan.annualRateMicros,
    investorRateMicros: loan.investorRateMicros,
    termMonths: loan.termMonths,
    repaymentMethod: loan.method,
    disbursedAt: new Date().toISOString(),
    feeFen: '0',
    bids: funded,
  };
  // Two messages of the same fact: the second reaches the handler (not only the inbox) and changes nothing.
  for (let delivery = 0; delivery < 2; delivery += 1) {
    await deliverEvent({
      type: scheduleOnLoanDisbursed.type,
      version: scheduleOnLoanDisbursed.version,
      aggregateId: loanId,
      payload,
    });
  }
  return { loanId, loanNo, amountFen, bids: funded };
}
