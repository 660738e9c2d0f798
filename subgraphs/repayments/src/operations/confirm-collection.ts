import { assert, bankUserNoFor, type EntityManager, type InternalBankClient } from '@wanxin/platform';
import { Collection } from '../entities/collection.entity';
import { Installment } from '../entities/installment.entity';
import { Receivable } from '../entities/receivable.entity';
import { sendToBank } from './bank-instructions';

/** Investors one confirmation pays, at most: the bank's own bound on CONFIRM_REPAYMENT details. */
export const CONFIRM_DETAILS_MAX = 1000;

interface InvestorTotal {
  principalFen: bigint;
  /** Interest plus penalty: the bank pays both as the investor's return. */
  interestFen: bigint;
}

export type ConfirmOutcome = { kind: 'CONFIRMED' } | { kind: 'REFUSED'; code: string; message: string } | { kind: 'UNKNOWN'; reason: string };

/**
 * Sends a FROZEN collection's CONFIRM_REPAYMENT (its requestNo fixed when repayments.installment.repaid
 * was consumed, so a retry is the same request): each investor gets the principal, interest and penalty
 * of their receivables, the platform the rest of the interest; the parts add up to the freeze exactly.
 */
export async function confirmCollection(em: EntityManager, bank: InternalBankClient, collection: Collection, now: Date): Promise<ConfirmOutcome> {
  assert(collection.status === 'FROZEN' && collection.confirmRequestNo !== null, `collection ${collection.requestNo} is not waiting to be confirmed`);
  const installments = await em.find(Installment, { collectionRequestNo: collection.requestNo });
  assert(installments.length >= 1, `collection ${collection.requestNo} repaid no installment`);
  const receivables = await em.find(Receivable, { installmentId: { $in: installments.map((installment) => installment.id) } }, { orderBy: { investorId: 'asc' } });
  const byInvestor = new Map<string, InvestorTotal>();
  for (const receivable of receivables) {
    const total = byInvestor.get(receivable.investorId) ?? { principalFen: 0n, interestFen: 0n };
    total.principalFen += receivable.principalFen;
    total.interestFen += receivable.interestFen + receivable.penaltyFen;
    byInvestor.set(receivable.investorId, total);
  }
  assert(byInvestor.size <= CONFIRM_DETAILS_MAX, `collection ${collection.requestNo} pays ${byInvestor.size} investors, the bank takes ${CONFIRM_DETAILS_MAX}`);
  const commissionFen = installments.reduce((sum, installment) => sum + installment.interestFen, 0n) - receivables.reduce((sum, receivable) => sum + receivable.interestFen, 0n);
  const paidFen = [...byInvestor.values()].reduce((sum, total) => sum + total.principalFen + total.interestFen, 0n) + commissionFen;
  assert(commissionFen >= 0n && paidFen === collection.amountFen, `collection ${collection.requestNo}: pays out ${paidFen} fen of ${collection.amountFen}`);
  const outcome = await sendToBank(bank, 'CONFIRM_REPAYMENT', {
    requestNo: collection.confirmRequestNo,
    preRequestNo: collection.requestNo,
    details: [...byInvestor.entries()].map(([investorId, total]) => ({ userNo: bankUserNoFor(investorId), principalFen: total.principalFen.toString(), interestFen: total.interestFen.toString() })),
    commissionFen: commissionFen.toString(),
  });
  if (outcome.kind !== 'DONE') return outcome;
  await em.nativeUpdate(Collection, { requestNo: collection.requestNo, status: 'FROZEN' }, { status: 'CONFIRMED', confirmedAt: now });
  return { kind: 'CONFIRMED' };
}
