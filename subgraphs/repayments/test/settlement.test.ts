// Proves what CONFIRM_REPAYMENT pays out of one repaid installment (domain/settlement.ts, domain.md §4):
// each investor its receivable's principal and interest, the penalty shared by bid amount with the
// largest-remainder method (ties to the earlier receivable), the platform the rest of the interest as
// commission; Σ payments + commission = principal + interest + penalty to the fen, for worked examples and
// for every installment of random schedules split among random bid sets by the real splitSchedule.
// Penalties are shared cumulatively over the loan: after many overdue installments every bid holds the
// largest-remainder share of the loan's total penalty, within a fen of its exact share.
// Receivables that do not hold the installment's principal, or earn more than its interest, are refused.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  allocateByLargestRemainder,
  AssertionError,
  buildSchedule,
  splitSchedule,
  type BidWeight,
  type InstallmentParts,
  type InstallmentSplit,
} from '@wanxin/platform';
import { settleInstallment, type InstallmentDue, type ReceivableShare } from '../src/domain/settlement';
import { bidSets, loanRates, scheduleTerms, sumFen } from './arbitraries';

/** The receivables the disbursement creates for an installment: one per bid, from the real split. */
function receivablesFor(split: InstallmentSplit, bids: readonly BidWeight[]) {
  const amountByBid = new Map(bids.map((bid) => [bid.bidId, bid.amountFen]));
  const receivables: ReceivableShare[] = split.shares.map((share) => ({
    receivableId: `receivable-${share.bidId}`,
    investorId: `investor-${share.bidId}`,
    principalFen: share.principalFen,
    interestFen: share.interestFen,
    bidAmountFen: amountByBid.get(share.bidId)!,
    penaltyHeldFen: 0n,
  }));
  return { receivables, splitCommissionFen: split.commissionFen };
}

/** The split of a loan's first installment: the same whether split alone or with the rest of the schedule. */
function firstSplit(
  installment: InstallmentParts,
  bids: readonly BidWeight[],
  borrowerRateMicros: number,
  investorRateMicros: number,
): InstallmentSplit {
  return splitSchedule([installment], { bids, borrowerRateMicros, investorRateMicros })[0];
}

const paidOutFen = (settlement: ReturnType<typeof settleInstallment>) =>
  sumFen(settlement.payments.map((payment) => payment.principalFen + payment.interestFen + payment.penaltyFen)) +
  settlement.commissionFen;

