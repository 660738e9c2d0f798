import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, MoneyScalar, RateScalar } from '@wanxin/platform';
import type { LoanStatus } from '../domain/loan-status';
import type { RepaymentMethod } from '../domain/repayment-method';
import { LoanStatusEnum } from './loan-status.enum';
import { RepaymentMethodEnum } from '@wanxin/platform';

/**
 * A loan listing. Each field reads the `Loan` entity property of the same name (`amount` reads
 * `amountFen`); `borrower`, `rejectReason` and `failReason` are resolved in loan.resolver.ts.
 */
@Directive('@key(fields: "id")')
@ObjectType('Loan')
export class LoanNode {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  loanNo!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => MoneyScalar, { name: 'amount' })
  amountFen!: bigint;

  @Field(() => RateScalar, { name: 'annualRate', description: 'What the borrower pays a year.' })
  annualRateMicros!: number;

  @Field(() => RateScalar, { name: 'investorRate', description: 'What investors earn a year.' })
  investorRateMicros!: number;

  @Field(() => Int)
  termMonths!: number;

  @Field(() => RepaymentMethodEnum)
  repaymentMethod!: RepaymentMethod;

  @Field(() => LoanStatusEnum)
  status!: LoanStatus;

  @Field(() => DateTimeScalar, { description: 'Wall-clock audit stamp (UTC): when the application was filed.' })
  createdAt!: Date;

  @Field(() => DateTimeScalar, { nullable: true, description: 'Wall-clock audit stamp (UTC): when it opened for bids; the funding window counts from here.' })
  openedAt!: Date | null;
}
