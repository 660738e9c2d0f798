import type { EntityManager } from '@wanxin/platform';
import { DepositoryRequest } from '../entities/depository-request.entity';

/** An instruction the user completes on the bank's page. */
export interface PageRequest {
  requestNo: string;
  serviceName: 'PERSONAL_REGISTER' | 'RECHARGE' | 'WITHDRAW';
  userId: string;
  amountFen?: bigint;
  /** The business date the instruction is booked on: the form's `accountingDate`. */
  businessDate: string;
}

/**
 * Records the instruction UNSYNC before the user is sent to the bank's page: whatever the page's fate, the
 * notification, the sync job and the reconciliation find it.
 */
export async function recordPageRequest(em: EntityManager, request: PageRequest): Promise<void> {
  await em.insert(em.create(DepositoryRequest, { ...request, status: 'UNSYNC' }, { persist: false }));
}
