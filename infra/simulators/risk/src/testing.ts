// Starts the risk provider in-process on a free port for tests (its own database under the test's
// prefix), and the platform's side of its tests: signed requests, a callback receiver.
import { loadConfig, type DatabaseKind } from '@wanxin/platform';
import {
  openRiskAnswer,
  RISK_MESSAGE_TYPES,
  RISK_PATHS,
  type RiskApplicant,
  type RiskAssessmentAnswer,
  type RiskAssessmentRequest,
} from '@wanxin/platform/risk-protocol';
import { startProviderHarness, type ProviderHarness } from '@wanxin/simulator-kit/testing';
import { readRiskConfig, startRiskProvider, type RiskProvider } from './risk';

export { CallbackReceiver, PlatformSide, type ProviderHarness } from '@wanxin/simulator-kit/testing';

/** Quick answers for tests: at once, retried after 5 ms, 10 ms, 20 ms, … */
export const RISK_TEST_ENV = { RISK_DECISION_DELAY_MS: '0', RISK_CALLBACK_RETRY_BASE_MS: '5' };

/** The risk provider on a free port with `env` (a test environment's, at least). */
export function startRiskForTests(env: Record<string, string>): Promise<RiskProvider> {
  return startRiskProvider(loadConfig({ ...RISK_TEST_ENV, ...env, PORT: '0' }, readRiskConfig));
}

/** An applicant the rule approves (score 810, limit 160,000.00) unless `overrides` change that. */
export function approvableApplicant(overrides: Partial<RiskApplicant> = {}): RiskApplicant {
  return {
    age: 30,
    monthlyIncomeFen: '800000',
    employer: 'Wanxin Tech',
    position: 'Engineer',
    identityVerified: true,
    education: 'BACHELOR',
    ...overrides,
  };
}

let sequence = 0;

/** A request about a new application of an approvable applicant, unless `overrides` change that. */
export function assessmentRequest(
  callbackUrl: string,
  overrides: Partial<RiskAssessmentRequest> = {},
): RiskAssessmentRequest {
  sequence += 1;
  return {
    applicationId: `APP${Date.now().toString(36)}${sequence}`,
    applicant: approvableApplicant(),
    callbackUrl,
    ...overrides,
  };
}

export type RiskHarness = ProviderHarness<RiskProvider, RiskAssessmentRequest, RiskAssessmentAnswer>;

/** The risk provider on a private database of `kind`, a receiver refusing its first `failFirst` callbacks. */
export function startRiskHarness(kind: DatabaseKind, options: { failFirst?: number } = {}): Promise<RiskHarness> {
  return startProviderHarness(
    kind,
    {
      start: startRiskForTests,
      path: RISK_PATHS.assessments,
      requestType: RISK_MESSAGE_TYPES.request,
      receiptType: RISK_MESSAGE_TYPES.receipt,
      openCallback: (envelope, publicKeyPem) => openRiskAnswer(envelope, publicKeyPem).answer,
    },
    options,
  );
}
