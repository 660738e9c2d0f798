import { insertRows, newId, type EntityManager } from '@wanxin/platform';
import type { TransferRequest } from '../domain/ledger';
import { BankRefusals, succeeded, withPostings, type Outcome } from '../domain/outcomes';
import { REPAYMENT_OPEN_STATUSES, TENDER_OPEN_STATUSES } from '../domain/project-status';
import type { RequestFields } from '../domain/request-fields';
import { BankFreeze } from '../entities/bank-freeze.entity';
import type { BankProject } from '../entities/bank-project.entity';
import type { BankUser } from '../entities/bank-user.entity';
import {
  fenText,
  PRE_TRANSACTION_BIZ_TYPES,
  type BankProjectStatus,
  type PreTransactionBizType,
} from '@wanxin/platform/bank-protocol';
import { applyTransfers } from './ledger-store';
import { outcomeOfLedgerRefusal } from './ledger-refusals';
import { currentProjectStatus, touchProjectWhile } from './project-store';
import type { DirectService } from './service-types';

export interface PreTransactionCommand {
  userNo: string;
  projectNo: string;
  bizType: PreTransactionBizType;
  amountFen: bigint;
}

/** Who may freeze for a project: an investor other than the borrower tenders; only the borrower repays. */
function holderRefusal(command: PreTransactionCommand, project: BankProject): Outcome | null {
  const isBorrower = command.userNo === project.borrowerUserNo;
  if (command.bizType === 'TENDER' && isBorrower)
    return BankRefusals.badParameter('userNo', 'the borrower cannot tender for their own project');
  if (command.bizType === 'REPAYMENT' && !isBorrower)
    return BankRefusals.badParameter('userNo', 'only the borrower repays a project');
  return null;
}

function openStatusesFor(bizType: PreTransactionBizType): readonly BankProjectStatus[] {
  return bizType === 'TENDER' ? TENDER_OPEN_STATUSES : REPAYMENT_OPEN_STATUSES;
}

function freezeTransfer(transferId: string, user: BankUser, project: BankProject, amountFen: bigint): TransferRequest {
  return {
    kind: 'PENDING',
    id: transferId,
    debitAccountId: user.accountId,
    creditAccountId: project.accountId,
    amountFen,
  };
}

function frozenOutcome(command: PreTransactionCommand): Outcome {
  return succeeded({
    userNo: command.userNo,
    projectNo: command.projectNo,
    bizType: command.bizType,
    amountFen: fenText(command.amountFen),
  });
}

async function freeze(
  tx: EntityManager,
  requestNo: string,
  command: PreTransactionCommand,
  user: BankUser,
  project: BankProject,
): Promise<Outcome> {
  const transferId = newId();
  const frozen = await applyTransfers(tx, [freezeTransfer(transferId, user, project, command.amountFen)], requestNo);
  if (!frozen.applied) return outcomeOfLedgerRefusal(frozen.refusal, frozen.account);
  await insertRows(tx, BankFreeze, [{ transferId, requestNo, ...command, createdAt: new Date() }]);
  return withPostings(frozenOutcome(command), frozen.postings);
}

/**
 * A freeze (USER_AUTO_PRE_TRANSACTION): a PENDING transfer from the user's account into the project's
 * escrow. TENDER while the project is FUNDRAISING, REPAYMENT while it is REPAYING. Not enough available
 * balance → 30042 and nothing is frozen.
 */
export const userAutoPreTransaction: DirectService<PreTransactionCommand> = {
  parse(fields: RequestFields): PreTransactionCommand {
    return {
      userNo: fields.reference('userNo'),
      projectNo: fields.reference('projectNo'),
      bizType: fields.oneOf('bizType', PRE_TRANSACTION_BIZ_TYPES),
      amountFen: fields.amountFen('amountFen', 'positive'),
    };
  },

  async execute({ tx, requestNo, lookups }, command) {
    const user = await lookups.userByNo(command.userNo);
    if (user === null) return BankRefusals.userNotFound(command.userNo);
    const project = await lookups.projectByNo(command.projectNo);
    if (project === null) return BankRefusals.projectNotFound(command.projectNo);
    const refusal = holderRefusal(command, project);
    if (refusal !== null) return refusal;
    if (!(await touchProjectWhile(tx, project.id, openStatusesFor(command.bizType)))) {
      const status = await currentProjectStatus(tx, project.id);
      return BankRefusals.projectStatusRefuses(command.projectNo, status, `it takes no ${command.bizType} freeze`);
    }
    return freeze(tx, requestNo, command, user, project);
  },

  together(known, command, requestNo) {
    const user = known.user(command.userNo);
    const project = known.project(command.projectNo);
    if (user === undefined || project === undefined || holderRefusal(command, project) !== null) return null;
    const transferId = newId();
    return {
      projectNo: command.projectNo,
      projectStatuses: openStatusesFor(command.bizType),
      settles: null,
      transfers: [freezeTransfer(transferId, user, project, command.amountFen)],
      freeze: { transferId, requestNo, ...command },
      outcome: frozenOutcome(command),
    };
  },
};
