import { insertRows } from '@wanxin/platform';
import { CANCELLED_BODY_SHA256, isCancelledRecord } from '../domain/cancelled-request';
import { BankRefusals, succeeded } from '../domain/outcomes';
import type { RequestFields } from '../domain/request-fields';
import { BankRequest } from '../entities/bank-request.entity';
import { PAGE_SERVICE_NAMES, type PageServiceName } from '@wanxin/platform/bank-protocol';
import { resultOf } from './recording';
import type { DirectService } from './service-types';

export interface CancelPageRequestCommand {
  cancelRequestNo: string;
  cancelServiceName: PageServiceName;
}

/**
 * Cancels, for good, a page request the platform handed to a user who has not submitted it (the platform
 * issued a new one in its place): its requestNo is recorded here as refused, so submitting the old form
 * later runs nothing and shows the refusal, and no notification is sent for it. Under the requestNo's
 * unique key this races a submission of the same request: exactly one of the two is recorded. Answers
 * the request's status afterwards: CANCELLED, or SUCCESS / FAILED when it was submitted first.
 */
export const cancelPageRequest: DirectService<CancelPageRequestCommand> = {
  parse(fields: RequestFields): CancelPageRequestCommand {
    return {
      cancelRequestNo: fields.reference('cancelRequestNo'),
      cancelServiceName: fields.oneOf('cancelServiceName', PAGE_SERVICE_NAMES),
    };
  },

  async execute({ tx, accountingDate }, command) {
    const { cancelRequestNo, cancelServiceName } = command;
    const earlier = await tx.findOne(BankRequest, { requestNo: cancelRequestNo });
    if (earlier !== null) {
      return succeeded({ cancelRequestNo, status: isCancelledRecord(earlier) ? 'CANCELLED' : earlier.status });
    }
    const refusal = BankRefusals.pageRequestCancelled(cancelRequestNo);
    // A submission racing this insert fails on the key (or this one does, and runs again to read its record).
    await insertRows(tx, BankRequest, [
      {
        requestNo: cancelRequestNo,
        serviceName: cancelServiceName,
        bodySha256: CANCELLED_BODY_SHA256,
        status: 'FAILED',
        code: refusal.code,
        response: JSON.stringify(resultOf(cancelRequestNo, refusal)),
        // The bank never saw the page request's own date: it is booked on the day it was cancelled.
        accountingDate,
        createdAt: new Date(),
      },
    ]);
    return succeeded({ cancelRequestNo, status: 'CANCELLED' });
  },
};
