import { newId } from '@wanxin/platform';
import { AccountRefs } from '../domain/account-refs';
import { BankRefusals, succeeded } from '../domain/outcomes';
import type { RequestFields } from '../domain/request-fields';
import { BankProject } from '../entities/bank-project.entity';
import { fenText } from '@wanxin/platform/bank-protocol';
import { openAccount } from './ledger-store';
import { projectByNo, userByNo } from './lookups';
import type { DirectService } from './service-types';

export interface CreateProjectCommand {
  projectNo: string;
  borrowerUserNo: string;
  amountFen: bigint;
  name: string;
}

/** Registers a loan project of a registered borrower and opens its escrow account; it starts FUNDRAISING. */
export const createProject: DirectService<CreateProjectCommand> = {
  parse(fields: RequestFields): CreateProjectCommand {
    return {
      projectNo: fields.reference('projectNo'),
      borrowerUserNo: fields.reference('borrowerUserNo'),
      amountFen: fields.amountFen('amountFen', 'positive'),
      name: fields.text('name', 200),
    };
  },

  async execute({ tx }, command) {
    if ((await userByNo(tx, command.borrowerUserNo)) === null) return BankRefusals.userNotFound(command.borrowerUserNo);
    if ((await projectByNo(tx, command.projectNo)) !== null)
      return BankRefusals.projectAlreadyExists(command.projectNo);
    const accountId = await openAccount(tx, AccountRefs.project(command.projectNo));
    const now = new Date();
    await tx.insert(BankProject, {
      id: newId(),
      ...command,
      status: 'FUNDRAISING',
      accountId,
      version: 0,
      createdAt: now,
      updatedAt: now,
    });
    return succeeded({ projectNo: command.projectNo, status: 'FUNDRAISING', amountFen: fenText(command.amountFen) });
  },
};
