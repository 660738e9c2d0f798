import { registerDescribedEnum } from '@wanxin/platform';
import type { TransferStatus } from '../domain/transfer';

/**
 * GraphQL's view of `TransferStatus`: SELLING is internal (a buyer's payment is at the bank for a moment) and
 * shows as LISTED; the compiler checks every other status is listed.
 */
export const TransferStatusEnum = registerDescribedEnum<Exclude<TransferStatus, 'SELLING'>>(
  'TransferStatus',
  'LISTED on the market until SOLD, CANCELLED by its seller, or EXPIRED.',
  {
    LISTED: 'On the market: another investor may buy it.',
    SOLD: 'Bought: the buyer holds every receivable of the holding not yet RECEIVED.',
    CANCELLED: 'Withdrawn by its seller.',
    EXPIRED:
      'Closed by the market: its listing days passed, or the loan fell overdue, was repaid early or had an installment collected.',
  },
);

export type TransferStatusShown = keyof typeof TransferStatusEnum;

/** What a client is shown of a status. */
export function shownTransferStatus(status: TransferStatus): TransferStatusShown {
  return status === 'SELLING' ? 'LISTED' : status;
}
