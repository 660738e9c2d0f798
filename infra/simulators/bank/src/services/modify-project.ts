import { BankRefusals, succeeded } from '../domain/outcomes';
import { modifiableTo } from '../domain/project-status';
import type { RequestFields } from '../domain/request-fields';
import { BANK_PROJECT_STATUSES, type BankProjectStatus } from '@wanxin/platform/bank-protocol';
import { projectByNo } from './lookups';
import { touchProjectWhile } from './project-store';
import { ConcurrentChange } from './runtime';
import type { DirectService } from './service-types';

export interface ModifyProjectCommand {
  projectNo: string;
  status: BankProjectStatus;
}

/** Moves a project along its life (domain/project-status.ts); the status it already has is a no-op success. */
export const modifyProject: DirectService<ModifyProjectCommand> = {
  parse(fields: RequestFields): ModifyProjectCommand {
    return { projectNo: fields.reference('projectNo'), status: fields.oneOf('status', BANK_PROJECT_STATUSES) };
  },

  async execute({ tx }, command) {
    const project = await projectByNo(tx, command.projectNo);
    if (project === null) return BankRefusals.projectNotFound(command.projectNo);
    if (project.status === command.status) return succeeded({ projectNo: command.projectNo, status: command.status });
    if (!modifiableTo(project.status).includes(command.status)) {
      return BankRefusals.projectStatusRefuses(command.projectNo, project.status, `it cannot become ${command.status}`);
    }
    // Changed since it was read: run again and decide on what is there now.
    if (!(await touchProjectWhile(tx, project.id, [project.status], command.status))) throw new ConcurrentChange();
    return succeeded({ projectNo: command.projectNo, status: command.status });
  },
};
