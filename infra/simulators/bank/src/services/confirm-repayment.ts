import { newId, type EntityManager } from '@wanxin/platform';
import type { PendingTransfer, TransferRequest } from '../domain/ledger';
import { BankRefusals, succeeded, withPostings, type Outcome } from '../domain/outcomes';
import type { RequestFields } from '../domain/request-fields';
import type { BankFreeze } from '../entities/bank-freeze.entity';
import type { BankUser } from '../entities/bank-user.entity';
import { BANK_PROJECT_STATUSES, fenText } from '@wanxin/platform/bank-protocol';
import { applyTransfers, openPendingTransfer } from './ledger-store';
import { outcomeOfLedgerRefusal } from './ledger-refusals';
import type { StableLookups } from './lookups';
import { lockProjectOfFreeze } from './project-store';
import type { DirectService } from './service-types';

export interface RepaymentShare {
  userNo: string;
  principalFen: bigint;
  interestFen: bigint;
}

export interface ConfirmRepaymentCommand {
  preRequestNo: string;
  details: RepaymentShare[];
  commissionFen: bigint;
}

/** Investors paid by one repayment, at most. */
export const REPAYMENT_DETAILS_MAX = 1000;

function parseShare(fields: RequestFields): RepaymentShare {
  return {
    userNo: fields.reference('userNo'),
    principalFen: fields.amountFen('principalFen', 'zeroOrMore'),
    interestFen: fields.amountFen('interestFen', 'zeroOrMore'),
  };
}

export function repaymentTotalFen(command: ConfirmRepaymentCommand): bigint {
  return (
    command.details.reduce((sum, share) => sum + share.principalFen + share.interestFen, 0n) + command.commissionFen
  );
}

/** The freeze to settle, or why it cannot be. */
async function openRepaymentFreeze(
  tx: EntityManager,
  lookups: StableLookups,
  preRequestNo: string,
): Promise<{ freeze: BankFreeze; pending: PendingTransfer } | Outcome> {
  const freeze = await lookups.freezeByRequestNo(preRequestNo);
  if (freeze === null) return BankRefusals.freezeNotFound(preRequestNo);
  if (freeze.bizType !== 'REPAYMENT') return BankRefusals.freezeOfOtherKind(preRequestNo, freeze.bizType);
  await lockProjectOfFreeze(tx, freeze);
  const pending = await openPendingTransfer(tx, freeze.transferId);
  if (pending === 'SETTLED') return BankRefusals.freezeAlreadySettled(preRequestNo);
  return { freeze, pending };
}

/** The freeze posted into the escrow, which pays each investor their share and the platform its commission. */
function payoutTransfers(
  command: ConfirmRepaymentCommand,
  pending: PendingTransfer,
  investors: ReadonlyMap<string, BankUser>,
  platformFeeAccountId: string,
): TransferRequest[] {
  const escrowId = pending.creditAccountId;
  const requests: TransferRequest[] = [{ kind: 'POST_PENDING', id: newId(), pending, amountFen: pending.amountFen }];
  for (const share of command.details) {
    const amountFen = share.principalFen + share.interestFen;
    if (amountFen > 0n)
      requests.push({
        kind: 'POSTED',
        id: newId(),
        debitAccountId: escrowId,
        creditAccountId: investors.get(share.userNo)!.accountId,
        amountFen,
      });
  }
  if (command.commissionFen > 0n)
    requests.push({
      kind: 'POSTED',
      id: newId(),
      debitAccountId: escrowId,
      creditAccountId: platformFeeAccountId,
      amountFen: command.commissionFen,
    });
  return requests;
}

async function repaymentTransfers(
  lookups: StableLookups,
  command: ConfirmRepaymentCommand,
  pending: PendingTransfer,
): Promise<TransferRequest[] | Outcome> {
  const investors = await lookups.usersByNo(command.details.map((share) => share.userNo));
  const unknown = command.details.find((share) => !investors.has(share.userNo));
  if (unknown !== undefined) return BankRefusals.userNotFound(unknown.userNo);
  return payoutTransfers(command, pending, investors, await lookups.platformFeeAccountId());
}

function confirmedOutcome(command: ConfirmRepaymentCommand): Outcome {
  return succeeded({
    preRequestNo: command.preRequestNo,
    amountFen: fenText(repaymentTotalFen(command)),
    commissionFen: fenText(command.commissionFen),
    detailCount: command.details.length,
  });
}

/**
 * Settles a borrower's REPAYMENT freeze, all or nothing: the freeze is posted into the project escrow,
 * which pays each investor their principal and interest and the platform its commission. The parts
 * must add up to the freeze exactly, or the request is refused (00003) and nothing moves.
 */
export const confirmRepayment: DirectService<ConfirmRepaymentCommand> = {
  parse(fields: RequestFields): ConfirmRepaymentCommand {
    return {
      preRequestNo: fields.reference('preRequestNo'),
      details: fields.list('details', REPAYMENT_DETAILS_MAX).map(parseShare),
      commissionFen: fields.amountFen('commissionFen', 'zeroOrMore'),
    };
  },

  async execute({ tx, requestNo, lookups }, command) {
    const open = await openRepaymentFreeze(tx, lookups, command.preRequestNo);
    if ('code' in open) return open;
    const totalFen = repaymentTotalFen(command);
    if (totalFen !== open.pending.amountFen) {
      return BankRefusals.badParameter(
        'details',
        `Σ(principal + interest) + commission is ${totalFen}, the freeze holds ${open.pending.amountFen}`,
      );
    }
    const requests = await repaymentTransfers(lookups, command, open.pending);
    if (!Array.isArray(requests)) return requests;
    const paid = await applyTransfers(tx, requests, requestNo);
    if (!paid.applied) return outcomeOfLedgerRefusal(paid.refusal, paid.account);
    return withPostings(confirmedOutcome(command), paid.postings);
  },

  together(known, command) {
    const freeze = known.freeze(command.preRequestNo);
    if (freeze === undefined || freeze.bizType !== 'REPAYMENT' || repaymentTotalFen(command) !== freeze.amountFen)
      return null;
    const borrower = known.user(freeze.userNo);
    const project = known.project(freeze.projectNo);
    if (borrower === undefined || project === undefined) return null;
    const investors = new Map<string, BankUser>();
    for (const { userNo } of command.details) {
      const investor = known.user(userNo);
      if (investor === undefined) return null;
      investors.set(userNo, investor);
    }
    // The freeze's PENDING transfer as USER_AUTO_PRE_TRANSACTION made it; checked against the stored one before use.
    const pending: PendingTransfer = {
      id: freeze.transferId,
      debitAccountId: borrower.accountId,
      creditAccountId: project.accountId,
      amountFen: freeze.amountFen,
    };
    return {
      projectNo: freeze.projectNo,
      projectStatuses: BANK_PROJECT_STATUSES,
      settles: pending,
      transfers: payoutTransfers(command, pending, investors, known.feeAccountId),
      freeze: null,
      outcome: confirmedOutcome(command),
    };
  },
};
