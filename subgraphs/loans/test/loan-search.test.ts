// Proves the rules of loan search (domain/loan-search.ts): a filter is refused when a range's min exceeds its
// max, a term lies outside 1–36 months, no method is named or the text is over 100 characters; blank text and
// repeated methods change nothing; LIKE patterns match `%`, `_` and `!` literally; a cursor's scope differs
// with the status, the filter and the order; and the stored progress key orders loans exactly as
// funded / amount does, ties included, for every amount the settings allow.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  containsPattern,
  DEFAULT_LOAN_ORDER,
  LoanSearchProblem,
  parseLoanFilter,
  PROGRESS_AMOUNT_MAX_FEN,
  PROGRESS_SCALE,
  progressE18Of,
  searchScopeOf,
  type LoanFilter,
  type LoanFilterRequest,
} from '../src/domain/loan-search';
import { LOAN_AMOUNT_STEP_FEN } from '../src/domain/loan-rules';

function problemOf(request: LoanFilterRequest): string | null {
  const parsed = parseLoanFilter(request);
  return parsed instanceof LoanSearchProblem ? parsed.field : null;
}

function filterOf(request: LoanFilterRequest | null): LoanFilter {
  const parsed = parseLoanFilter(request);
  assert.ok(!(parsed instanceof LoanSearchProblem), JSON.stringify(parsed));
  return parsed;
}

describe('loan search filter', () => {
  it('refuses a min above its max for amount, rate and term, and accepts equal bounds', () => {
    assert.equal(problemOf({ amountMinFen: 300_000n, amountMaxFen: 200_000n }), 'filter.amountMin');
    assert.equal(problemOf({ rateMinMicros: 200_000, rateMaxMicros: 100_000 }), 'filter.rateMin');
    assert.equal(problemOf({ termMinMonths: 12, termMaxMonths: 6 }), 'filter.termMin');
    assert.equal(
      problemOf({ amountMinFen: 200_000n, amountMaxFen: 200_000n, termMinMonths: 6, termMaxMonths: 6 }),
      null,
    );
  });

  it('refuses terms outside 1–36 months, an empty list of methods and text over 100 characters', () => {
    assert.equal(problemOf({ termMinMonths: 0 }), 'filter.termMin');
    assert.equal(problemOf({ termMaxMonths: 37 }), 'filter.termMax');
    assert.equal(problemOf({ methods: [] }), 'filter.methods');
    assert.equal(problemOf({ text: '贷'.repeat(101) }), 'filter.text');
    // Characters, not UTF-16 units: 100 characters outside the BMP are allowed.
    assert.equal(problemOf({ text: '𠀋'.repeat(100) }), null);
  });

  it('reads blank text as no text and repeated methods as one, in one order', () => {
    assert.equal(filterOf({ text: '   ' }).text, null);
    assert.equal(filterOf({ text: ' 装修 ' }).text, '装修');
    assert.deepEqual(filterOf({ methods: ['DAILY', 'BULLET', 'DAILY'] }).methods, ['BULLET', 'DAILY']);
    assert.deepEqual(filterOf(null), filterOf({}));
  });

  it('escapes LIKE wildcards and the escape character itself', () => {
    assert.equal(containsPattern('100%_off!'), '%100!%!_off!!%');
    assert.equal(containsPattern('LN2026'), '%LN2026%');
  });

  it('gives a cursor scope that changes with the status, the filter and the order, and only with them', () => {
    const filter = filterOf({ text: 'a' });
    const scope = searchScopeOf(null, filter, DEFAULT_LOAN_ORDER);
    assert.equal(scope, searchScopeOf(null, filterOf({ text: ' a ' }), DEFAULT_LOAN_ORDER));
    assert.notEqual(scope, searchScopeOf('FUNDRAISING', filter, DEFAULT_LOAN_ORDER));
    assert.notEqual(scope, searchScopeOf(null, filterOf({ text: 'a', termMaxMonths: 12 }), DEFAULT_LOAN_ORDER));
    assert.notEqual(scope, searchScopeOf(null, filter, { field: 'CREATED_AT', direction: 'DESC' }));
    assert.notEqual(
      searchScopeOf(null, filter, { field: 'RATE', direction: 'ASC' }),
      searchScopeOf(null, filter, { field: 'RATE', direction: 'DESC' }),
    );
  });
});

describe('progress key', () => {
  const amountArbitrary = fc
    .bigInt(1n, PROGRESS_AMOUNT_MAX_FEN / LOAN_AMOUNT_STEP_FEN)
    .map((steps) => steps * LOAN_AMOUNT_STEP_FEN);
  const loanArbitrary = amountArbitrary.chain((amountFen) =>
    fc.record({ amountFen: fc.constant(amountFen), fundedFen: fc.bigInt(0n, amountFen) }),
  );

  it('is 0 for nothing funded and exactly 10^18 for everything', () => {
    assert.equal(progressE18Of(0n, 200_000n), 0n);
    assert.equal(progressE18Of(200_000n, 200_000n), PROGRESS_SCALE);
  });

  it('orders any two loans as funded / amount does, equal ratios equal (random and extreme pairs)', () => {
    const sign = (value: bigint) => (value > 0n ? 1 : value < 0n ? -1 : 0);
    const check = (a: { amountFen: bigint; fundedFen: bigint }, b: { amountFen: bigint; fundedFen: bigint }) => {
      const byRatio = sign(a.fundedFen * b.amountFen - b.fundedFen * a.amountFen);
      const byKey = sign(progressE18Of(a.fundedFen, a.amountFen) - progressE18Of(b.fundedFen, b.amountFen));
      assert.equal(byKey, byRatio, `${a.fundedFen}/${a.amountFen} vs ${b.fundedFen}/${b.amountFen}`);
    };
    fc.assert(fc.property(loanArbitrary, loanArbitrary, check), { numRuns: 5_000 });
    // The closest two different ratios can be: the two largest amounts, one fen apart in what they raised.
    const largest = PROGRESS_AMOUNT_MAX_FEN;
    const nextLargest = PROGRESS_AMOUNT_MAX_FEN - LOAN_AMOUNT_STEP_FEN;
    for (let fundedFen = largest - 3n; fundedFen <= largest; fundedFen += 1n)
      for (let otherFen = nextLargest - 3n; otherFen <= nextLargest; otherFen += 1n)
        check({ amountFen: largest, fundedFen }, { amountFen: nextLargest, fundedFen: otherFen });
  });

  it('refuses amounts it cannot order exactly', () => {
    assert.throws(() => progressE18Of(0n, PROGRESS_AMOUNT_MAX_FEN + LOAN_AMOUNT_STEP_FEN));
    assert.throws(() => progressE18Of(0n, 200_001n));
  });
});
