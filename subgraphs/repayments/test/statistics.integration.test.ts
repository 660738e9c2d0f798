// Proves repayments' part of the admins' statistics on libsql and MariaDB: `repayments.business-date.advanced`
// adds the installments due that day (count and principal + interest) once however often it is delivered;
// facts counted a batch at a time (addToStatisticsDays, as the repayment and the overdue run count theirs)
// add up by day, concurrent batches all counted (the atomic +=); each due day's unpaid part gives its overdue
// rate. The root `statistics` query (DAY and MONTH, the rate exact) and `StatisticsRow` references agree.
// Shortcuts, said plainly: installments are written straight into the database and the day's event is
// crafted; the repayments and overdue runs that count their facts are exercised end to end, against a recount
// of the base tables, in test/src/statistics.e2e.test.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { addToStatisticsDays, forkEntityManager, newId, resolveJwtKeys } from '@wanxin/platform';
import { BusinessDateAdvanced } from '@wanxin/platform/contracts';
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
import { Installment } from '../src/entities/installment.entity';
import { StatisticsDay } from '../src/entities/statistics-day.entity';
import { startRepaymentsWithBank, stopRepaymentsWithBank, type RepaymentsWithBank } from './repayments-with-bank';

const FIELDS = 'amountRepaid amountOverdue amountDue amountDueOverdue installmentsDue overdueRate';
const STATISTICS = `query($f: Date!, $t: Date!, $g: Granularity!) {
  statistics(from: $f, to: $t, granularity: $g) { period ${FIELDS} } }`;
/** The business clock starts here (BUSINESS_DATE_START), the last day of the range asked for. */
const CLOCK_DATE = '2031-04-02';

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`repayments' statistics read model on ${kind}`, { skip }, () => {
    let started: RepaymentsWithBank;
    let tokens: StatisticsTokens;
    const loanId = newId();

    before(async () => {
      started = await startRepaymentsWithBank(kind, { BUSINESS_DATE_START: CLOCK_DATE });
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

    test('due, overdue and repaid amounts count on their business date; DAY, MONTH, rate, references', async () => {
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

      // Repaid and overdue amounts are counted by the operations that record them, through addToStatisticsDays
      // in their own transactions: here as they call it, a batch at a time, some batches concurrent.
      const count = (facts: Parameters<typeof addToStatisticsDays<StatisticsDay>>[2]) =>
        forkEntityManager(started.orm).transactional((tx) => addToStatisticsDays(tx, StatisticsDay, facts));
      const fellOverdue = (row: Installment, day: string) => [
        { businessDate: day, increments: { amountOverdueFen: row.principalFen + row.interestFen } },
        { businessDate: row.dueDate, increments: { amountDueOverdueFen: row.principalFen + row.interestFen } },
      ];
      await count(fellOverdue(rows[0], '2031-04-01'));
      await count(fellOverdue(rows[1], '2031-04-02'));
      await count([{ businessDate: '2031-03-30', increments: { amountRepaidFen: 335n } }]);
      const repaidBatch = [1, 2].map(() => ({ businessDate: '2031-04-02', increments: { amountRepaidFen: 100n } }));
      await Promise.all([count(repaidBatch), count(repaidBatch)]);

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
