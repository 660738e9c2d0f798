import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { forkEntityManager, isId, publishEvent, type Database } from '@wanxin/platform';
import { RISK_ANSWER_TEXT_LENGTH_MAX, RiskAnswered } from '@wanxin/platform/contracts';
import type { RiskAssessmentAnswer } from '@wanxin/platform/risk-protocol';
import { riskAnswerProblem } from '../domain/credit-application';
import { CreditApplication } from '../entities/credit-application.entity';
import { ProviderNonce } from '../entities/identity-check.entity';
import type { CallbackApplied } from '../provider/callback';

/** The provider's answer in the domain's terms. */
export function riskAnswerOf(answer: Pick<RiskAssessmentAnswer, 'answerId' | 'decision' | 'score' | 'limitFen'>) {
  return {
    answerId: answer.answerId,
    approved: answer.decision === 'APPROVED',
    score: answer.score,
    limitFen: BigInt(answer.limitFen),
  };
}

/**
 * What the risk callback does with a verified answer: records its nonce (a replayed message is refused)
 * and writes `users.risk.answered` to the outbox in one transaction, nothing else. Storing and applying
 * it is the consumer's (events/risk-answered.subscription.ts), so an answer survives a crash between the
 * provider's call and its effect. An answer breaking the provider's contract is refused (400).
 */
export async function recordRiskAnswer(
  orm: Database,
  nonce: string,
  answer: RiskAssessmentAnswer,
  rawAnswer: string,
): Promise<CallbackApplied> {
  if (riskAnswerProblem(riskAnswerOf(answer)) !== null || rawAnswer.length > RISK_ANSWER_TEXT_LENGTH_MAX) {
    return 'BAD_REQUEST';
  }
  if (!isId(answer.applicationId)) return 'UNKNOWN_REQUEST';
  try {
    return await forkEntityManager(orm).transactional(async (tx) => {
      if ((await tx.findOne(ProviderNonce, { nonce })) !== null) return 'REPLAYED';
      tx.create(ProviderNonce, { nonce });
      if ((await tx.count(CreditApplication, { id: answer.applicationId })) === 0) return 'UNKNOWN_REQUEST';
      const { answerId, applicationId, score, decision, limitFen, assessedAt } = answer;
      publishEvent(tx, RiskAnswered, applicationId, {
        answerId,
        applicationId,
        score,
        decision,
        limitFen,
        assessedAt,
        rawAnswer,
      });
      return 'APPLIED';
    });
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException) return 'REPLAYED';
    throw error;
  }
}
