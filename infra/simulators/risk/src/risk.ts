import { randomBytes } from 'node:crypto';
import { isOpsRequestAllowed, readBody, refuseOpsRequest, type EnvReader } from '@wanxin/platform';
import {
  parseRiskAssessmentRequest,
  RISK_MESSAGE_TYPES,
  RISK_PATHS,
  type RiskAssessmentAnswer,
  type RiskAssessmentRequest,
} from '@wanxin/platform/risk-protocol';
import {
  readProviderConfig,
  recordDecisionOnce,
  sendJson,
  sendReceipt,
  signedRequestRoute,
  startProvider,
  type ProviderConfig,
  type ProviderContext,
  type ProviderIdentity,
  type ProviderRoute,
  type RunningProvider,
} from '@wanxin/simulator-kit';
import { RiskAssessmentRecord } from './assessment.entity';
import { riskDatabase } from './database';
import { assessApplicant } from './domain/score';
import { Outage, OUTAGE_MS_MAX } from './outage';

export const RISK_DEFAULT_PORT = 4008;
const RISK: ProviderIdentity = { name: 'risk', envPrefix: 'RISK', defaultPort: RISK_DEFAULT_PORT };

export interface RiskConfig extends ProviderConfig {
  /** RISK_DOWN_FOR_MS: starts down for this long (0: up). */
  downForMs: number;
}

/** PORT (default 4008), DATABASE_URL/DATA_DIR, RISK_* (README, configuration). */
export function readRiskConfig(reader: EnvReader): RiskConfig {
  return { ...readProviderConfig(reader, RISK), downForMs: reader.int('RISK_DOWN_FOR_MS', 0, 0, OUTAGE_MS_MAX) };
}

/** A running risk provider, with the outage switch its /admin/outage route also sets. */
export interface RiskProvider extends RunningProvider {
  /** Down for `forMs` from now (503 to every request, no callback); 0 brings it back. */
  setOutage(forMs: number): void;
}

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

function outageRoute(outage: Outage): ProviderRoute {
  return {
    method: 'POST',
    path: RISK_PATHS.outage,
    async handle(context, request, response) {
      if (!isOpsRequestAllowed(request, context.config.platform)) return refuseOpsRequest(response);
      let downForMs: unknown;
      try {
        downForMs = (JSON.parse(await readBody(request)) as { downForMs?: unknown }).downForMs;
      } catch {
        downForMs = undefined;
      }
      if (typeof downForMs !== 'number' || !Number.isInteger(downForMs) || downForMs < 0 || downForMs > OUTAGE_MS_MAX) {
        return sendJson(response, 400, { error: `downForMs must be a whole number from 0 to ${OUTAGE_MS_MAX}` });
      }
      outage.set(downForMs);
      if (!outage.isDown()) context.wakeCallbacks();
      context.logger.warn({ downUntil: outage.until() }, 'risk provider outage switched');
      sendJson(response, 200, { downUntil: outage.until() });
    },
  };
}

/** Opens (and migrates) `<prefix>_risk`, serves POST /assessments and /admin/outage, delivers answers. */
export async function startRiskProvider(config: RiskConfig): Promise<RiskProvider> {
  const outage = new Outage();
  outage.set(config.downForMs);
  const assessments = signedRequestRoute(RISK_PATHS.assessments, {
    requestType: RISK_MESSAGE_TYPES.request,
    receiptType: RISK_MESSAGE_TYPES.receipt,
    parse: parseRiskAssessmentRequest,
    accept: acceptAssessment,
  });
  const provider = await startProvider(
    {
      identity: RISK,
      database: riskDatabase,
      receiptType: RISK_MESSAGE_TYPES.receipt,
      callbacksPaused: () => outage.isDown(),
      routes: [
        {
          ...assessments,
          async handle(context, request, response) {
            if (!outage.isDown()) return assessments.handle(context, request, response);
            request.resume();
            sendReceipt(context, response, RISK_MESSAGE_TYPES.receipt, {
              code: 'UNAVAILABLE',
              message: `the risk provider is down until ${outage.until()}: ask again later`,
              reference: null,
            });
          },
        },
        outageRoute(outage),
      ],
    },
    config,
  );
  return { ...provider, setOutage: (forMs) => outage.set(forMs) };
}
