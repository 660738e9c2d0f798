import { registerEnumType } from 'type-graphql';
import type { RepaymentMethod } from '@wanxin/platform';

/**
 * GraphQL's view of the platform's `RepaymentMethod`: the compiler checks that it lists exactly the
 * engine's methods. The loans subgraph registers the same enum; federation composes identical enums.
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
