import { assert, newId, type EntityManager } from '@wanxin/platform';
import { PLATFORM_FEE_REF } from '../domain/account-refs';
import type { PendingTransfer, TransferRequest } from '../domain/ledger';
import { BankRefusals, succeeded, withPostings, type Outcome } from '../domain/outcomes';
import { LOAN_CONFIRMABLE_STATUSES } from '../domain/project-status';
import type { RequestFields } from '../domain/request-fields';
import type { BankProject } from '../entities/bank-project.entity';
import { fenText } from '@wanxin/platform/bank-protocol';
import { accountByRef, applyTransfers, pendingTransfers } from './ledger-store';
import { outcomeOfLedgerRefusal } from './ledger-refusals';
import { projectByNo, userByNo } from './lookups';
import { currentProjectStatus, touchProjectWhile } from './project-store';
import type { DirectService } from './service-types';
import { selectOpenTenderFreezeIds } from '../store';

export interface ConfirmLoanCommand {
  projectNo: string;
  feeFen: bigint;
}

/** A payout settles at most this many bids in its one group (the ledger takes 10,000 transfers a group). */
export const LOAN_FREEZES_MAX = 5000;

/** The project's TENDER freezes that no settlement names yet. */
async function openTenderFreezes(tx: EntityManager, projectNo: string): Promise<PendingTransfer[]> {
  const ids = await selectOpenTenderFreezeIds(tx, projectNo, LOAN_FREEZES_MAX + 1);
  const pendings = await pendingTransfers(tx, ids);
  assert(pendings.size === ids.length, `project ${projectNo}: a freeze has no PENDING transfer`);
  return ids.map((id) => pendings.get(id)!);
}

async function payoutTransfers(
  tx: EntityManager,
  project: BankProject,
  freezes: PendingTransfer[],
  feeFen: bigint,
): Promise<TransferRequest[]> {
  const totalFen = freezes.reduce((sum, freeze) => sum + freeze.amountFen, 0n);
  const borrower = await userByNo(tx, project.borrowerUserNo);
  const platformFee = await accountByRef(tx, PLATFORM_FEE_REF);
  assert(borrower !== null, `project ${project.projectNo}: its borrower has no account`);
  assert(platformFee !== null, 'the PLATFORM_FEE account is opened at start');
  const requests: TransferRequest[] = freezes.map((pending) => ({
    kind: 'POST_PENDING',
    id: newId(),
    pending,
    amountFen: pending.amountFen,
  }));
  if (totalFen > feeFen)
    requests.push({
      kind: 'POSTED',
      id: newId(),
      debitAccountId: project.accountId,
      creditAccountId: borrower.accountId,
      amountFen: totalFen - feeFen,
    });
  if (feeFen > 0n)
    requests.push({
      kind: 'POSTED',
      id: newId(),
      debitAccountId: project.accountId,
      creditAccountId: platformFee.id,
      amountFen: feeFen,
    });
  return requests;
}

async function confirm(tx: EntityManager, requestNo: string, project: BankProject, feeFen: bigint): Promise<Outcome> {
  const freezes = await openTenderFreezes(tx, project.projectNo);
  if (freezes.length === 0) return BankRefusals.nothingToConfirm(project.projectNo);
  if (freezes.length > LOAN_FREEZES_MAX)
    return BankRefusals.badRequest(`a payout settles at most ${LOAN_FREEZES_MAX} freezes`);
  const totalFen = freezes.reduce((sum, freeze) => sum + freeze.amountFen, 0n);
  if (feeFen > totalFen) return BankRefusals.badParameter('feeFen', `${feeFen} is above the loan total ${totalFen}`);
  const paid = await applyTransfers(tx, await payoutTransfers(tx, project, freezes, feeFen), requestNo);
  if (!paid.applied) return outcomeOfLedgerRefusal(paid.refusal, paid.account);
  const confirmed = succeeded({
    projectNo: project.projectNo,
    loanFen: fenText(totalFen),
    feeFen: fenText(feeFen),
    borrowerFen: fenText(totalFen - feeFen),
    freezeCount: freezes.length,
  });
  return withPostings(confirmed, paid.postings);
}

/**
 * The payout, all or nothing: every open TENDER freeze of the project is posted into its escrow, the
 * escrow pays the borrower the total less the fee and the platform the fee, and the project becomes
 * REPAYING. The status change comes first: it waits for freezes in flight and stops later ones.
 */
export const confirmLoan: DirectService<ConfirmLoanCommand> = {
  parse(fields: RequestFields): ConfirmLoanCommand {
    return { projectNo: fields.reference('projectNo'), feeFen: fields.amountFen('feeFen', 'zeroOrMore') };
  },

  async execute({ tx, requestNo }, command) {
    const project = await projectByNo(tx, command.projectNo);
    if (project === null) return BankRefusals.projectNotFound(command.projectNo);
    if (!(await touchProjectWhile(tx, project.id, LOAN_CONFIRMABLE_STATUSES, 'REPAYING'))) {
      const status = await currentProjectStatus(tx, project.id);
      return BankRefusals.projectStatusRefuses(command.projectNo, status, 'its loan cannot be confirmed');
    }
    return confirm(tx, requestNo, project, command.feeFen);
  },
};
