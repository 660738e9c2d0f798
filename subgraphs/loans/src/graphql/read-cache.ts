import type { SubgraphDefinition } from '@wanxin/platform';
import { Loan } from '../entities/loan.entity';

/** The loan's own columns; viewerIsParty reads who asks, and so is left out. */
const LOAN_COLUMN_FIELDS =
  'id loanNo title description amount annualRate investorRate termMonths repaymentMethod status createdAt openedAt ' +
  'borrower rejectReason cancelReason failReason';

/**
 * What the gateway may keep of loans' answers: the listing and its loans' own columns (each read from the loan
 * row, the viewer only through the context). A loan's row changing stamps `Loan:<id>` and loans' lists.
 */
export const LOANS_READ_CACHE: SubgraphDefinition['readCache'] = {
  cacheableFields: [
    'Query.loans',
    'Query.loan',
    'LoanConnection.*',
    'LoanEdge.*',
    'PageInfo.*',
    'User.id',
    ...LOAN_COLUMN_FIELDS.split(' ').map((field) => `Loan.${field}`),
  ],
  changeTags: [
    { entity: Loan, tagsOf: (loan: Partial<Loan>) => (loan.id === undefined ? undefined : [`Loan:${loan.id}`]) },
  ],
};
