import { isCallbackUrl, providerCallbackOpener, type Parsed } from '../provider-protocol';

/**
 * The risk provider's wire protocol, shared by the platform and the risk simulator
 * (`infra/simulators/risk`). The platform POSTs a signed RISK_ASSESSMENT_REQUEST envelope
 * (provider-protocol) to RISK_PATHS.assessments; the provider answers at once with a signed
 * RISK_ASSESSMENT_RECEIPT (202 ACCEPTED, `reference` = the answerId; 503 UNAVAILABLE while it is down)
 * and later POSTs a signed RISK_ASSESSMENT_ANSWER to `callbackUrl`, freshly signed on each attempt,
 * until it gets a 2xx. Asking again about the same applicationId (in a new message) is answered again
 * with the same answer: same answerId, score, decision and limit.
 */
export * from '../provider-protocol';

export const RISK_MESSAGE_TYPES = {
  request: 'RISK_ASSESSMENT_REQUEST',
  receipt: 'RISK_ASSESSMENT_RECEIPT',
  answer: 'RISK_ASSESSMENT_ANSWER',
} as const;

export const RISK_PATHS = {
  /** POST a RISK_ASSESSMENT_REQUEST envelope as JSON. */
  assessments: '/assessments',
  /** Operations (METRICS_TOKEN): POST `{"downForMs": n}` takes the provider down for n ms; 0 brings it back. */
  outage: '/admin/outage',
} as const;

export const RISK_SCORE_MIN = 300;
export const RISK_SCORE_MAX = 900;
export const APPLICATION_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** 0 to 10^15 fen (10 trillion yuan): far beyond any income, well inside what bigint and MySQL carry. */
const FEN_TEXT_PATTERN = /^(0|[1-9][0-9]{0,15})$/;
const APPLICANT_TEXT_LENGTH_MAX = 100;
const AGE_MAX = 150;

export interface RiskApplicant {
  /** Whole years, from the verified ID number. */
  age: number;
  /** Integer fen as a decimal string. */
  monthlyIncomeFen: string;
  employer: string | null;
  position: string | null;
  identityVerified: boolean;
  /** Free text (e.g. BACHELOR); null when not given. */
  education: string | null;
}

export interface RiskAssessmentRequest {
  /** The platform's credit application; asked again, it gets the same answer. */
  applicationId: string;
  applicant: RiskApplicant;
  callbackUrl: string;
}

export const RISK_DECISIONS = ['APPROVED', 'REJECTED'] as const;
export type RiskDecision = (typeof RISK_DECISIONS)[number];

export interface RiskAssessmentAnswer {
  /** Unique per answer; the platform stores each answer once by it. */
  answerId: string;
  applicationId: string;
  /** RISK_SCORE_MIN to RISK_SCORE_MAX. */
  score: number;
  decision: RiskDecision;
  /** Integer fen as a decimal string; "0" when REJECTED. */
  limitFen: string;
  /** ISO 8601 instant of the assessment. */
  assessedAt: string;
}

function isOptionalText(value: unknown): value is string | null {
  return value === null || (typeof value === 'string' && value.length <= APPLICANT_TEXT_LENGTH_MAX);
}

function parseApplicant(value: unknown): RiskApplicant | null {
  if (typeof value !== 'object' || value === null) return null;
  const { age, monthlyIncomeFen, employer, position, identityVerified, education } = value as Record<string, unknown>;
  if (typeof age !== 'number' || !Number.isInteger(age) || age < 0 || age > AGE_MAX) return null;
  if (typeof monthlyIncomeFen !== 'string' || !FEN_TEXT_PATTERN.test(monthlyIncomeFen)) return null;
  if (!isOptionalText(employer) || !isOptionalText(position) || !isOptionalText(education)) return null;
  if (typeof identityVerified !== 'boolean') return null;
  return { age, monthlyIncomeFen, employer, position, identityVerified, education };
}

/** The request's data as the protocol requires it (the provider answers BAD_REQUEST otherwise). */
export function parseRiskAssessmentRequest(data: Record<string, unknown>): Parsed<RiskAssessmentRequest> {
  const { applicationId, applicant, callbackUrl } = data;
  if (typeof applicationId !== 'string' || !APPLICATION_ID_PATTERN.test(applicationId)) {
    return { ok: false, message: 'applicationId must be 1 to 64 letters, digits, _ or -' };
  }
  const parsed = parseApplicant(applicant);
  if (parsed === null) {
    return {
      ok: false,
      message:
        'applicant needs age (whole years), monthlyIncomeFen (integer fen as a string), identityVerified ' +
        `(boolean), employer, position, education (text up to ${APPLICANT_TEXT_LENGTH_MAX} or null)`,
    };
  }
  if (!isCallbackUrl(callbackUrl)) return { ok: false, message: 'callbackUrl must be an http(s) URL' };
  return { ok: true, value: { applicationId, applicant: parsed, callbackUrl } };
}

function isRiskAssessmentAnswer(data: Record<string, unknown>): boolean {
  const { answerId, applicationId, score, decision, limitFen, assessedAt } = data;
  return (
    typeof answerId === 'string' &&
    APPLICATION_ID_PATTERN.test(answerId) &&
    typeof applicationId === 'string' &&
    APPLICATION_ID_PATTERN.test(applicationId) &&
    typeof score === 'number' &&
    Number.isInteger(score) &&
    score >= RISK_SCORE_MIN &&
    score <= RISK_SCORE_MAX &&
    (RISK_DECISIONS as readonly unknown[]).includes(decision) &&
    typeof limitFen === 'string' &&
    FEN_TEXT_PATTERN.test(limitFen) &&
    typeof assessedAt === 'string'
  );
}

/**
 * The platform's side of a callback: verifies the provider's signature, type and freshness, and the
 * answer's shape. Throws ProviderSignatureError when anything does not hold. A repeated answer (same
 * answerId) is the platform's to recognise and acknowledge.
 */
export const openRiskAnswer = providerCallbackOpener<'answer', RiskAssessmentAnswer>(
  'answer',
  RISK_MESSAGE_TYPES.answer,
  isRiskAssessmentAnswer,
  'a risk assessment answer',
);
