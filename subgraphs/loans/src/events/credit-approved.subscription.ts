import { subscribeTo, type EventSubscription } from '@wanxin/platform';
import { CreditApproved, type CreditApprovedPayload } from '@wanxin/platform/contracts';
import { grantCreditLine, priceAnnualRate, reapproveCreditLine, type CreditPricing } from '../domain/credit-line';
import { CreditLine } from '../entities/credit-line.entity';

/**
 * `users.credit.approved` → the borrower's credit line: granted with nothing used, or re-granted with the
 * new limit, score and rate and the use kept (published loans still hold it). The rate is priced from the
 * score with the pricing in force at the approval. An approval older than the line's (delivered late)
 * changes nothing; the same approval again writes the same values.
 */
export function creditLineOnCreditApproved(pricing: CreditPricing): EventSubscription<CreditApprovedPayload> {
  return subscribeTo(
    CreditApproved,
    'credit-line-on-credit-approved',
    async (em, { userId, applicationId, score, limitFen, grantedAt }) => {
      const approval = {
        score,
        annualRateMicros: priceAnnualRate(score, pricing),
        grantedAt: new Date(grantedAt),
        applicationId,
      };
      const line = await em.findOne(CreditLine, { userId }, { refresh: true });
      if (line === null) {
        // A concurrent first approval inserts too: the loser's duplicate key fails it, and its redelivery re-grants.
        await em.insert(CreditLine, { userId, ...grantCreditLine(BigInt(limitFen)), ...approval });
        return;
      }
      if (line.grantedAt.getTime() > approval.grantedAt.getTime()) return;
      const { limitFen: newLimitFen } = reapproveCreditLine(line, BigInt(limitFen));
      // usedFen is left to the conditional increments: a loan published meanwhile keeps its use.
      await em.nativeUpdate(
        CreditLine,
        { userId, grantedAt: { $lte: approval.grantedAt } },
        { limitFen: newLimitFen, ...approval },
      );
    },
  );
}
