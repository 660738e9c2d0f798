// Proves repayments' part of the admins' statistics on libsql and MariaDB: `repayments.business-date.advanced`
// adds the installments due that day (count and principal + interest), `repayments.installment.overdue` the
// principal + interest of an installment on the day it fell OVERDUE (not on its later days), and
// `repayments.installment.repaid` principal + interest + penalty; each once however often a message is
// delivered, concurrent ones all counted (the atomic +=); a payload without businessDate (an older
// publisher) counts on the business clock's date, an older day-1 overdue with the installment's own amount.
// The root `statistics` query (DAY and MONTH, the overdue rate exact) and `StatisticsRow` references agree.
// Shortcuts, said plainly: installments and a FROZEN collection are written straight into the database and
// the events are crafted, handed to repayments on the in-process transport (repayments' own events, which
// its daily run publishes, are exercised end to end in test/src/statistics.e2e.test.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { forkEntityManager, newId, resolveJwtKeys } from '@wanxin/platform';
import { BusinessDateAdvanced, InstallmentOverdue, InstallmentRepaid } from '@wanxin/platform/contracts';
import {
  checkStatisticsReferences,
  databaseKindsUnderTest,
  dataOf,
  deliverEvent,
  deliverTwice,
  postGraphQL,
  statisticsTokens,
  type StatisticsTokens,
} from '@wanxin/platform/testing';
import { Collection } from '../src/entities/collection.entity';
import { Installment } from '../src/entities/installment.entity';
import { startRepaymentsWithBank, stopRepaymentsWithBank, type RepaymentsWithBank } from './repayments-with-bank';

const FIELDS = 'amountRepaid amountOverdue amountDue amountDueOverdue installmentsDue overdueRate';
const STATISTICS = `query($f: Date!, $t: Date!, $g: Granularity!) {
  statistics(from: $f, to: $t, granularity: $g) { period ${FIELDS} } }`;
/** The business clock starts here (BUSINESS_DATE_START): what a payload without businessDate counts on. */
const CLOCK_DATE = '2031-04-02';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`repayments' statistics read model on ${kind}`, { skip }, () => {
    let started: RepaymentsWithBank;
    let tokens: StatisticsTokens;
    const loanId = newId();
    const borrowerId = newId();

    before(async () => {
      started = await startRepaymentsWithBank(kind, {
        BUSINESS_DATE_START: CLOCK_DATE,
        // The crafted collection is never confirmed at the bank: no settle pass while the test runs.
        REPAYMENT_SETTLE_INTERVAL_MS: '3600000',
      });
      tokens = statisticsTokens(resolveJwtKeys(started.environment.config).privateKeyPem!);
    });
    after(async () => stopRepaymentsWithBank(started ?? {}));

    const installment = (period: number, dueDate: string, principalFen: bigint, interestFen: bigint) =>
      forkEntityManager(started.orm).create(Installment, {
        loanId,
        period,
        dueDate,
        principalFen,
        interestFen,
        status: 'PENDING',
      });

    test('due, overdue and repaid amounts count once on their business date; DAY, MONTH, rate, references', async () => {
      const em = forkEntityManager(started.orm);
      const rows = [
        installment(1, '2031-03-31', 100n, 10n),
        installment(2, '2031-03-31', 200n, 20n),
        installment(3, '2031-03-31', 300n, 30n),
        installment(4, '2031-04-02', 1_000n, 100n),
      ];
      await em.persistAndFlush(rows);
      const day = (date: string) => ({
        type: BusinessDateAdvanced.type,
        version: BusinessDateAdvanced.version,
        aggregateId: 'business-date',
        payload: { date },
      });
      await deliverTwice(day('2031-03-31'));
      await deliverEvent(day('2031-04-02'));

      const overdue = (row: Installment, fields: Record<string, unknown>) => ({
        type: InstallmentOverdue.type,
        version: InstallmentOverdue.version,
        aggregateId: loanId,
        payload: { installmentId: row.id, loanId, borrowerId, period: row.period, penaltyFen: '1', ...fields },
      });
      await deliverTwice(
        overdue(rows[0], {
          overdueDays: 1,
          businessDate: '2031-04-01',
          fellOverdueFen: '110',
          dueDate: '2031-03-31',
        }),
      );
      await deliverEvent(overdue(rows[0], { overdueDays: 2, businessDate: '2031-04-02' }));
      // An older publisher's day 1: no businessDate, amount or due date; the clock's date and the row's.
      await deliverTwice(overdue(rows[1], { overdueDays: 1 }));
      await deliverEvent(overdue(rows[1], { overdueDays: 2 }));

      const collectionRequestNo = `RP${randomBytes(16).toString('hex').toUpperCase()}`;
      await em.insert(Collection, {
        requestNo: collectionRequestNo,
        loanId,
        kind: 'INSTALLMENT',
        installmentId: rows[2].id,
        amountFen: 335n,
        businessDate: CLOCK_DATE,
        status: 'FROZEN',
        createdAt: new Date(),
      });
      const repaid = (amountFen: string, penaltyFen: string, businessDate?: string) => ({
        type: InstallmentRepaid.type,
        version: InstallmentRepaid.version,
        aggregateId: loanId,
        payload: {
          installmentId: rows[2].id,
          loanId,
          borrowerId,
          period: 3,
          amountFen,
          principalFen: '0',
          penaltyFen,
          repaidAt: new Date().toISOString(),
          collectionRequestNo,
          ...(businessDate && { businessDate }),
        },
      });
      await deliverTwice(repaid('330', '5', '2031-03-30'));
      await Promise.all(Array.from({ length: 4 }, () => deliverEvent(repaid('100', '0'))));

      // The overdue rate is each due day's unpaid part: 1.10 + 2.20 of the 6.60 due on 03-31.
      const expectedDays = [
        ['2031-03-30', '3.35', '0.00', '0.00', '0.00', 0, '0.00'],
        ['2031-03-31', '0.00', '0.00', '6.60', '3.30', 3, '0.50'],
        ['2031-04-01', '0.00', '1.10', '0.00', '0.00', 0, '0.00'],
        ['2031-04-02', '4.00', '2.20', '11.00', '0.00', 1, '0.00'],
      ];
      const expectedMonths = [
        ['2031-03', '3.35', '0.00', '6.60', '3.30', 3, '0.50'],
        ['2031-04', '4.00', '3.30', '11.00', '0.00', 1, '0.00'],
      ];
      const tuple = (row: Record<string, unknown>) => [
        row.period,
        row.amountRepaid,
        row.amountOverdue,
        row.amountDue,
        row.amountDueOverdue,
        row.installmentsDue,
        row.overdueRate,
      ];
      const answer = async (granularity: 'DAY' | 'MONTH') =>
        dataOf(
          await postGraphQL(
            started.repayments.url,
            STATISTICS,
            { f: '2031-03-30', t: CLOCK_DATE, g: granularity },
            tokens.admin,
          ),
        ).statistics.map(tuple);
      assert.deepEqual(await answer('DAY'), expectedDays);
      assert.deepEqual(await answer('MONTH'), expectedMonths);
      const references = await checkStatisticsReferences(
        (query, variables, token) => postGraphQL(started.repayments.url, query, variables, token),
        tokens,
        FIELDS,
      );
      assert.deepEqual(references.map(tuple), [...expectedDays, ...expectedMonths]);
    });
  });
}
