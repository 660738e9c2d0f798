// Proves that an early repayment keeps the money exact per investor (domain.md §4): for random loans (every
// method, terms up to 60 months, 1..50 bids summing to the loan, investor rate ≤ borrower rate), repaid
// early on a random business date after a random number of installments, the plan's rewritten installments
// are a run of periods to the last, and re-splitting them as record-repayment does (splitSchedule continuing
// from what each bid holds of the installments before them) splits every installment exactly (Σ principal
// parts = its principal, Σ interest parts + commission = its interest, no part negative) and returns every
// bid exactly its amount over the loan.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildSchedule, splitSchedule, type BidShare, type InstallmentSplit } from '@wanxin/platform';
import { earlyRepaymentPlan, type ScheduledInstallment } from '../src/domain/early-repayment';
import { bidSets, loanRates, repaymentDays, scheduleTerms, sumFen } from './arbitraries';

const cases = fc.record({ bids: bidSets, rates: loanRates, terms: scheduleTerms }).chain(({ bids, rates, terms }) => {
  // A loan is exactly its bids, at the borrower's rate.
  const rows = buildSchedule({
    ...terms,
    principalFen: sumFen(bids.map((bid) => bid.amountFen)),
    annualRateMicros: rates.borrowerRateMicros,
  });
  return repaymentDays(rows, terms.startDate).map((days) => ({
    bids,
    rates,
    startDate: terms.startDate,
    rows,
    ...days,
  }));
});

describe('re-splitting the receivables of an early repayment', () => {
  it('keeps every installment exact and returns every bid exactly, whatever the period it happens in', () => {
    fc.assert(
      fc.property(cases, ({ bids, rates, startDate, rows, businessDate, repaid }) => {
        const terms = { bids, ...rates };
        const disbursed = splitSchedule(rows, terms);
        const schedule: ScheduledInstallment[] = rows.map((row) => ({
          id: `installment-${row.period}`,
          period: row.period,
          dueDate: row.dueDate,
          principalFen: row.principalFen,
          interestFen: row.interestFen,
          penaltyFen: 0n,
          status: row.period <= repaid ? 'REPAID' : row.dueDate < businessDate ? 'OVERDUE' : 'PENDING',
        }));
        const plan = earlyRepaymentPlan(schedule, startDate, businessDate, rates.borrowerRateMicros);
        const rewritten = plan.rows.filter((row) => row.rewritten);
        const firstIndex =
          rewritten.length === 0
            ? rows.length
            : rows.findIndex((row) => `installment-${row.period}` === rewritten[0].id);
        assert.deepEqual(
          rewritten.map((row) => row.id),
          schedule.slice(firstIndex).map((row) => row.id),
          'the rewritten rows are a run of periods to the last',
        );

        const held = new Map<string, BidShare>(
          bids.map((bid) => [bid.bidId, { bidId: bid.bidId, principalFen: 0n, interestFen: 0n }]),
        );
        for (const share of disbursed.slice(0, firstIndex).flatMap((split) => split.shares)) {
          const total = held.get(share.bidId)!;
          held.set(share.bidId, {
            ...total,
            principalFen: total.principalFen + share.principalFen,
            interestFen: total.interestFen + share.interestFen,
          });
        }
        const soFar = {
          principalFen: sumFen(rows.slice(0, firstIndex).map((row) => row.principalFen)),
          interestFen: sumFen(rows.slice(0, firstIndex).map((row) => row.interestFen)),
          shares: [...held.values()],
        };
        const installments = [...rows.slice(0, firstIndex), ...rewritten];
        const splits: InstallmentSplit[] = [
          ...disbursed.slice(0, firstIndex),
          ...splitSchedule(rewritten, terms, soFar),
        ];

        installments.forEach((installment, index) => {
          const { shares, commissionFen } = splits[index];
          assert.equal(
            sumFen(shares.map((share) => share.principalFen)),
            installment.principalFen,
            `period ${index + 1} principal`,
          );
          assert.equal(
            sumFen(shares.map((share) => share.interestFen)) + commissionFen,
            installment.interestFen,
            `period ${index + 1} interest`,
          );
          assert.ok(
            commissionFen >= 0n && shares.every((share) => share.principalFen >= 0n && share.interestFen >= 0n),
            `period ${index + 1}`,
          );
        });
        for (const bid of bids) {
          const principalFen = sumFen(
            splits
              .flatMap((split) => split.shares)
              .filter((share) => share.bidId === bid.bidId)
              .map((share) => share.principalFen),
          );
          assert.equal(principalFen, bid.amountFen, `bid ${bid.bidId}`);
        }
      }),
      { numRuns: 300 },
    );
  });
});
