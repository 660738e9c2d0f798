import { publishEvent, subscribeTo } from '@wanxin/platform';
import { CreditApplicationChanged, CreditApproved, RiskAnswered } from '@wanxin/platform/contracts';
import { applyRiskAnswer, riskAnswerProblem } from '../domain/credit-application';
import { CreditApplication, RiskReport } from '../entities/credit-application.entity';
import { riskAnswerOf } from '../operations/record-risk-answer';

/**
 * `users.risk.answered` → a risk report (once per answerId) and, when the application was waiting for
 * it, its decision (`users.credit.changed`): APPROVED publishes `users.credit.approved`, from which loans grants
 * the line.
 */
export const creditDecidedOnRiskAnswered = subscribeTo(
  RiskAnswered,
  'credit-decided-on-risk-answered',
  async (em, payload) => {
    // Idempotent by the answer id as well as by the inbox: a re-ask may draw the same answer in a new event.
    if ((await em.count(RiskReport, { answerId: payload.answerId })) > 0) return;
    const answer = riskAnswerOf(payload);
    const problem = riskAnswerProblem(answer);
    if (problem !== null) throw new Error(`risk answer ${payload.answerId} breaks the provider's contract: ${problem}`);
    const application = await em.findOneOrFail(CreditApplication, { id: payload.applicationId });
    const outcome = applyRiskAnswer(application, answer);
    const settledAt = new Date();
    // Conditional on RISK_PENDING: of two answers applied at once (two replicas), one settles it.
    const settled =
      outcome.kind === 'SETTLE' &&
      (await em.nativeUpdate(
        CreditApplication,
        { id: application.id, status: 'RISK_PENDING' },
        {
          status: outcome.status,
          openClaim: null,
          answerId: answer.answerId,
          score: answer.score,
          limitFen: answer.approved ? answer.limitFen : null,
          nextAskAt: null,
          settledAt,
        },
      )) === 1;
    em.create(RiskReport, {
      answerId: payload.answerId,
      applicationId: payload.applicationId,
      score: payload.score,
      decision: payload.decision,
      limitFen: answer.limitFen,
      assessedAt: new Date(payload.assessedAt),
      rawAnswer: payload.rawAnswer,
      outcome: settled ? 'SETTLED' : 'IGNORED',
    });
    if (!settled) return;
    const { userId } = application;
    publishEvent(em, CreditApplicationChanged, userId, {
      userId,
      applicationId: application.id,
      status: outcome.status,
    });
    if (!answer.approved) return;
    publishEvent(em, CreditApproved, application.userId, {
      userId: application.userId,
      applicationId: application.id,
      score: answer.score,
      limitFen: payload.limitFen,
      grantedAt: settledAt.toISOString(),
    });
  },
);
