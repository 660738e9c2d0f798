// Proves the pure auto-invest rules: a rule's validation (amount ≥ the minimum bid and whole hundreds,
// rate 0–1, term 1–360, methods a non-empty set, reserve ≥ 0; each problem names its field and becomes
// BAD_USER_INPUT); matching a loan (enabled, rate, term, method, not the borrower's own); the fair order
// (least recently served first, ties by id) rotating over loans so no rule is always first; the share cap
// (rounded down) with the last bid cut down to whole hundreds and never leaving a remainder under the
// minimum; the reserve (an unknown balance keeps nothing); and the reservation's gate (one bid per rule and
// loan, never past the share).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  AUTO_INVEST_STEP_FEN,
  AutoInvestProblem,
  autoBidFen,
  autoRefusals,
  autoServedOf,
  autoShareCapFen,
  autoShareFull,
  compareServiceOrder,
  keepsReserve,
  parseAutoInvest,
  planAutoBids,
  ruleMatches,
  type AutoInvestRequest,
  type AutoInvestRuleView,
  type LoanTerms,
} from '../src/domain/auto-invest';
import { AutoInvestErrors } from '../src/domain/errors';

const MIN = 10_000n;
const REQUEST: AutoInvestRequest = {
  enabled: true,
  amountPerLoanFen: 100_000n,
  rateMinMicros: null,
  termMaxMonths: null,
  methods: null,
  reserveFen: null,
};
const LOAN: LoanTerms = {
  borrowerId: 'borrower',
  investorRateMicros: 100_000,
  termMonths: 12,
  repaymentMethod: 'EQUAL_INSTALLMENT',
};

function rule(id: string, overrides: Partial<AutoInvestRuleView> = {}): AutoInvestRuleView {
  return {
    id,
    investorId: `investor-${id}`,
    enabled: true,
    amountPerLoanFen: 100_000n,
    rateMinMicros: null,
    termMaxMonths: null,
    methods: null,
    reserveFen: 0n,
    lastServedAt: new Date(0),
    ...overrides,
  };
}

const problemOf = (overrides: Partial<AutoInvestRequest>) => {
  const parsed = parseAutoInvest({ ...REQUEST, ...overrides }, MIN);
  return parsed instanceof AutoInvestProblem ? [parsed.field, parsed.reason] : null;
};

describe('parseAutoInvest', () => {
  it('accepts a rule and stores its methods distinct and sorted, the reserve 0 when absent', () => {
    const parsed = parseAutoInvest({ ...REQUEST, methods: ['BULLET', 'DAILY', 'BULLET'], termMaxMonths: 36 }, MIN);
    assert.ok(!(parsed instanceof AutoInvestProblem));
    assert.deepEqual(parsed.methods, ['BULLET', 'DAILY']);
    assert.equal(parsed.reserveFen, 0n);
    assert.equal(parsed.termMaxMonths, 36);
  });

  it('refuses an amount below the minimum bid, as placeBid words it, or not in whole hundreds', () => {
    assert.deepEqual(problemOf({ amountPerLoanFen: 9_999n }), ['amountPerLoan', 'the minimum bid is 100.00']);
    assert.deepEqual(problemOf({ amountPerLoanFen: 0n }), ['amountPerLoan', 'the minimum bid is 100.00']);
    assert.deepEqual(problemOf({ amountPerLoanFen: 15_000n }), ['amountPerLoan', 'must be a multiple of 100.00']);
    assert.deepEqual(problemOf({ amountPerLoanFen: 10_001n }), ['amountPerLoan', 'must be a multiple of 100.00']);
  });

  it('refuses rates outside 0–1, terms outside 1–360, an empty method list and a negative reserve', () => {
    assert.equal(problemOf({ rateMinMicros: 0 }), null);
    assert.equal(problemOf({ rateMinMicros: 1_000_000 }), null);
    assert.deepEqual(problemOf({ rateMinMicros: 1_000_001 })?.[0], 'rateMin');
    assert.deepEqual(problemOf({ rateMinMicros: -1 })?.[0], 'rateMin');
    assert.deepEqual(problemOf({ termMaxMonths: 0 })?.[0], 'termMax');
    assert.deepEqual(problemOf({ termMaxMonths: 361 })?.[0], 'termMax');
    assert.equal(problemOf({ termMaxMonths: 360 }), null);
    assert.deepEqual(problemOf({ methods: [] })?.[0], 'methods');
    assert.deepEqual(problemOf({ methods: ['WEEKLY'] })?.[0], 'methods');
    assert.deepEqual(problemOf({ reserveFen: -1n })?.[0], 'reserve');
  });

  it('turns a problem into BAD_USER_INPUT naming the input field', () => {
    const error = AutoInvestErrors.badRule(new AutoInvestProblem('amountPerLoan', 'the minimum bid is 100.00'));
    assert.equal(error.extensions.code, 'BAD_USER_INPUT');
    assert.equal(error.message, 'Invalid input.amountPerLoan: the minimum bid is 100.00');
  });
});

