// Proves loans' part of the admins' statistics against the real bank simulator and depository agent, on
// libsql and MariaDB: `loans.loan.opened` adds one published loan and `loans.loan.disbursed` its principal to
// the business date's row, once however often a message is delivered; several at once on one day all count
// (the atomic +=); a payload without businessDate (an older publisher) counts on the latest day loans heard
// of; a loan an admin approves stores the business date loans knows and its event counts there, so the read
// model equals a recount of loans; `StatisticsRow` references answer DAY and MONTH keys for admins only.
// Shortcut, said plainly: crafted events are handed to loans on the in-process transport, not RabbitMQ.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { forkEntityManager, issueToken, newId } from '@wanxin/platform';
import { BusinessDateAdvanced, LoanDisbursed, LoanOpened } from '@wanxin/platform/contracts';
import {
  checkStatisticsReferences,
  databaseKindsUnderTest,
  dataOf,
  deliverEvent,
  deliverTwice,
  eventually,
  postGraphQL,
  statisticsTokens,
  type StatisticsTokens,
} from '@wanxin/platform/testing';
import { Loan } from '../src/entities/loan.entity';
import { StatisticsDay } from '../src/entities/statistics-day.entity';
import { loanInput, openBorrower, startLoansWithBank, stopLoansWithBank, type LoansWithBank } from './loans-with-bank';

const CREATE = 'mutation($input: CreateLoanInput!) { createLoan(input: $input) { id } }';
const APPROVE = 'mutation($id: ID!) { reviewLoan(id: $id, approve: true) { status } }';

/** A loan's terms as both events carry them. */
function terms(amountFen: bigint) {
  return {
    loanId: newId(),
    loanNo: `LN${randomBytes(8).toString('hex').toUpperCase()}`,
    borrowerId: newId(),
    amountFen: amountFen.toString(),
    annualRateMicros: 150_000,
    investorRateMicros: 100_000,
    termMonths: 3,
    repaymentMethod: 'EQUAL_INSTALLMENT',
  };
}

function opened(businessDate?: string) {
  const payload = { ...terms(300_000n), openedAt: new Date().toISOString(), ...(businessDate && { businessDate }) };
  return { type: LoanOpened.type, version: LoanOpened.version, aggregateId: payload.loanId, payload };
}

function disbursed(amountFen: bigint, businessDate?: string) {
  const bids = [{ bidId: newId(), investorId: newId(), amountFen: amountFen.toString() }];
  const payload = {
    ...terms(amountFen),
    disbursedAt: new Date().toISOString(),
    feeFen: '0',
    bids,
    ...(businessDate && { businessDate }),
  };
  return { type: LoanDisbursed.type, version: LoanDisbursed.version, aggregateId: payload.loanId, payload };
}

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`loans' statistics read model on ${kind}`, { skip }, () => {
    let started: LoansWithBank;
    let tokens: StatisticsTokens;

    before(async () => {
      started = await startLoansWithBank(kind);
      tokens = statisticsTokens(started.signingKeyPem);
    });
    after(async () => stopLoansWithBank(started ?? {}));

    test('opened and disbursed loans count once each on their business date; DAY and MONTH; admins only', async () => {
      await deliverTwice(opened('2031-03-30'));
      await deliverTwice(disbursed(123_456_78n, '2031-03-30'));
      await Promise.all([
        ...Array.from({ length: 6 }, () => deliverEvent(opened('2031-03-31'))),
        ...[100n, 200n, 300n].map((amountFen) => deliverEvent(disbursed(amountFen, '2031-03-31'))),
      ]);
      const day = { type: BusinessDateAdvanced.type, version: 1, aggregateId: 'business-date' };
      await deliverEvent({ ...day, payload: { date: '2031-04-02' } });
      await deliverTwice(opened());
      await deliverTwice(disbursed(1n));

      // A loan an admin approves now opens on the business date loans knows; its own event counts it there.
      const borrowerId = newId();
      await started.bank.register(borrowerId);
      await openBorrower(started.orm, borrowerId, { limitFen: 1_000_000n });
      const borrower = issueToken({ id: borrowerId, role: 'BORROWER' }, started.signingKeyPem, 3600).token;
      const { id } = await eventually(async () => {
        const created = await postGraphQL(started.loans.url, CREATE, { input: loanInput() }, borrower);
        return created.errors === undefined ? dataOf(created).createLoan : undefined;
      });
      assert.equal(
        dataOf(await postGraphQL(started.loans.url, APPROVE, { id }, tokens.admin)).reviewLoan.status,
        'FUNDRAISING',
      );
      assert.equal((await forkEntityManager(started.orm).findOneOrFail(Loan, { id })).openedBusinessDate, '2031-04-02');
      await eventually(async () => {
        const row = await forkEntityManager(started.orm).findOne(StatisticsDay, { businessDate: '2031-04-02' });
        return row?.loansPublished === 2n ? true : undefined;
      });

      const rows = await checkStatisticsReferences(
        (query, variables, token) => postGraphQL(started.loans.url, query, variables, token),
        tokens,
        'loansPublished amountFunded',
      );
      assert.deepEqual(
        rows.map((row) => [row.period, row.loansPublished, row.amountFunded]),
        [
          ['2031-03-30', 1, '123456.78'],
          ['2031-03-31', 6, '6.00'],
          ['2031-04-01', 0, '0.00'],
          ['2031-04-02', 2, '0.01'],
          ['2031-03', 7, '123462.78'],
          ['2031-04', 2, '0.01'],
        ],
      );
    });
  });
}
