// Proves the statement over random histories (fast-check), on libsql and MariaDB: whatever a user's
// recharges, withdrawals, bid freezes, releases, payouts and repayments, and in whatever order and how
// often the bank's answers reach the agent (a notification, the sync job and a retried call may each
// bring one, late or twice), the statement the agent writes has one entry a posting, newest first by the
// bank's number, each entry's balances the bank's after it, and Σ amounts = available + frozen. The
// bank's answers come from a model of one user's account at the bank (available, frozen, numbered
// postings), as the simulator's own tests prove it answers (ledger.property.test.ts in the bank).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bankUserNoFor, createLogger, forkEntityManager, newId } from '@wanxin/platform';
import { databaseKindsUnderTest, suiteDatabase } from '@wanxin/platform/testing';
import { BANK_CODES, signedFenText, statementHistoryProblem, type Posting } from '@wanxin/platform/bank-protocol';
import { answeredRequestsOf, recordStatementEntries, type RecordedRequest } from '../src/agent/statement-entries';
import { bizTypeOf } from '../src/domain/request-amount';
import { DepositoryAccount } from '../src/entities/depository-account.entity';
import { statementPage } from '../src/operations/statement';
import { insertRequestsUnlessRecorded } from '../src/store';
import { createSubgraph } from '../src';

const PROJECT_NO = 'LN20261205000001';

type Step =
  | { type: 'RECHARGE' | 'WITHDRAW' | 'FREEZE'; amountFen: bigint }
  | { type: 'RELEASE' | 'PAYOUT' | 'REPAY'; pick: number }
  | { type: 'RECEIPT'; principalFen: bigint; interestFen: bigint };

const amount = fc.bigInt({ min: 1n, max: 500_000n });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ type: fc.constantFrom('RECHARGE' as const, 'WITHDRAW' as const, 'FREEZE' as const), amountFen: amount }),
  fc.record({ type: fc.constantFrom('RELEASE' as const, 'PAYOUT' as const, 'REPAY' as const), pick: fc.nat() }),
  fc.record({
    type: fc.constant('RECEIPT' as const),
    principalFen: amount,
    interestFen: fc.bigInt({ min: 0n, max: 9_999n }),
  }),
);

interface ModelAnswer {
  request: RecordedRequest;
  result: { requestNo: string; code: string; message: string; postings: Posting[] };
  changeFen: bigint;
}

/** One user's account at the bank: each step the bank takes is a request with the user's posting, numbered. */
class ModelAccount {
  availableFen = 0n;
  frozenFen = 0n;
  private seq = 0n;
  private readonly freezes: { requestNo: string; amountFen: bigint; bizType: 'TENDER' | 'REPAYMENT' }[] = [];
  readonly answers: ModelAnswer[] = [];

  constructor(private readonly userNo: string) {}

  take(step: Step): void {
    const open =
      this.freezes.length === 0 ? null : this.freezes[('pick' in step ? step.pick : 0) % this.freezes.length];
    switch (step.type) {
      case 'RECHARGE':
        return void this.post('RECHARGE', {}, step.amountFen, 0n);
      case 'WITHDRAW':
        return step.amountFen <= this.availableFen ? void this.post('WITHDRAW', {}, -step.amountFen, 0n) : undefined;
      case 'FREEZE': {
        if (step.amountFen > this.availableFen) return;
        const bizType = this.answers.length % 2 === 0 ? 'TENDER' : 'REPAYMENT';
        const requestNo = this.post(
          'USER_AUTO_PRE_TRANSACTION',
          { projectNo: PROJECT_NO, bizType },
          -step.amountFen,
          step.amountFen,
        );
        this.freezes.push({ requestNo, amountFen: step.amountFen, bizType });
        return;
      }
      case 'RELEASE':
      case 'PAYOUT':
      case 'REPAY':
        if (open === null || (step.type === 'PAYOUT' && open.bizType !== 'TENDER')) return;
        if (step.type === 'REPAY' && open.bizType !== 'REPAYMENT') return;
        this.freezes.splice(this.freezes.indexOf(open), 1);
        if (step.type === 'RELEASE')
          return void this.post(
            'CANCEL_PRE_TRANSACTION',
            { preRequestNo: open.requestNo },
            open.amountFen,
            -open.amountFen,
          );
        if (step.type === 'PAYOUT')
          return void this.post('CONFIRM_LOAN', { projectNo: PROJECT_NO }, 0n, -open.amountFen);
        return void this.post('CONFIRM_REPAYMENT', { preRequestNo: open.requestNo, details: [] }, 0n, -open.amountFen);
      case 'RECEIPT': {
        const { principalFen, interestFen } = step;
        const details = [{ userNo: this.userNo, principalFen: `${principalFen}`, interestFen: `${interestFen}` }];
        return void this.post(
          'CONFIRM_REPAYMENT',
          { preRequestNo: 'OTHERS-FREEZE', details },
          principalFen + interestFen,
          0n,
        );
      }
      default:
        return step satisfies never;
    }
  }

