import { CommonErrors } from '@wanxin/platform';

/** Every error the loans subgraph shows a client. */
export const LoanErrors = {
  invalidId: (id: string) => CommonErrors.badInput('id', `"${id}" is not a loan id`),
  /** Also what a viewer gets for a loan they may not see: its existence is not revealed. */
  notFound: (id: string) => CommonErrors.notFound('Loan', id),
};
