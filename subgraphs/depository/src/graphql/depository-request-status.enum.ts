import { registerEnumType } from 'type-graphql';
import type { DepositoryRequestStatus } from '../domain/depository-request';

/** GraphQL's view of `DepositoryRequestStatus`: the compiler checks it lists exactly the domain's statuses. */
export const DepositoryRequestStatusEnum = {
  UNSYNC: 'UNSYNC',
  SYNC: 'SYNC',
  FAILED: 'FAILED',
} as const satisfies { [Status in DepositoryRequestStatus]: Status };

registerEnumType(DepositoryRequestStatusEnum, {
  name: 'DepositoryRequestStatus',
  description:
    'UNSYNC: sent, outcome not yet known; SYNC: the bank confirmed it; FAILED: the bank refused it (or it was abandoned).',
  valuesConfig: {
    UNSYNC: { description: 'Sent, or handed to the user as a bank page; the outcome is not known yet.' },
    SYNC: { description: 'The bank confirmed it.' },
    FAILED: { description: 'The bank refused it, or the user abandoned the bank page.' },
  },
});
