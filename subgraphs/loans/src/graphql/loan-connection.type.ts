import { connectionType } from '@wanxin/platform';
import { LoanNode } from './loan.type';

/** `LoanConnection` and `LoanEdge`: pages of loans, in the order the list was asked for (newest first by default). */
export const LoanConnection = connectionType('Loan', LoanNode);
