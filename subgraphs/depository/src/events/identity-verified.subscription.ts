import { subscribeTo } from '@wanxin/platform';
import { IdentityVerified } from '@wanxin/platform/contracts';
import { VerifiedIdentity } from '../entities/verified-identity.entity';

/** `users.identity.verified` → the name and ID number the user's depository account is opened with. */
export const verifiedIdentityOnIdentityVerified = subscribeTo(
  IdentityVerified,
  'verified-identity-on-identity-verified',
  async (em, { userId, realName, idNumber, verifiedAt }) => {
    // Idempotent by the user id as well as by the inbox: users verifies an identity once.
    if ((await em.count(VerifiedIdentity, { userId })) > 0) return;
    const receivedAt = new Date();
    await em.insert(VerifiedIdentity, { userId, realName, idNumber, verifiedAt: new Date(verifiedAt), receivedAt });
  },
);
