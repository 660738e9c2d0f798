import { registerDescribedEnum } from './described-enum';
import type { RepaymentMethod } from './schedule/repayment-method';

/**
 * GraphQL's view of `RepaymentMethod`, shared by loans and repayments (federation composes the
 * identical enum from both): the compiler checks it lists exactly the schedule engine's methods.
 */
export const RepaymentMethodEnum = registerDescribedEnum<RepaymentMethod>(
  'RepaymentMethod',
  'Equal installments, equal principal, interest first, one bullet payment, or daily interest.',
  {
    EQUAL_INSTALLMENT: '等额本息: the same payment every month, interest on the balance and the rest principal.',
    EQUAL_PRINCIPAL: '等额本金: the same principal every month plus interest on the balance, so payments fall.',
    INTEREST_FIRST: '先息后本: interest every month, the whole principal with the last installment.',
    BULLET: '一次性还本付息: one installment at the end, principal plus simple interest.',
    DAILY: '按日计息: equal principal every month, interest for the days elapsed (ACT/365).',
  },
);
