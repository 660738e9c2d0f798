import { registerDescribedEnum } from '@wanxin/platform';
import type { DepositoryRequestStatus } from '../domain/depository-request';

/** GraphQL's view of `DepositoryRequestStatus`: the compiler checks it lists exactly the domain's statuses. */
export const DepositoryRequestStatusEnum = registerDescribedEnum<DepositoryRequestStatus>(
  'DepositoryRequestStatus',
  'UNSYNC: sent, outcome not yet known; SYNC: the bank confirmed it; FAILED: the bank refused it (or it was abandoned).',
  {
    UNSYNC: 'Sent, or handed to the user as a bank page; the outcome is not known yet.',
    SYNC: 'The bank confirmed it.',
    FAILED: 'The bank refused it, or the user abandoned the bank page.',
  },
);
