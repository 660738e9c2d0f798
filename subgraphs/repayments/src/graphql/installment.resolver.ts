import { FieldResolver, Resolver, Root } from 'type-graphql';
import { MoneyScalar } from '@wanxin/platform';
import { installmentAmountFen } from '../domain/installment-amount';
import { Installment } from '../entities/installment.entity';
import { InstallmentNode } from './installment.type';

@Resolver(() => InstallmentNode)
export class InstallmentResolver {
  @FieldResolver(() => MoneyScalar, { description: 'Principal plus interest; the penalty is separate.' })
  amount(@Root() installment: Installment): bigint {
    return installmentAmountFen(installment.principalFen, installment.interestFen);
  }
}
