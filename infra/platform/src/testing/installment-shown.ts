/**
 * One installment of a loan's schedule as the GraphQL API answers it (`Loan.schedule`, money as decimal
 * strings): what the repayments subgraph's tests and the end-to-end suites read back.
 */
export interface InstallmentShown {
  id: string;
  period: number;
  dueDate: string;
  principal: string;
  interest: string;
  amount: string;
  status: string;
  penalty: string;
  repaidAt: string | null;
}
