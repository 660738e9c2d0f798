import { isId, publishEvent, type EntityManager } from '@wanxin/platform';
import { CreditApplicationChanged } from '@wanxin/platform/contracts';
import { reviewCreditApplication as reviewRule } from '../domain/credit-application';
import { UserErrors } from '../domain/errors';
import { CreditApplication } from '../entities/credit-application.entity';

/**
 * An admin's review: approve → RISK_PENDING (the risk job sends it), refuse → MANUAL_REJECTED, which
 * frees the borrower to apply again. Conditional on SUBMITTED, so of two reviews at once one decides and
 * the other is refused as a second review. The decision and its `users.credit.changed` commit together.
 */
export async function reviewCreditApplication(
  em: EntityManager,
  reviewerId: string,
  applicationId: string,
  approve: boolean,
  reason: string | null | undefined,
): Promise<CreditApplication> {
  if (!isId(applicationId)) throw UserErrors.creditApplicationNotFound(applicationId);
  const application = await em.findOne(CreditApplication, { id: applicationId });
  if (application === null) throw UserErrors.creditApplicationNotFound(applicationId);
  const review = reviewRule(application.status, approve, reason);
  if (!review.ok) throw UserErrors.reviewRefused(applicationId, review.refusal);
  const now = new Date();
  const decided = {
    status: review.status,
    reviewReason: review.reason,
    reviewedBy: reviewerId,
    reviewedAt: now,
    ...(review.status === 'RISK_PENDING' ? { lastAskedAt: now, nextAskAt: now } : { openClaim: null, settledAt: now }),
  };
  const updated = await em.transactional(async (tx) => {
    const count = await tx.nativeUpdate(CreditApplication, { id: applicationId, status: 'SUBMITTED' }, decided);
    if (count === 1) {
      const { userId } = application;
      publishEvent(tx, CreditApplicationChanged, userId, { userId, applicationId, status: review.status });
    }
    return count;
  });
  if (updated === 0) {
    const current = await em.findOneOrFail(CreditApplication, { id: applicationId }, { refresh: true });
    throw UserErrors.reviewRefused(applicationId, { rule: 'NOT_SUBMITTED', status: current.status });
  }
  return em.findOneOrFail(CreditApplication, { id: applicationId }, { refresh: true });
}
