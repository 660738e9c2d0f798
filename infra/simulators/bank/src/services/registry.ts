import type { BankServiceName } from '@wanxin/platform/bank-protocol';
import { cancelPageRequest } from './cancel-page-request';
import { cancelPreTransaction } from './cancel-pre-transaction';
import { confirmLoan } from './confirm-loan';
import { confirmRepayment } from './confirm-repayment';
import { createProject } from './create-project';
import { creditAssignment } from './credit-assignment';
import { modifyProject } from './modify-project';
import { personalRegister } from './personal-register';
import { userAutoPreTransaction } from './pre-transaction';
import { queryBalance, queryReconciliation, queryRequest } from './queries';
import { recharge } from './recharge';
import type { DirectService, PageService, QueryService } from './service-types';
import { withdraw } from './withdraw';

export type ServiceEntry =
  | { kind: 'PAGE'; service: PageService<{ userNo: string }> }
  | { kind: 'DIRECT'; service: DirectService<unknown> }
  | { kind: 'QUERY'; service: QueryService<unknown> }
  /** Direct services' requests under one signature, each applied as if alone. */
  | { kind: 'BATCH' };

/** Every service the bank offers, by name: the compiler checks none is missing. */
export const BANK_SERVICES: Record<BankServiceName, ServiceEntry> = {
  PERSONAL_REGISTER: { kind: 'PAGE', service: personalRegister },
  RECHARGE: { kind: 'PAGE', service: recharge },
  WITHDRAW: { kind: 'PAGE', service: withdraw },
  CREATE_PROJECT: { kind: 'DIRECT', service: createProject },
  MODIFY_PROJECT: { kind: 'DIRECT', service: modifyProject },
  USER_AUTO_PRE_TRANSACTION: { kind: 'DIRECT', service: userAutoPreTransaction },
  CANCEL_PRE_TRANSACTION: { kind: 'DIRECT', service: cancelPreTransaction },
  CANCEL_PAGE_REQUEST: { kind: 'DIRECT', service: cancelPageRequest },
  CONFIRM_LOAN: { kind: 'DIRECT', service: confirmLoan },
  CONFIRM_REPAYMENT: { kind: 'DIRECT', service: confirmRepayment },
  CREDIT_ASSIGNMENT: { kind: 'DIRECT', service: creditAssignment },
  BATCH_TRANSACTION: { kind: 'BATCH' },
  QUERY_REQUEST: { kind: 'QUERY', service: queryRequest },
  QUERY_BALANCE: { kind: 'QUERY', service: queryBalance },
  QUERY_RECONCILIATION: { kind: 'QUERY', service: queryReconciliation },
};
