import { subscribeTo } from '@wanxin/platform';
import { InstallmentRepaid } from '@wanxin/platform/contracts';
import { Loan } from '../entities/loan.entity';
import { returnLoanCredit } from '../operations/credit-line';

/**
 * `repayments.installment.repaid` → its principal restores the borrower's credit line, at most what the
 * loan still holds (the loan's settlement gives back any rest). Once per message through the inbox, and
 * conditional on what the loan held when read, so a concurrent restoration of the same loan makes this
 * one fail and be redelivered rather than count twice. A payload without `principalFen` (a publisher
 * older than the field) restores nothing here.
 */
export const creditOnInstallmentRepaid = subscribeTo(
  InstallmentRepaid,
  'credit-on-installment-repaid',
  async (em, { loanId, principalFen }) => {
    if (principalFen === undefined) return;
    const loan = await em.findOne(Loan, { id: loanId }, { refresh: true });
    if (loan === null) throw new Error(`repayments.installment.repaid: loan ${loanId} does not exist`);
    await returnLoanCredit(em, loan, { kind: 'PRINCIPAL', repaidPrincipalFen: BigInt(principalFen) }, {});
  },
);
