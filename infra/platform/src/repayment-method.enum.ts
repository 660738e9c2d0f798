import { registerEnumType } from 'type-graphql';
import type { RepaymentMethod } from './schedule/repayment-method';

/**
 * GraphQL's view of `RepaymentMethod`, shared by loans and repayments (federation composes the
 * identical enum from both): the compiler checks it lists exactly the schedule engine's methods.
 */
export const RepaymentMethodEnum = {
  EQUAL_INSTALLMENT: 'EQUAL_INSTALLMENT',
  EQUAL_PRINCIPAL: 'EQUAL_PRINCIPAL',
  INTEREST_FIRST: 'INTEREST_FIRST',
  BULLET: 'BULLET',
  DAILY: 'DAILY',
} as const satisfies { [Method in RepaymentMethod]: Method };

registerEnumType(RepaymentMethodEnum, {
  name: 'RepaymentMethod',
  description: 'Equal installments, equal principal, interest first, one bullet payment, or daily interest.',
  valuesConfig: {
    EQUAL_INSTALLMENT: {
      description: '等额本息: the same payment every month, interest on the balance and the rest principal.',
    },
    EQUAL_PRINCIPAL: {
      description: '等额本金: the same principal every month plus interest on the balance, so payments fall.',
    },
    INTEREST_FIRST: { description: '先息后本: interest every month, the whole principal with the last installment.' },
    BULLET: { description: '一次性还本付息: one installment at the end, principal plus simple interest.' },
    DAILY: { description: '按日计息: equal principal every month, interest for the days elapsed (ACT/365).' },
  },
});
