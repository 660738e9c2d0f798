import { registerEnumType } from 'type-graphql';

/**
 * GraphQL's view of the platform's roles (the values are the same strings as `Role`), shared by users, who
 * owns `User.role`, and the subgraphs that require it (`@requires(fields: "role")`: repayments' portfolio
 * and borrowing summary), so federation composes one identical enum.
 */
export enum RoleEnum {
  BORROWER = 'BORROWER',
  INVESTOR = 'INVESTOR',
  ADMIN = 'ADMIN',
}

registerEnumType(RoleEnum, {
  name: 'Role',
  description: 'BORROWER publishes loans, INVESTOR bids, ADMIN operates.',
  valuesConfig: {
    BORROWER: { description: 'Publishes loans and repays them from their depository account.' },
    INVESTOR: { description: 'Bids on loans from their depository account and receives the repayments.' },
    ADMIN: { description: 'Platform staff: reviews loans, approves payouts, runs the daily jobs and reconciliation.' },
  },
});
