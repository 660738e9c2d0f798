import {
  ageInYears,
  forkEntityManager,
  idNumberBirthDate,
  mapBounded,
  startPassLoop,
  type BackgroundWork,
  type EntityManager,
  type SubgraphRuntime,
} from '@wanxin/platform';
import type { RiskApplicant } from '@wanxin/platform/risk-protocol';
import { nextRiskAskAt } from '../domain/credit-application';
import { CreditApplication } from '../entities/credit-application.entity';
import { Profile } from '../entities/profile.entity';
import { User } from '../entities/user.entity';
import { ProviderRequestNotAccepted } from '../provider/provider-client';
import type { UsersServices, UsersSettings } from '../services';

/** Requests one pass sends at most; a full pass is followed by another at once. */
export const RISK_ASKS_PER_PASS_MAX = 50;
/** Requests in flight at once. */
const RISK_SENDS_IN_FLIGHT_MAX = 8;

export interface RiskAskPass {
  sent: number;
  failed: number;
  /** Applications whose ask was claimed in this pass (sent or not). */
  claimed: number;
}

/** What the provider is told about the applicant: from the verified identity and the profile, never the input. */
async function applicantOf(em: EntityManager, userId: string, now: Date): Promise<RiskApplicant> {
  const user = await em.findOneOrFail(User, { id: userId });
  const profile = await em.findOneOrFail(Profile, { userId });
  return {
    age: user.idNumber === null ? 0 : ageInYears(idNumberBirthDate(user.idNumber), now),
    monthlyIncomeFen: profile.monthlyIncomeFen.toString(),
    employer: profile.employer,
    position: profile.position,
    identityVerified: user.idNumber !== null,
    education: profile.education,
  };
}

/**
 * Claims the next ask of an application (conditional on the count it read, so two replicas never send the
 * same ask) and records when the one after is due.
 */
async function claimAsk(em: EntityManager, application: CreditApplication, now: Date, services: UsersServices) {
  const asksSent = application.asksSent + 1;
  const nextAskAt = nextRiskAskAt({ status: 'RISK_PENDING', asksSent, lastAskedAt: now }, services.riskReask);
  const claimed = await em.nativeUpdate(
    CreditApplication,
    { id: application.id, status: 'RISK_PENDING', asksSent: application.asksSent },
    { asksSent, lastAskedAt: now, nextAskAt },
  );
  return claimed === 1;
}

/**
 * Sends every RISK_PENDING application whose ask is due (the first as soon as the review approved it, then
 * re-asks on the domain's curve with the same application id, which the provider answers once). A send
 * that fails is not retried here: its claim already scheduled the next ask.
 */
export async function askRiskProvider(services: UsersServices, em: EntityManager, now = new Date()) {
  const due = await em.find(
    CreditApplication,
    { status: 'RISK_PENDING', nextAskAt: { $lte: now } },
    { orderBy: { nextAskAt: 'asc', id: 'asc' }, limit: RISK_ASKS_PER_PASS_MAX },
  );
  const pass: RiskAskPass = { sent: 0, failed: 0, claimed: 0 };
  await mapBounded(due, RISK_SENDS_IN_FLIGHT_MAX, async (application) => {
    const fork = em.fork();
    if (!(await claimAsk(fork, application, now, services))) return;
    pass.claimed += 1;
    try {
      const applicant = await applicantOf(fork, application.userId, now);
      await services.risk.send({ applicationId: application.id, applicant }, application.id);
      pass.sent += 1;
    } catch (error) {
      if (!(error instanceof ProviderRequestNotAccepted)) throw error;
      pass.failed += 1;
    }
  });
  return { ...pass, full: due.length === RISK_ASKS_PER_PASS_MAX };
}

/** The risk job every RISK_ASK_INTERVAL_MS, woken at once by a review that approves. */
export function startRiskAsker(services: UsersServices, runtime: SubgraphRuntime<UsersSettings>): BackgroundWork {
  const { logger } = runtime;
  const loop = startPassLoop(
    async () => {
      const pass = await askRiskProvider(services, forkEntityManager(runtime.orm));
      if (pass.claimed > 0) logger.info(pass, 'risk requests sent');
      return pass.full;
    },
    services.riskAskIntervalMs,
    (error) => logger.error({ err: error }, 'risk request pass failed'),
  );
  services.riskAsker = loop;
  return loop;
}
