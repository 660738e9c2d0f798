// What users' identity check tells the depository: `users.identity.verified` as users publishes it, handed to
// the depository started in this process (its inbox and subscription run as in production).
import { IdentityVerified } from '@wanxin/platform/contracts';
import { deliverEvent } from '@wanxin/platform/testing';

/** The identity provider verified `userId` as `realName` with `idNumber`: the account opens with these. */
export async function deliverVerifiedIdentity(userId: string, realName: string, idNumber: string): Promise<void> {
  await deliverEvent({
    type: IdentityVerified.type,
    version: IdentityVerified.version,
    aggregateId: userId,
    payload: { userId, realName, idNumber, verifiedAt: new Date().toISOString() },
  });
}
