import { registerEnumType } from 'type-graphql';

/** GraphQL's view of the platform's roles; the values are the same strings as `Role`. */
export enum RoleEnum {
  BORROWER = 'BORROWER',
  INVESTOR = 'INVESTOR',
  ADMIN = 'ADMIN',
}

registerEnumType(RoleEnum, { name: 'Role', description: 'BORROWER publishes loans, INVESTOR bids, ADMIN operates.' });
