import { newId } from '@wanxin/platform';
import type { TransferRequest } from '../domain/ledger';
import { BankRefusals, succeeded, withPostings, type Outcome } from '../domain/outcomes';
import { CLAIM_ASSIGNABLE_STATUSES } from '../domain/project-status';
import { ParameterError, type RequestFields } from '../domain/request-fields';
import { creditAssignmentProblem, fenText, type CreditAssignmentTerms } from '@wanxin/platform/bank-protocol';
import { applyTransfersInOrder } from './ledger-store';
import { outcomeOfLedgerRefusal } from './ledger-refusals';
import { currentProjectStatus, touchProjectWhile } from './project-store';
import type { DirectService } from './service-types';

export interface CreditAssignmentCommand extends CreditAssignmentTerms {
  projectNo: string;
}

/** The ledger accounts a claim transfer moves money between. */
export interface AssignmentAccounts {
  buyerAccountId: string;
  sellerAccountId: string;
  platformFeeAccountId: string;
}

/**
 * A claim transfer's transfers, as groups applied in order: the buyer pays the seller the price, then the
 * seller pays the platform the fee (no second group when the fee is 0). Two groups, so the seller's
 * account takes two postings and the statement shows the price and the fee apart; one request, so both
 * commit or neither does.
 */
export function assignmentTransferGroups(
  accounts: AssignmentAccounts,
  terms: Pick<CreditAssignmentTerms, 'amountFen' | 'feeFen'>,
  nextId: () => string = newId,
): TransferRequest[][] {
  const { buyerAccountId, sellerAccountId, platformFeeAccountId } = accounts;
  const price: TransferRequest = {
    kind: 'POSTED',
    id: nextId(),
    debitAccountId: buyerAccountId,
    creditAccountId: sellerAccountId,
    amountFen: terms.amountFen,
  };
  if (terms.feeFen === 0n) return [[price]];
  const fee: TransferRequest = {
    kind: 'POSTED',
    id: nextId(),
    debitAccountId: sellerAccountId,
    creditAccountId: platformFeeAccountId,
    amountFen: terms.feeFen,
  };
  return [[price], [fee]];
}

/** The answer names the parties and the figures: the price (what reconciliation matches), fee and seller's part. */
function assignedOutcome({
  projectNo,
  sellerUserNo,
  buyerUserNo,
  amountFen,
  feeFen,
}: CreditAssignmentCommand): Outcome {
  return succeeded({
    projectNo,
    sellerUserNo,
    buyerUserNo,
    amountFen: fenText(amountFen),
    feeFen: fenText(feeFen),
    sellerFen: fenText(amountFen - feeFen),
  });
}

/**
 * CREDIT_ASSIGNMENT: an investor's claim on a REPAYING project sold to another, settled all or nothing —
 * the buyer's available balance pays the price, the seller gets it less the fee, the platform the fee.
 * Malformed terms → 00003; an unknown seller, buyer or project → 30010; a project not REPAYING → 00003;
 * the buyer short of the price → 30042. A refusal moves nothing. The project row is touched first (as
 * every write on a project), so an assignment and the project's settlement never cross.
 */
export const creditAssignment: DirectService<CreditAssignmentCommand> = {
  parse(fields: RequestFields): CreditAssignmentCommand {
    const command = {
      projectNo: fields.reference('projectNo'),
      sellerUserNo: fields.reference('sellerUserNo'),
      buyerUserNo: fields.reference('buyerUserNo'),
      amountFen: fields.amountFen('amountFen', 'positive'),
      feeFen: fields.amountFen('feeFen', 'zeroOrMore'),
    };
    const problem = creditAssignmentProblem(command);
    if (problem !== null) throw new ParameterError(problem.field, problem.reason);
    return command;
  },

  async execute({ tx, requestNo, lookups }, command) {
    const parties = await lookups.usersByNo([command.sellerUserNo, command.buyerUserNo]);
    const seller = parties.get(command.sellerUserNo);
    const buyer = parties.get(command.buyerUserNo);
    if (seller === undefined) return BankRefusals.userNotFound(command.sellerUserNo);
    if (buyer === undefined) return BankRefusals.userNotFound(command.buyerUserNo);
    const project = await lookups.projectByNo(command.projectNo);
    if (project === null) return BankRefusals.projectNotFound(command.projectNo);
    if (!(await touchProjectWhile(tx, project.id, CLAIM_ASSIGNABLE_STATUSES))) {
      const status = await currentProjectStatus(tx, project.id);
      return BankRefusals.projectStatusRefuses(command.projectNo, status, 'its claims cannot be assigned');
    }
    const accounts = {
      buyerAccountId: buyer.accountId,
      sellerAccountId: seller.accountId,
      platformFeeAccountId: await lookups.platformFeeAccountId(),
    };
    const moved = await applyTransfersInOrder(tx, assignmentTransferGroups(accounts, command), requestNo);
    if (!moved.applied) return outcomeOfLedgerRefusal(moved.refusal, moved.account);
    return withPostings(assignedOutcome(command), moved.postings);
  },
};
