import { unreachable } from '@wanxin/platform';
import type { BankProjectStatus } from '@wanxin/platform/bank-protocol';

/**
 * A project's life at the bank. TENDER freezes are taken only while FUNDRAISING; CONFIRM_LOAN pays out
 * from FUNDRAISING or FULLY_FUNDED and moves the project to REPAYING; REPAYMENT freezes need REPAYING.
 * CREDIT_ASSIGNMENT moves an investor's claim only while the project is REPAYING.
 * MODIFY_PROJECT makes the other moves; asking for the status a project already has is a no-op.
 */
export function modifiableTo(from: BankProjectStatus): readonly BankProjectStatus[] {
  switch (from) {
    case 'FUNDRAISING':
      return ['FULLY_FUNDED', 'FAILED'];
    case 'FULLY_FUNDED':
      return ['FUNDRAISING', 'FAILED'];
    case 'REPAYING':
      return ['SETTLED'];
    case 'SETTLED':
    case 'FAILED':
      return [];
    default:
      return unreachable(from, 'project status');
  }
}

export const TENDER_OPEN_STATUSES: readonly BankProjectStatus[] = ['FUNDRAISING'];
export const LOAN_CONFIRMABLE_STATUSES: readonly BankProjectStatus[] = ['FUNDRAISING', 'FULLY_FUNDED'];
export const REPAYMENT_OPEN_STATUSES: readonly BankProjectStatus[] = ['REPAYING'];
export const CLAIM_ASSIGNABLE_STATUSES: readonly BankProjectStatus[] = ['REPAYING'];
