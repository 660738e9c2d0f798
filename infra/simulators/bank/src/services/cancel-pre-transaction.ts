import { newId } from '@wanxin/platform';
import { BankRefusals, succeeded, withPostings } from '../domain/outcomes';
import type { RequestFields } from '../domain/request-fields';
import { fenText } from '@wanxin/platform/bank-protocol';
import { applyTransfers, openPendingTransfer } from './ledger-store';
import { outcomeOfLedgerRefusal } from './ledger-refusals';
import { lockProjectOfFreeze } from './project-store';
import type { DirectService } from './service-types';

export interface CancelPreTransactionCommand {
  preRequestNo: string;
}

/** Releases a freeze (VOID_PENDING). An unknown freeze, or one already settled or released, is 30010. */
export const cancelPreTransaction: DirectService<CancelPreTransactionCommand> = {
  parse(fields: RequestFields): CancelPreTransactionCommand {
    return { preRequestNo: fields.reference('preRequestNo') };
  },

  async execute({ tx, requestNo, lookups }, command) {
    const freeze = await lookups.freezeByRequestNo(command.preRequestNo);
    if (freeze === null) return BankRefusals.freezeNotFound(command.preRequestNo);
    await lockProjectOfFreeze(tx, freeze);
    const pending = await openPendingTransfer(tx, freeze.transferId);
    if (pending === 'SETTLED') return BankRefusals.freezeAlreadySettled(command.preRequestNo);
    const voided = await applyTransfers(tx, [{ kind: 'VOID_PENDING', id: newId(), pending }], requestNo);
    if (!voided.applied) return outcomeOfLedgerRefusal(voided.refusal, voided.account);
    return withPostings(
      succeeded({ preRequestNo: command.preRequestNo, amountFen: fenText(pending.amountFen) }),
      voided.postings,
    );
  },
};
