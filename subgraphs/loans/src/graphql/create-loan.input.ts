import { Field, InputType, Int } from 'type-graphql';
import { MoneyScalar, RateScalar, type RepaymentMethod } from '@wanxin/platform';
import { RepaymentMethodEnum } from '@wanxin/platform';

@InputType({ description: "A loan to publish: the borrower's terms. It waits in PENDING_REVIEW for an admin." })
export class CreateLoanInput {
  @Field(() => String, { description: '1 to 100 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'What the money is for; at most 5000 characters.' })
  description?: string | null;

  @Field(() => MoneyScalar, { description: '2000.00 up to your credit line, in steps of 100.00.' })
  amount!: bigint;

  @Field(() => Int, { description: '3 to 36 months; DAILY allows 1 to 36.' })
  termMonths!: number;

  @Field(() => RepaymentMethodEnum, { description: 'How the installments spread principal and interest.' })
  repaymentMethod!: RepaymentMethod;

  @Field(() => RateScalar, {
    nullable: true,
    description:
      "What the borrower pays a year: from their credit line's rate up to the legal ceiling; the line's rate when omitted.",
  })
  annualRate?: number | null;
}
