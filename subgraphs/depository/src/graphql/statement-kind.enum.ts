import { registerDescribedEnum } from '@wanxin/platform';
import type { StatementKind } from '../domain/statement';

/** GraphQL's view of `StatementKind`: the compiler checks it lists exactly the domain's kinds. */
export const StatementKindEnum = registerDescribedEnum<StatementKind>(
  'StatementKind',
  'What moved the money of a statement entry, in business terms.',
  {
    RECHARGE: 'Money in from the bound card.',
    WITHDRAW: 'Money out to the bound card.',
    BID_FROZEN: "A bid's amount frozen: available down, frozen up, the user's money unchanged.",
    BID_RELEASED: "A bid's freeze released (bid cancelled or loan failed): frozen back to available.",
    LOAN_PAYOUT: "A loan paid out: the investor's frozen bid leaves, the borrower receives the loan less its fee.",
    REPAYMENT_FROZEN: "An installment's collection frozen on the borrower's account.",
    REPAYMENT_RELEASED: "A collection's freeze released without paying: frozen back to available.",
    REPAYMENT: "The borrower's frozen installment paid to the investors.",
    RECEIPT: "An investor's share of a repayment: principal and interest (penalty included).",
    TRANSFER_BOUGHT: 'A claim bought on the transfer market.',
    TRANSFER_SOLD: 'A claim sold on the transfer market.',
    FEE: 'A fee the platform charged.',
  },
);
