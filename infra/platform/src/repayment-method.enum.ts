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
});
