import type { EntityManager, Logger } from '@wanxin/platform';
import { unfinishedRuns, type AutoInvestEngine } from '../operations/auto-invest';

/** Loans one pass takes up at most; a full batch asks for another pass at once. */
export const AUTO_INVEST_LOANS_PER_PASS = 10;

/**
 * The auto-invest pass: every loan whose run is unfinished (opened since, or left mid-way by an engine that
 * died), oldest first, one after another so each loan's fair queue is walked by one engine here. A loan
 * that fails is logged and left for the next poll; the others go on. True when a full batch finished.
 */
export async function runAutoInvest(em: EntityManager, engine: AutoInvestEngine, logger: Logger): Promise<boolean> {
  const loanIds = await unfinishedRuns(em, AUTO_INVEST_LOANS_PER_PASS);
  let finished = 0;
  for (const loanId of loanIds) {
    try {
      const report = await engine.runLoan(loanId);
      if (report.finished) finished += 1;
      logger.info(report, 'auto-invest pass on a loan');
    } catch (error) {
      logger.error({ err: error, loanId }, 'auto-invest pass on a loan failed; the next pass resumes it');
    }
  }
  // Another pass at once only when this one moved every loan on: a failing loan waits for the next poll.
  return loanIds.length === AUTO_INVEST_LOANS_PER_PASS && finished === loanIds.length;
}
