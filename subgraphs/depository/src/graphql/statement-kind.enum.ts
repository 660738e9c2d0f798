import { registerEnumType } from 'type-graphql';
import type { StatementKind } from '../domain/statement';

/** GraphQL's view of `StatementKind`: the compiler checks it lists exactly the domain's kinds. */
export const StatementKindEnum = {
  RECHARGE: 'RECHARGE',
  WITHDRAW: 'WITHDRAW',
  BID_FROZEN: 'BID_FROZEN',
  BID_RELEASED: 'BID_RELEASED',
  LOAN_PAYOUT: 'LOAN_PAYOUT',
  REPAYMENT_FROZEN: 'REPAYMENT_FROZEN',
  REPAYMENT_RELEASED: 'REPAYMENT_RELEASED',
  REPAYMENT: 'REPAYMENT',
  RECEIPT: 'RECEIPT',
  TRANSFER_BOUGHT: 'TRANSFER_BOUGHT',
  TRANSFER_SOLD: 'TRANSFER_SOLD',
  FEE: 'FEE',
} as const satisfies { [Kind in StatementKind]: Kind };

registerEnumType(StatementKindEnum, {
  name: 'StatementKind',
  description: 'What moved the money of a statement entry, in business terms.',
  valuesConfig: {
    RECHARGE: { description: 'Money in from the bound card.' },
    WITHDRAW: { description: 'Money out to the bound card.' },
    BID_FROZEN: { description: "A bid's amount frozen: available down, frozen up, the user's money unchanged." },
    BID_RELEASED: { description: "A bid's freeze released (bid cancelled or loan failed): frozen back to available." },
    LOAN_PAYOUT: {
      description: "A loan paid out: the investor's frozen bid leaves, the borrower receives the loan less its fee.",
    },
    REPAYMENT_FROZEN: { description: "An installment's collection frozen on the borrower's account." },
    REPAYMENT_RELEASED: { description: "A collection's freeze released without paying: frozen back to available." },
    REPAYMENT: { description: "The borrower's frozen installment paid to the investors." },
    RECEIPT: { description: "An investor's share of a repayment: principal and interest (penalty included)." },
    TRANSFER_BOUGHT: { description: 'A claim bought on the transfer market.' },
    TRANSFER_SOLD: { description: 'A claim sold on the transfer market.' },
    FEE: { description: 'A fee the platform charged.' },
  },
});