describe('ruleMatches', () => {
  it('matches an enabled rule within its rate, term and methods, never on the investor’s own loan', () => {
    assert.equal(ruleMatches(rule('a'), LOAN), true);
    assert.equal(ruleMatches(rule('a', { enabled: false }), LOAN), false, 'disabled');
    assert.equal(ruleMatches(rule('a', { rateMinMicros: 100_000 }), LOAN), true, 'the rate itself');
    assert.equal(ruleMatches(rule('a', { rateMinMicros: 100_001 }), LOAN), false, 'a rate above');
    assert.equal(ruleMatches(rule('a', { termMaxMonths: 12 }), LOAN), true, 'the term itself');
    assert.equal(ruleMatches(rule('a', { termMaxMonths: 11 }), LOAN), false, 'a shorter term');
    assert.equal(ruleMatches(rule('a', { methods: ['BULLET', 'EQUAL_INSTALLMENT'] }), LOAN), true);
    assert.equal(ruleMatches(rule('a', { methods: ['BULLET'] }), LOAN), false, 'another method');
    assert.equal(ruleMatches(rule('a', { investorId: 'borrower' }), LOAN), false, 'the borrower');
  });
});

describe('the fair order', () => {
  it('serves the least recently served first, ties by rule id', () => {
    const rules = [
      rule('c', { lastServedAt: new Date(2_000) }),
      rule('b', { lastServedAt: new Date(1_000) }),
      rule('a', { lastServedAt: new Date(2_000) }),
      rule('d'),
    ];
    assert.deepEqual(
      [...rules].sort(compareServiceOrder).map(({ id }) => id),
      ['d', 'b', 'a', 'c'],
    );
  });

  it('rotates: over loans that each take 3 of 10 rules, every rule is served before any is served twice', () => {
    let rules = Array.from({ length: 10 }, (_, index) => rule(`r${index}`));
    const served = new Map<string, number>();
    for (let loan = 1; loan <= 10; loan += 1) {
      const queue = [...rules].sort(compareServiceOrder);
      const plan = planAutoBids(
        queue,
        new Map(queue.map((each) => [each.investorId, 10_000_000n])),
        {
          capLeftFen: 300_000n,
          remainingFen: 600_000n,
        },
        MIN,
      );
      assert.equal(plan.bids.length, 3);
      assert.ok(plan.full, 'the share is full after 3 bids of 1,000.00');
      for (const { ruleId } of plan.bids) served.set(ruleId, (served.get(ruleId) ?? 0) + 1);
      const counts = rules.map(({ id }) => served.get(id) ?? 0);
      assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `after loan ${loan}: ${counts}`);
      // The served rules go to the back of the queue, in the order they were served.
      rules = rules.map((each) => {
        const position = plan.bids.findIndex(({ ruleId }) => ruleId === each.id);
        return position < 0 ? each : { ...each, lastServedAt: new Date(loan * 1_000 + position) };
      });
    }
    assert.deepEqual([...served.values()].sort(), [3, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
  });
});

describe('the share and the last bid', () => {
  it('caps auto bids at the share of the loan, rounded down to the fen', () => {
    assert.equal(autoShareCapFen(50_000_000n, 500_000), 25_000_000n);
    assert.equal(autoShareCapFen(10_001n, 500_000), 5_000n);
    assert.equal(autoShareCapFen(10_000n, 0), 0n);
    assert.equal(autoShareCapFen(10_000n, 1_000_000), 10_000n);
  });

  it('cuts the last bid down to whole hundreds that fit, or skips it under the minimum', () => {
    assert.equal(autoBidFen(100_000n, 1_000_000n, 2_000_000n, MIN), 100_000n);
    assert.equal(autoBidFen(100_000n, 35_050n, 2_000_000n, MIN), 30_000n, 'cut to 300.00');
    assert.equal(autoBidFen(100_000n, 9_999n, 2_000_000n, MIN), null, 'under the minimum');
    assert.equal(autoBidFen(100_000n, 1_000_000n, 40_000n, MIN), 40_000n, 'the whole remainder');
  });

  it('never leaves the loan a remainder under the minimum bid', () => {
    // 1,050.00 left: a bid of 1,000.00 would leave 50.00, so it is cut to 900.00 (leaving 150.00).
    assert.equal(autoBidFen(100_000n, 1_000_000n, 105_000n, MIN), 90_000n);
    // 150.00 left and the cap at 100.00: 100.00 would leave 50.00, and nothing smaller is a bid.
    assert.equal(autoBidFen(100_000n, 10_000n, 15_000n, MIN), null);
    assert.equal(autoShareFull({ capLeftFen: 10_000n, remainingFen: 15_000n }, MIN), true);
    assert.equal(autoShareFull({ capLeftFen: 10_000n, remainingFen: 20_000n }, MIN), false);
  });

  it('plans bids in order until the share is full, the last one cut down', () => {
    const rules = ['a', 'b', 'c', 'd'].map((id) => rule(id));
    const balances = new Map(rules.map((each) => [each.investorId, 1_000_000n]));
    const plan = planAutoBids(rules, balances, { capLeftFen: 250_000n, remainingFen: 500_000n }, MIN);
    assert.deepEqual(
      plan.bids.map(({ ruleId, amountFen }) => [ruleId, amountFen]),
      [
        ['a', 100_000n],
        ['b', 100_000n],
        ['c', 50_000n],
      ],
    );
    assert.equal(plan.full, true);
    assert.ok(plan.bids.every(({ amountFen }) => amountFen % AUTO_INVEST_STEP_FEN === 0n));
  });
});

describe('the reserve', () => {
  it('keeps the reserve or skips the rule; an unknown balance keeps nothing', () => {
    assert.equal(keepsReserve(150_000n, 100_000n, 50_000n), true, 'exactly the reserve left');
    assert.equal(keepsReserve(149_999n, 100_000n, 50_000n), false);
    assert.equal(keepsReserve(null, 100_000n, 0n), false);
  });

  it('skips a rule whose investor would fall below it, and the next rule takes its place', () => {
    const rules = [rule('a', { reserveFen: 500_000n }), rule('b'), rule('c')];
    const balances = new Map([
      ['investor-a', 550_000n],
      ['investor-b', 100_000n],
      ['investor-c', null],
    ]);
    const plan = planAutoBids(rules, balances, { capLeftFen: 1_000_000n, remainingFen: 2_000_000n }, MIN);
    assert.deepEqual(
      plan.bids.map(({ ruleId }) => ruleId),
      ['b'],
    );
    assert.deepEqual(plan.skippedForReserve, ['a', 'c']);
    assert.equal(plan.full, false);
  });
});

describe('the reservation gate', () => {
  it('refuses a rule that bid on the loan before or earlier in the round, and any bid past the share', () => {
    const served = autoServedOf([
      { autoRuleId: 'a', amountFen: 100_000n, status: 'FROZEN' },
      { autoRuleId: 'b', amountFen: 100_000n, status: 'FAILED' },
    ]);
    assert.equal(served.countedFen, 100_000n, 'a refused bid holds none of the share');
    const refusals = autoRefusals(served, [
      { ruleId: 'a', amountFen: 100_000n, capFen: 250_000n },
      { ruleId: 'b', amountFen: 100_000n, capFen: 250_000n },
      { ruleId: 'c', amountFen: 100_000n, capFen: 250_000n },
      { ruleId: 'c', amountFen: 10_000n, capFen: 250_000n },
      { ruleId: 'd', amountFen: 60_000n, capFen: 250_000n },
    ]);
    assert.deepEqual(refusals, ['ALREADY_SERVED', 'ALREADY_SERVED', null, 'ALREADY_SERVED', 'SHARE_FULL']);
    assert.equal(AutoInvestErrors.refused('SHARE_FULL', 'loan', 'd').extensions.code, 'CONFLICT');
  });
});
