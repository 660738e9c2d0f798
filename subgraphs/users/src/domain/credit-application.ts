import { assert, retryDelayMs, type RetryPolicy, type Role } from '@wanxin/platform';
import type { IdentityStatus } from './identity-check';

/**
 * A credit application (seed 002, "授信服务"): recorded on the borrower's request, reviewed by hand, then
 * scored by the risk provider, whose asynchronous answer settles it. Pure rules: who may apply, the
 * lifecycle, how an answer is applied, and when an unanswered request is asked again.
 */

export const CREDIT_APPLICATION_STATUSES = [
  'SUBMITTED',
  'MANUAL_REJECTED',
  'RISK_PENDING',
  'RISK_REJECTED',
  'APPROVED',
] as const;
export type CreditApplicationStatus = (typeof CREDIT_APPLICATION_STATUSES)[number];

export const CREDIT_APPLICATION_ACTIONS = ['REVIEW_APPROVE', 'REVIEW_REFUSE', 'RISK_APPROVE', 'RISK_REFUSE'] as const;
export type CreditApplicationAction = (typeof CREDIT_APPLICATION_ACTIONS)[number];

/** The one transition table: action → [from, to]. */
export const CREDIT_APPLICATION_TRANSITIONS: {
  readonly [Action in CreditApplicationAction]: readonly [from: CreditApplicationStatus, to: CreditApplicationStatus];
} = {
  REVIEW_APPROVE: ['SUBMITTED', 'RISK_PENDING'],
  REVIEW_REFUSE: ['SUBMITTED', 'MANUAL_REJECTED'],
  RISK_APPROVE: ['RISK_PENDING', 'APPROVED'],
  RISK_REFUSE: ['RISK_PENDING', 'RISK_REJECTED'],
};

/** The status `action` moves an application in `status` to, or null when the lifecycle does not allow it. */
export function nextCreditApplicationStatus(
  status: CreditApplicationStatus,
  action: CreditApplicationAction,
): CreditApplicationStatus | null {
  const [from, to] = CREDIT_APPLICATION_TRANSITIONS[action];
  return status === from ? to : null;
}

/** Open applications are still being decided: a borrower has at most one. */
export function isOpenCreditApplication(status: CreditApplicationStatus): boolean {
  return status === 'SUBMITTED' || status === 'RISK_PENDING';
}

/** What `applyForCredit` needs to know about the applicant. */
export interface ApplicantState {
  role: Role;
  /** The status of the user's latest identity check, null when they never started one. */
  identityStatus: IdentityStatus | null;
  profileComplete: boolean;
  hasOpenApplication: boolean;
}

/** Why a user may not apply now: FORBIDDEN for the role, CONFLICT for the state (errors.ts maps them). */
export type CreditApplyRefusal =
  | { rule: 'NOT_BORROWER'; role: Role }
  | { rule: 'IDENTITY_NOT_VERIFIED'; identityStatus: IdentityStatus | null }
  | { rule: 'PROFILE_INCOMPLETE' }
  | { rule: 'APPLICATION_OPEN' };

/** The first rule an applicant breaks, in the order a borrower meets them on the path, or null. */
export function creditApplyRefusal(applicant: ApplicantState): CreditApplyRefusal | null {
  if (applicant.role !== 'BORROWER') return { rule: 'NOT_BORROWER', role: applicant.role };
  if (applicant.identityStatus !== 'VERIFIED') {
    return { rule: 'IDENTITY_NOT_VERIFIED', identityStatus: applicant.identityStatus };
  }
  if (!applicant.profileComplete) return { rule: 'PROFILE_INCOMPLETE' };
  if (applicant.hasOpenApplication) return { rule: 'APPLICATION_OPEN' };
  return null;
}

/** Longest review reason kept, in characters. */
export const REVIEW_REASON_LENGTH_MAX = 500;

export type ReviewResult =
  | { ok: true; status: CreditApplicationStatus; reason: string | null }
  | { ok: false; refusal: { rule: 'NOT_SUBMITTED'; status: CreditApplicationStatus } }
  | { ok: false; refusal: { rule: 'REASON_REQUIRED' } }
  | { ok: false; refusal: { rule: 'REASON_TOO_LONG'; lengthMax: number } };

export type ReviewRefusal = Extract<ReviewResult, { ok: false }>['refusal'];

/**
 * An admin's review of an application in `status`: approve sends it to the risk provider, refuse needs a
 * reason. Only a SUBMITTED application is reviewed, so a second review is refused (CONFLICT), whatever the
 * first decided. The reason is kept trimmed; a blank one counts as none.
 */
export function reviewCreditApplication(
  status: CreditApplicationStatus,
  approve: boolean,
  reason: string | null | undefined,
): ReviewResult {
  const trimmed = reason?.trim() || null;
  if (!approve && trimmed === null) return { ok: false, refusal: { rule: 'REASON_REQUIRED' } };
  if (trimmed !== null && [...trimmed].length > REVIEW_REASON_LENGTH_MAX) {
    return { ok: false, refusal: { rule: 'REASON_TOO_LONG', lengthMax: REVIEW_REASON_LENGTH_MAX } };
  }
  const next = nextCreditApplicationStatus(status, approve ? 'REVIEW_APPROVE' : 'REVIEW_REFUSE');
  if (next === null) return { ok: false, refusal: { rule: 'NOT_SUBMITTED', status } };
  return { ok: true, status: next, reason: trimmed };
}