describe('settling an installment', () => {
  it('pays the first reference installment three days late to three investors and the platform, to the fen', () => {
    // 10,000.00 at 12 % in equal installments: period 1 is 788.49 principal + 100.00 interest; 3 days at
    // 0.0005 a day make round(888.49 × 0.0015) = 1.33 of penalty. Bids of 5,000, 3,000 and 2,000; investors earn 8 %.
    const installment: InstallmentDue = { principalFen: 78_849n, interestFen: 10_000n, penaltyFen: 133n };
    const bids = [
      { bidId: 'a', amountFen: 500_000n },
      { bidId: 'b', amountFen: 300_000n },
      { bidId: 'c', amountFen: 200_000n },
    ];
    const { receivables } = receivablesFor(firstSplit(installment, bids, 120_000, 80_000), bids);
    const settlement = settleInstallment(installment, receivables);
    // Principal 39,424.5 / 23,654.7 / 15,769.8 → 39,424 / 23,655 / 15,770. Investors' interest round(10,000 × 8 / 12)
    // = 6,667: 3,333.5 / 2,000.1 / 1,333.4 → 3,334 / 2,000 / 1,333. Penalty 66.5 / 39.9 / 26.6 → 66 / 40 / 27.
    assert.deepEqual(settlement, {
      payments: [
        {
          receivableId: 'receivable-a',
          investorId: 'investor-a',
          principalFen: 39_424n,
          interestFen: 3_334n,
          penaltyFen: 66n,
        },
        {
          receivableId: 'receivable-b',
          investorId: 'investor-b',
          principalFen: 23_655n,
          interestFen: 2_000n,
          penaltyFen: 40n,
        },
        {
          receivableId: 'receivable-c',
          investorId: 'investor-c',
          principalFen: 15_770n,
          interestFen: 1_333n,
          penaltyFen: 27n,
        },
      ],
      commissionFen: 3_333n,
      totalFen: 88_982n,
    });
    assert.equal(paidOutFen(settlement), 78_849n + 10_000n + 133n);
  });

  it('shares the penalty by bid amount even when no principal is due, ties to the earlier receivable', () => {
    // An interest-first month: no principal, 100 fen of penalty over three equal bids.
    const installment: InstallmentDue = { principalFen: 0n, interestFen: 3_000n, penaltyFen: 100n };
    const bids = ['x', 'y', 'z'].map((bidId) => ({ bidId, amountFen: 100_000n }));
    const { receivables } = receivablesFor(firstSplit(installment, bids, 150_000, 100_000), bids);
    const settlement = settleInstallment(installment, receivables);
    assert.deepEqual(
      settlement.payments.map((payment) => payment.penaltyFen),
      [34n, 33n, 33n],
    );
    assert.deepEqual(
      settlement.payments.map((payment) => payment.principalFen),
      [0n, 0n, 0n],
    );
    assert.equal(settlement.commissionFen, 1_000n);
    assert.equal(paidOutFen(settlement), 3_100n);
  });

  it('takes the commission as the installment interest less what the receivables earn', () => {
    const installment: InstallmentDue = { principalFen: 100n, interestFen: 30n, penaltyFen: 0n };
    const receivables: ReceivableShare[] = [
      {
        receivableId: 'r1',
        investorId: 'i1',
        principalFen: 60n,
        interestFen: 12n,
        bidAmountFen: 60n,
        penaltyHeldFen: 0n,
      },
      {
        receivableId: 'r2',
        investorId: 'i2',
        principalFen: 40n,
        interestFen: 8n,
        bidAmountFen: 40n,
        penaltyHeldFen: 0n,
      },
    ];
    const settlement = settleInstallment(installment, receivables);
    assert.equal(settlement.commissionFen, 10n);
    assert.deepEqual(
      settlement.payments.map((payment) => payment.penaltyFen),
      [0n, 0n],
    );
    assert.equal(settlement.totalFen, 130n);
    // The whole interest to the investors leaves no commission.
    assert.equal(settleInstallment({ ...installment, interestFen: 20n }, receivables).commissionFen, 0n);
  });

  it('refuses receivables that do not add up to the installment', () => {
    const installment: InstallmentDue = { principalFen: 100n, interestFen: 30n, penaltyFen: 5n };
    const share: ReceivableShare = {
      receivableId: 'r',
      investorId: 'i',
      principalFen: 100n,
      interestFen: 20n,
      bidAmountFen: 100n,
      penaltyHeldFen: 0n,
    };
    assert.throws(() => settleInstallment(installment, [{ ...share, principalFen: 99n }]), AssertionError);
    assert.throws(() => settleInstallment(installment, [{ ...share, principalFen: 101n }]), AssertionError);
    assert.throws(() => settleInstallment(installment, [{ ...share, interestFen: 31n }]), AssertionError);
    assert.throws(() => settleInstallment(installment, []), AssertionError);
    assert.throws(
      () => settleInstallment(installment, [{ ...share, bidAmountFen: 0n }]),
      AssertionError,
      'no weight to share the penalty by',
    );
    assert.throws(() => settleInstallment({ ...installment, penaltyFen: -1n }, [share]), AssertionError);
  });

  it('adds up exactly for every installment of random schedules, penalties and bid sets', () => {
    const cases = fc.record({
      bids: bidSets,
      rates: loanRates,
      terms: scheduleTerms,
      penaltyFen: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 999_999_999n })),
    });
    fc.assert(
      fc.property(cases, ({ bids, rates: { borrowerRateMicros, investorRateMicros }, terms, penaltyFen }) => {
        // A loan is exactly its bids: the principal is their sum.
        const bidWeightSum = sumFen(bids.map((bid) => bid.amountFen));
        const rows = buildSchedule({ ...terms, principalFen: bidWeightSum, annualRateMicros: borrowerRateMicros });
        const splits = splitSchedule(rows, { bids, borrowerRateMicros, investorRateMicros });
        for (const [index, row] of rows.entries()) {
          const installment = { principalFen: row.principalFen, interestFen: row.interestFen, penaltyFen };
          const { receivables, splitCommissionFen } = receivablesFor(splits[index], bids);
          const settlement = settleInstallment(installment, receivables);
          assert.equal(settlement.totalFen, row.principalFen + row.interestFen + penaltyFen);
          assert.equal(paidOutFen(settlement), settlement.totalFen);
          assert.equal(settlement.commissionFen, splitCommissionFen);
          assert.equal(sumFen(settlement.payments.map((payment) => payment.penaltyFen)), penaltyFen);
          settlement.payments.forEach((payment, index) => {
            const receivable = receivables[index];
            assert.deepEqual(
              [payment.receivableId, payment.investorId, payment.principalFen, payment.interestFen],
              [receivable.receivableId, receivable.investorId, receivable.principalFen, receivable.interestFen],
            );
            const floorFen = (penaltyFen * receivable.bidAmountFen) / bidWeightSum;
            assert.ok(
              payment.penaltyFen === floorFen || payment.penaltyFen === floorFen + 1n,
              `penalty ${payment.penaltyFen}, floor ${floorFen}`,
            );
          });
        }
      }),
      { numRuns: 100 },
    );
  });

  it("shares many overdue installments' penalties cumulatively: each bid within a fen of its share of the total", () => {
    const cases = fc.record({
      bids: bidSets,
      rates: loanRates,
      terms: scheduleTerms,
      penalties: fc.array(fc.oneof(fc.bigInt({ min: 0n, max: 30n }), fc.bigInt({ min: 0n, max: 99_999n })), {
        minLength: 1,
        maxLength: 60,
      }),
    });
    fc.assert(
      fc.property(cases, ({ bids, rates: { borrowerRateMicros, investorRateMicros }, terms, penalties }) => {
        const bidWeightSum = sumFen(bids.map((bid) => bid.amountFen));
        const rows = buildSchedule({ ...terms, principalFen: bidWeightSum, annualRateMicros: borrowerRateMicros });
        const splits = splitSchedule(rows, { bids, borrowerRateMicros, investorRateMicros });
        const heldByBid = new Map<string, bigint>();
        let totalPenaltyFen = 0n;
        for (const [index, row] of rows.entries()) {
          const penaltyFen = penalties[index % penalties.length];
          totalPenaltyFen += penaltyFen;
          const { receivables } = receivablesFor(splits[index], bids);
          const held = receivables.map((receivable) => ({
            ...receivable,
            penaltyHeldFen: heldByBid.get(receivable.receivableId) ?? 0n,
          }));
          const settlement = settleInstallment(
            { principalFen: row.principalFen, interestFen: row.interestFen, penaltyFen },
            held,
          );
          assert.equal(
            sumFen(settlement.payments.map((payment) => payment.penaltyFen)),
            penaltyFen,
            `period ${index + 1}`,
          );
          assert.equal(paidOutFen(settlement), settlement.totalFen);
          for (const payment of settlement.payments) {
            assert.ok(payment.penaltyFen >= 0n);
            heldByBid.set(payment.receivableId, (heldByBid.get(payment.receivableId) ?? 0n) + payment.penaltyFen);
          }
        }
        // splits list bids by id, as receivablesFor names them.
        const order = splits[0].shares.map((share) => share.bidId);
        const weights = order.map((bidId) => bids.find((bid) => bid.bidId === bidId)!.amountFen);
        const totals = order.map((bidId) => heldByBid.get(`receivable-${bidId}`) ?? 0n);
        // Unless largest remainder itself would take a fen back at some installment (the Alabama paradox,
        // where keeping the fen wins), each bid holds exactly the largest-remainder share of the total.
        let runningFen = 0n;
        let before = weights.map(() => 0n);
        const neverShrinks = rows.every((_, index) => {
          runningFen += penalties[index % penalties.length];
          const now = allocateByLargestRemainder(runningFen, weights);
          const grows = now.every((part, bid) => part >= before[bid]);
          before = now;
          return grows;
        });
        if (neverShrinks) assert.deepEqual(totals, allocateByLargestRemainder(totalPenaltyFen, weights));
        totals.forEach((total, index) => {
          const offTimesWeights = total * bidWeightSum - totalPenaltyFen * weights[index];
          assert.ok(
            offTimesWeights < bidWeightSum && -offTimesWeights < bidWeightSum,
            `bid ${order[index]} holds ${total}`,
          );
        });
      }),
      { numRuns: 200 },
    );
  });
});
