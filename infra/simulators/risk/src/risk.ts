import { randomBytes } from 'node:crypto';
import type { EnvReader } from '@wanxin/platform';
import {
  parseRiskAssessmentRequest,
  RISK_MESSAGE_TYPES,
  RISK_PATHS,
  type RiskAssessmentAnswer,
  type RiskAssessmentRequest,
} from '@wanxin/platform/risk-protocol';
import {
  readSwitchableProviderConfig,
  recordDecisionOnce,
  signedRequestRoute,
  startSwitchableProvider,
  type ProviderContext,
  type ProviderIdentity,
  type SwitchableProvider,
  type SwitchableProviderConfig,
} from '@wanxin/simulator-kit';
import { RiskAssessmentRecord } from './assessment.entity';
import { riskDatabase } from './database';
import { assessApplicant } from './domain/score';

export const RISK_DEFAULT_PORT = 4008;
const RISK: ProviderIdentity = { name: 'risk', envPrefix: 'RISK', defaultPort: RISK_DEFAULT_PORT };

/** RISK_DOWN_FOR_MS starts it down. */
export type RiskConfig = SwitchableProviderConfig;

/** PORT (default 4008), DATABASE_URL/DATA_DIR, RISK_* (README, configuration). */
export function readRiskConfig(reader: EnvReader): RiskConfig {
  return readSwitchableProviderConfig(reader, RISK);
}

/** A running risk provider, with the outage switch its /admin/outage route also sets. */
export type RiskProvider = SwitchableProvider;

function answerOf(record: RiskAssessmentRecord): RiskAssessmentAnswer {
  return {
    answerId: record.answerId,
    applicationId: record.applicationId,
    score: record.score,
    decision: record.decision as RiskAssessmentAnswer['decision'],
    limitFen: record.limitFen.toString(),
    assessedAt: record.assessedAt.toISOString(),
  };
}

/**
 * Assesses at once (the rule is pure) and records the answer with its callback, due after the decision
 * delay. An application asked about before gets its recorded answer again, whatever the applicant says now.
 */
function acceptAssessment(context: ProviderContext, request: RiskAssessmentRequest): Promise<string> {
  return recordDecisionOnce(
    context,
    request.callbackUrl,
    async (em) => (await em.findOne(RiskAssessmentRecord, { applicationId: request.applicationId }))?.answerId ?? null,
    (now) => {
      const assessment = assessApplicant(request.applicant);
      const record: RiskAssessmentRecord = {
        answerId: `RSK${randomBytes(12).toString('hex')}`,
        applicationId: request.applicationId,
        score: assessment.score,
        decision: assessment.decision,
        limitFen: assessment.limitFen,
        assessedAt: now,
      };
      return {
        reference: record.answerId,
        messageType: RISK_MESSAGE_TYPES.answer,
        data: answerOf(record),
        record: (tx) => tx.create(RiskAssessmentRecord, record),
      };
    },
  );
}

/** Opens (and migrates) `<prefix>_risk`, serves POST /assessments and /admin/outage, delivers answers. */
export function startRiskProvider(config: RiskConfig): Promise<RiskProvider> {
  const assessments = signedRequestRoute(RISK_PATHS.assessments, {
    requestType: RISK_MESSAGE_TYPES.request,
    receiptType: RISK_MESSAGE_TYPES.receipt,
    parse: parseRiskAssessmentRequest,
    accept: acceptAssessment,
  });
  return startSwitchableProvider(
    {
      identity: RISK,
      database: riskDatabase,
      receiptType: RISK_MESSAGE_TYPES.receipt,
      requestRoutes: [assessments],
      outagePath: RISK_PATHS.outage,
      routes: [],
    },
    config,
  );
}
