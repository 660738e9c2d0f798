import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { publishEvent, type EntityManager } from '@wanxin/platform';
import { CreditApplicationChanged } from '@wanxin/platform/contracts';
import { creditApplyRefusal, isOpenCreditApplication } from '../domain/credit-application';
import { UserErrors } from '../domain/errors';
import { isProfileComplete } from '../domain/profile';
import { CreditApplication } from '../entities/credit-application.entity';
import { IdentityCheck } from '../entities/identity-check.entity';
import { profileInputOf, Profile } from '../entities/profile.entity';
import { User } from '../entities/user.entity';

/**
 * Records a SUBMITTED application for the admins' review when the applicant may apply (the domain's
 * rules, in the order a borrower meets them). The open claim's unique index keeps two concurrent
 * applications of one borrower from both being recorded. `users.credit.changed` tells the admins' dashboard.
 */
export async function applyForCredit(em: EntityManager, userId: string): Promise<CreditApplication> {
  try {
    return await em.transactional(async (tx) => {
      const user = await tx.findOne(User, { id: userId });
      if (user === null) throw UserErrors.notFound(userId);
      const check = await tx.findOne(IdentityCheck, { userId }, { orderBy: { createdAt: 'desc' } });
      const profile = await tx.findOne(Profile, { userId });
      const latest = await tx.findOne(CreditApplication, { userId }, { orderBy: { createdAt: 'desc' } });
      const refusal = creditApplyRefusal({
        role: user.role,
        identityStatus: check?.status ?? null,
        profileComplete: isProfileComplete(profile === null ? null : profileInputOf(profile), user.mobile),
        hasOpenApplication: latest !== null && isOpenCreditApplication(latest.status),
      });
      if (refusal !== null) throw UserErrors.creditApplyRefused(refusal);
      const application = tx.create(CreditApplication, { userId, status: 'SUBMITTED', openClaim: userId });
      publishEvent(tx, CreditApplicationChanged, userId, {
        userId,
        applicationId: application.id,
        status: 'SUBMITTED',
      });
      return application;
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) {
      throw UserErrors.creditApplyRefused({ rule: 'APPLICATION_OPEN' });
    }
    throw error;
  }
}
