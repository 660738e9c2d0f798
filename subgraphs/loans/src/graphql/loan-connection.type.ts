import { connectionType } from '@wanxin/platform';
import { LoanNode } from './loan.type';

/** `LoanConnection` and `LoanEdge`: pages of loans, newest first. */
export const LoanConnection = connectionType('Loan', LoanNode);
