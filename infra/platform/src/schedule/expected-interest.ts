import { assert } from '../assert';
import { buildSchedule, type ScheduleTerms } from './schedule';

/**
 * What an investor who lends `principalFen` expects to earn in interest over the loan: Σ interest of the
 * schedule built for that amount at the investor's rate, with the loan's term, method and start date.
 * It is a preview, chosen because it uses the very formulas of the borrower's schedule; the fen actually
 * paid come from splitSchedule: the bid's largest-remainder share of the borrower's interest scaled by
 * investorRate / borrowerRate, which can differ from this by a few fen (by more for EQUAL_INSTALLMENT,
 * whose interest is not proportional to the rate).
 */
export function expectedInterestFen(terms: ScheduleTerms): bigint {
  const rows = buildSchedule(terms);
  const interestFen = rows.reduce((sum, row) => sum + row.interestFen, 0n);
  assert(interestFen >= 0n, `expected interest must not be negative, got ${interestFen}`);
  return interestFen;
}
