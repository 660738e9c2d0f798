import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, MoneyScalar, RateScalar, type RepaymentMethod } from '@wanxin/platform';
import type { LoanStatus } from '../domain/loan-status';
import { LoanStatusEnum } from './loan-status.enum';
import { RepaymentMethodEnum } from '@wanxin/platform';

/**
 * A loan listing. Each field reads the `Loan` entity property of the same name (`amount` reads
 * `amountFen`); `borrower`, `rejectReason`, `failReason` and `cancelReason` are resolved in loan.resolver.ts.
 */
@Directive('@key(fields: "id")')
@ObjectType('Loan', {
  description:
    'A loan listing: a borrower asks for `amount` over `termMonths`; investors fund it with bids frozen at the ' +
    'custodian bank, which pays it out and collects the installments. Public from FUNDRAISING on (and FAILED); ' +
    'under review or rejected, only its borrower and admins see it.',
})
export class LoanNode {
  @Field(() => ID, { description: "The loan's id." })
  id!: string;

  @Field(() => String, { description: 'The number the custodian bank knows the loan by (its project number).' })
  loanNo!: string;

  @Field(() => String, { description: 'A short headline, 1 to 100 characters.' })
  title!: string;

  @Field(() => String, {
    nullable: true,
    description: "What the money is for, in the borrower's words; null when none was given.",
  })
  description!: string | null;

  @Field(() => MoneyScalar, {
    name: 'amount',
    description: 'The principal the borrower asks for, and receives once it is funded and paid out.',
  })
  amountFen!: bigint;

  @Field(() => RateScalar, { name: 'annualRate', description: 'What the borrower pays a year.' })
  annualRateMicros!: number;

  @Field(() => RateScalar, { name: 'investorRate', description: 'What investors earn a year.' })
  investorRateMicros!: number;

  @Field(() => Int, { description: 'Months until the last installment falls due.' })
  termMonths!: number;

  @Field(() => RepaymentMethodEnum, { description: 'How the installments spread principal and interest.' })
  repaymentMethod!: RepaymentMethod;

  @Field(() => LoanStatusEnum, { description: 'Where the loan is in its lifecycle.' })
  status!: LoanStatus;

  @Field(() => DateTimeScalar, { description: 'Wall-clock audit stamp (UTC): when the application was filed.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'Wall-clock audit stamp (UTC): when it opened for bids; the funding window counts from here.',
  })
  openedAt!: Date | null;
}