  private post(
    serviceName: string,
    instruction: Record<string, unknown>,
    availableChangeFen: bigint,
    frozenChangeFen: bigint,
  ): string {
    this.seq += 1n;
    this.availableFen += availableChangeFen;
    this.frozenFen += frozenChangeFen;
    assert.ok(this.availableFen >= 0n && this.frozenFen >= 0n, 'the model never overdraws');
    const requestNo = `RQ${newId().replace(/-/g, '').toUpperCase()}`;
    const posting: Posting = {
      userNo: this.userNo,
      seq: this.seq.toString(),
      availableChangeFen: signedFenText(availableChangeFen),
      frozenChangeFen: signedFenText(frozenChangeFen),
      availableFen: this.availableFen.toString(),
      frozenFen: this.frozenFen.toString(),
    };
    const request = { requestNo, serviceName, businessDate: '2026-12-05', instruction };
    const result = { requestNo, code: BANK_CODES.SUCCESS, message: 'success', postings: [posting] };
    this.answers.push({ request, result, changeFen: availableChangeFen + frozenChangeFen });
    return requestNo;
  }
}

const RUNS = 15;

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`the statement over random histories on ${kind}`, { skip }, () => {
    const database = suiteDatabase(kind, createSubgraph().database);
    const logger = createLogger('statement-property', 'silent');

    test('answers heard in any order, some twice, make one entry a posting, and it adds up to the bank', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(step, { minLength: 1, maxLength: 30 }),
          fc.array(fc.nat(), { maxLength: 60 }),
          async (steps, shuffle) => {
            const userId = newId();
            const userNo = bankUserNoFor(userId);
            const em = forkEntityManager(database.orm);
            await em.insert(em.create(DepositoryAccount, { userId, userNo, status: 'OPENED' }, { persist: false }));
            const model = new ModelAccount(userNo);
            for (const taken of steps) model.take(taken);
            // The agent recorded each request as it sent it, instruction and all.
            await insertRequestsUnlessRecorded(
              forkEntityManager(database.orm),
              model.answers.map(({ request }) => ({
                ...request,
                instruction: JSON.stringify(request.instruction),
                id: newId(),
                userId,
                amountFen: null,
                projectNo: PROJECT_NO,
                bizType: bizTypeOf(request.instruction),
                status: 'UNSYNC' as const,
                bankCode: null,
                message: null,
                createdAt: new Date(),
                syncedAt: null,
              })),
            );
            // Each answer arrives once or twice, in an order the shuffle decides, a few at a time.
            const arrivals = model.answers.flatMap((answer, index) =>
              shuffle[index] % 3 === 0 ? [answer, answer] : [answer],
            );
            for (const [index, pick] of shuffle.entries()) {
              const from = index % arrivals.length;
              const to = pick % arrivals.length;
              [arrivals[from], arrivals[to]] = [arrivals[to], arrivals[from]];
            }
            for (let start = 0; start < arrivals.length; start += 3) {
              const batch = arrivals.slice(start, start + 3);
              await forkEntityManager(database.orm).transactional(async (tx) => {
                const answered = await answeredRequestsOf(
                  tx,
                  batch.map(({ request }) => request),
                );
                const answers = batch.map(({ result }, index) => ({ request: answered[index], result }));
                await recordStatementEntries(tx, answers, logger);
              });
            }

            const page = await statementPage(
              forkEntityManager(database.orm),
              userId,
              { from: null, to: null },
              { first: 100 },
            );
            const entries = page.edges.map(({ node }) => node).reverse();
            assert.equal(page.totalCount, model.answers.length, 'one entry a posting');
            assert.equal(statementHistoryProblem(entries), null, 'the entries are the whole history');
            const totalFen = entries.reduce((sum, entry) => sum + entry.amountFen, 0n);
            assert.equal(totalFen, model.availableFen + model.frozenFen, 'Σ amounts = available + frozen');
            assert.deepEqual(
              entries.map((entry) => entry.amountFen),
              model.answers.map(({ changeFen }) => changeFen),
              'each amount is what the posting changed of the money',
            );
            assert.equal(entries.at(-1)?.availableAfterFen ?? 0n, model.availableFen, 'the last balance is the bank');
          },
        ),
        { numRuns: RUNS },
      );
    });
  });
}
