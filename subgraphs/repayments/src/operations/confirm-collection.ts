import { assert, bankUserNoFor, type EntityManager, type InternalBankClient } from '@wanxin/platform';
import { Collection } from '../entities/collection.entity';
import { Installment } from '../entities/installment.entity';
import { Receivable } from '../entities/receivable.entity';
import { confirmRepayment, type RepaymentBankRequests } from './bank-instructions';

/** Investors one confirmation pays, at most: the bank's own bound on CONFIRM_REPAYMENT details. */
export const CONFIRM_DETAILS_MAX = 1000;

interface InvestorTotal {
  principalFen: bigint;
  /** Interest plus penalty: the bank pays both as the investor's return. */
  interestFen: bigint;
}

export type ConfirmOutcome =
  { kind: 'CONFIRMED' } | { kind: 'REFUSED'; code: string; message: string } | { kind: 'UNKNOWN'; reason: string };

/**
 * A FROZEN collection's CONFIRM_REPAYMENT (its requestNo fixed with the freeze, so a retry is the same
 * request): each investor gets the principal, interest and penalty of
 * their receivables, the platform the rest of the interest; the parts add up to the freeze exactly.
 */
function confirmationOf(
  collection: Collection,
  installments: readonly Installment[],
  receivables: readonly Receivable[],
): RepaymentBankRequests['CONFIRM_REPAYMENT'] {
  assert(
    collection.status === 'FROZEN' && collection.confirmRequestNo !== null,
    `collection ${collection.requestNo} is not waiting to be confirmed`,
  );
  assert(installments.length >= 1, `collection ${collection.requestNo} repaid no installment`);
  const byInvestor = new Map<string, InvestorTotal>();
  for (const receivable of [...receivables].sort((left, right) =>
    left.investorId < right.investorId ? -1 : left.investorId > right.investorId ? 1 : 0,
  )) {
    const total = byInvestor.get(receivable.investorId) ?? { principalFen: 0n, interestFen: 0n };
    total.principalFen += receivable.principalFen;
    total.interestFen += receivable.interestFen + receivable.penaltyFen;
    byInvestor.set(receivable.investorId, total);
  }
  assert(
    byInvestor.size <= CONFIRM_DETAILS_MAX,
    `collection ${collection.requestNo} pays ${byInvestor.size} investors, the bank takes ${CONFIRM_DETAILS_MAX}`,
  );
  const commissionFen =
    installments.reduce((sum, installment) => sum + installment.interestFen, 0n) -
    receivables.reduce((sum, receivable) => sum + receivable.interestFen, 0n);
  const paidFen =
    [...byInvestor.values()].reduce((sum, total) => sum + total.principalFen + total.interestFen, 0n) + commissionFen;
  assert(
    commissionFen >= 0n && paidFen === collection.amountFen,
    `collection ${collection.requestNo}: pays out ${paidFen} fen of ${collection.amountFen}`,
  );
  return {
    requestNo: collection.confirmRequestNo,
    preRequestNo: collection.requestNo,
    details: [...byInvestor.entries()].map(([investorId, total]) => ({
      userNo: bankUserNoFor(investorId),
      principalFen: total.principalFen.toString(),
      interestFen: total.interestFen.toString(),
    })),
    commissionFen: commissionFen.toString(),
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(keyOf(item));
    if (group === undefined) groups.set(keyOf(item), [item]);
    else group.push(item);
  }
  return groups;
}

/** Sends FROZEN collections' confirmations as one batch (two reads for them all) and marks the confirmed ones. */
export async function confirmCollections(
  em: EntityManager,
  bank: InternalBankClient,
  collections: readonly Collection[],
  now: Date,
): Promise<ConfirmOutcome[]> {
  const installments = await em.find(Installment, {
    collectionRequestNo: { $in: collections.map((collection) => collection.requestNo) },
  });
  const receivables = await em.find(Receivable, {
    installmentId: { $in: installments.map((installment) => installment.id) },
  });
  const installmentsOf = groupBy(installments, (installment) => installment.collectionRequestNo ?? '');
  const receivablesOf = groupBy(receivables, (receivable) => receivable.installmentId);
  const answers = await bank.instructBatch(
    collections.map((collection) => {
      const own = installmentsOf.get(collection.requestNo) ?? [];
      return confirmRepayment(
        confirmationOf(
          collection,
          own,
          own.flatMap((installment) => receivablesOf.get(installment.id) ?? []),
        ),
      );
    }),
  );
  const confirmed = collections
    .filter((_, index) => answers[index].kind === 'DONE')
    .map((collection) => collection.requestNo);
  if (confirmed.length > 0)
    await em.nativeUpdate(
      Collection,
      { requestNo: { $in: confirmed }, status: 'FROZEN' },
      { status: 'CONFIRMED', confirmedAt: now },
    );
  return answers.map((answer) => (answer.kind === 'DONE' ? { kind: 'CONFIRMED' } : answer));
}
