import type { RiskApplicant, RiskDecision } from '@wanxin/platform/risk-protocol';
import { RISK_SCORE_MAX, RISK_SCORE_MIN } from '@wanxin/platform/risk-protocol';

/** Where every score starts. */
export const BASE_SCORE = RISK_SCORE_MIN;
/** A verified identity. */
export const IDENTITY_VERIFIED_POINTS = 150;
/** Points by age band: [lowest age of the band, points], highest band first; below 18: none. */
export const AGE_BANDS: readonly (readonly [number, number])[] = [
  [61, 20],
  [50, 80],
  [35, 120],
  [25, 100],
  [18, 40],
];
/** Points by monthly income: [at least this many fen, points], highest first. */
export const INCOME_BANDS: readonly (readonly [bigint, number])[] = [
  [3_000_000n, 200],
  [1_500_000n, 160],
  [800_000n, 120],
  [400_000n, 80],
  [200_000n, 40],
];
/** Employer and position both given: employed; one of them: partly described. */
export const EMPLOYED_POINTS = 100;
export const PARTLY_EMPLOYED_POINTS = 50;
/** Points by education (case-insensitive); anything else or none: 0. */
export const EDUCATION_POINTS: Readonly<Record<string, number>> = {
  DOCTORATE: 50,
  MASTER: 50,
  BACHELOR: 40,
  COLLEGE: 30,
  HIGH_SCHOOL: 10,
};

/** A score at or above this approves. */
export const APPROVAL_SCORE_MIN = 600;
export const LIMIT_INCOME_MULTIPLE = 20n;
/** 500,000.00 yuan. */
export const LIMIT_MAX_FEN = 50_000_000n;
/** Limits are whole hundreds of yuan (100.00), rounded down. */
export const LIMIT_STEP_FEN = 10_000n;

export interface Assessment {
  score: number;
  decision: RiskDecision;
  /** 0 when REJECTED. */
  limitFen: bigint;
}

function bandPoints<T extends number | bigint>(bands: readonly (readonly [T, number])[], value: T): number {
  return bands.find(([lowest]) => value >= lowest)?.[1] ?? 0;
}

function isGiven(text: string | null): boolean {
  return text !== null && text.trim().length > 0;
}

/**
 * The score: 300, plus 150 for a verified identity, plus the age band's points, the income band's, 100
 * for employer and position (50 for one of them) and the education's; at most 900. Deterministic: the
 * same applicant always scores the same.
 */
export function riskScore(applicant: RiskApplicant): number {
  const employment = [applicant.employer, applicant.position].filter(isGiven).length;
  const points =
    (applicant.identityVerified ? IDENTITY_VERIFIED_POINTS : 0) +
    bandPoints(AGE_BANDS, applicant.age) +
    bandPoints(INCOME_BANDS, BigInt(applicant.monthlyIncomeFen)) +
    (employment === 2 ? EMPLOYED_POINTS : employment === 1 ? PARTLY_EMPLOYED_POINTS : 0) +
    (EDUCATION_POINTS[(applicant.education ?? '').trim().toUpperCase()] ?? 0);
  return Math.min(RISK_SCORE_MAX, BASE_SCORE + points);
}

/** min(20 × monthly income, 500,000.00), rounded down to a multiple of 100.00. */
export function creditLimitFen(monthlyIncomeFen: bigint): bigint {
  const limitFen = monthlyIncomeFen * LIMIT_INCOME_MULTIPLE;
  const capped = limitFen < LIMIT_MAX_FEN ? limitFen : LIMIT_MAX_FEN;
  return capped - (capped % LIMIT_STEP_FEN);
}

/**
 * The simulator's documented rule (README, "Decision rule"): a score of 600 or more approves, unless the
 * income grants no limit (under 100.00 after rounding), which refuses: an approval always lends something.
 */
export function assessApplicant(applicant: RiskApplicant): Assessment {
  const score = riskScore(applicant);
  const limitFen = creditLimitFen(BigInt(applicant.monthlyIncomeFen));
  if (score < APPROVAL_SCORE_MIN || limitFen === 0n) return { score, decision: 'REJECTED', limitFen: 0n };
  return { score, decision: 'APPROVED', limitFen };
}