/** The risk provider's scores (its documented rule): 300 to 900. */
export const RISK_SCORE_MIN = 300;
export const RISK_SCORE_MAX = 900;
/** The largest line the provider grants: 500,000.00. */
export const RISK_LIMIT_MAX_FEN = 50_000_000n;

/** An answer as the consumer read it from the provider's callback. */
export interface RiskAnswer {
  /** The provider's id for this answer: the same answer delivered twice carries the same id. */
  answerId: string;
  approved: boolean;
  score: number;
  /** The granted limit when approved, 0 when refused. */
  limitFen: bigint;
}

/** Why an answer cannot be stored: it breaks the provider's documented contract (dead-lettered, never applied). */
export function riskAnswerProblem(answer: RiskAnswer): string | null {
  if (answer.answerId.length === 0) return 'the answer has no id';
  if (!Number.isInteger(answer.score) || answer.score < RISK_SCORE_MIN || answer.score > RISK_SCORE_MAX) {
    return `the score ${answer.score} is outside ${RISK_SCORE_MIN}–${RISK_SCORE_MAX}`;
  }
  if (answer.approved && (answer.limitFen <= 0n || answer.limitFen > RISK_LIMIT_MAX_FEN)) {
    return `an approval grants a limit above 0 and at most ${RISK_LIMIT_MAX_FEN} fen, got ${answer.limitFen}`;
  }
  if (!answer.approved && answer.limitFen !== 0n) return `a refusal grants no limit, got ${answer.limitFen} fen`;
  return null;
}

/** What the application looks like to the consumer storing an answer. */
export interface RiskAnswerTarget {
  status: CreditApplicationStatus;
  /** The id of the answer that settled it, null while none has. */
  answerId: string | null;
}

/**
 * What an answer does to an application. Deliveries are at least once and re-asking may draw a second
 * answer, so: the answer that settled it again → DUPLICATE (acknowledge); any answer for an application
 * not RISK_PENDING (already settled by another answer, or not yet reviewed: out of order) → IGNORED with
 * its status, stored in the risk report table but not applied; otherwise SETTLE.
 */
export type RiskAnswerOutcome =
  | { kind: 'SETTLE'; status: CreditApplicationStatus }
  | { kind: 'DUPLICATE' }
  | { kind: 'IGNORED'; status: CreditApplicationStatus };

export function applyRiskAnswer(target: RiskAnswerTarget, answer: RiskAnswer): RiskAnswerOutcome {
  assert(riskAnswerProblem(answer) === null, 'an answer is checked before it is applied');
  assert(
    (target.answerId !== null) === (target.status === 'APPROVED' || target.status === 'RISK_REJECTED'),
    'an application is settled by the risk provider exactly when it records the answer',
  );
  if (target.answerId === answer.answerId) return { kind: 'DUPLICATE' };
  const next = nextCreditApplicationStatus(target.status, answer.approved ? 'RISK_APPROVE' : 'RISK_REFUSE');
  if (next === null) return { kind: 'IGNORED', status: target.status };
  return { kind: 'SETTLE', status: next };
}

/**
 * How often an unanswered application is asked again (same application id, so the provider answers it
 * once): after 30 s, doubling to 10 min between asks, 20 asks in all (about 2.5 hours). After that it
 * stays RISK_PENDING and admins see it as unanswered.
 */
export const RISK_REASK_POLICY: RetryPolicy = {
  attemptsMax: 20,
  firstDelayMs: 30_000,
  delayMaxMs: 10 * 60_000,
  jitter: 0,
};

export interface RiskAsking {
  status: CreditApplicationStatus;
  /** Requests sent to the provider so far: 0 until the first, which is due as soon as the review approves. */
  asksSent: number;
  /** When the last request was sent; before the first, when the review approved. */
  lastAskedAt: Date;
}

/** When the next ask is due, or null when none will be sent (answered, or asks exhausted). */
export function nextRiskAskAt(asking: RiskAsking, policy: RetryPolicy = RISK_REASK_POLICY): Date | null {
  if (asking.status !== 'RISK_PENDING') return null;
  assert(Number.isInteger(asking.asksSent) && asking.asksSent >= 0, 'asks are counted from 0');
  if (asking.asksSent >= policy.attemptsMax) return null;
  if (asking.asksSent === 0) return asking.lastAskedAt;
  return new Date(asking.lastAskedAt.getTime() + retryDelayMs(policy, asking.asksSent, () => 0));
}

/** Whether an unanswered application is to be asked again at `now`. */
export function isRiskAskDue(asking: RiskAsking, now: Date, policy: RetryPolicy = RISK_REASK_POLICY): boolean {
  const dueAt = nextRiskAskAt(asking, policy);
  return dueAt !== null && now.getTime() >= dueAt.getTime();
}

/** Whether the provider never answered an application despite every ask: shown to admins as such. */
export function isRiskAnswerOverdue(asking: RiskAsking, policy: RetryPolicy = RISK_REASK_POLICY): boolean {
  return asking.status === 'RISK_PENDING' && asking.asksSent >= policy.attemptsMax;
}
