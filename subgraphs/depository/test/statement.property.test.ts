// Proves the statement over random histories (fast-check), on libsql and MariaDB: whatever two users'
// recharges, withdrawals, bid freezes, releases, payouts, repayments and claim transfers to each other
// (CREDIT_ASSIGNMENT: the buyer's TRANSFER_BOUGHT, the seller's TRANSFER_SOLD and FEE), and in whatever
// order and how often the bank's answers reach the agent (a notification, the sync job and a retried call
// may each bring one, late or twice), each user's statement has one entry a posting, newest first by the
// bank's number, each entry's balances the bank's after it, and Σ amounts = available + frozen — for the
// buyer and the seller alike; and the FEE entries add up to the platform's fee income. The bank's answers
// come from a model of the users' accounts at the bank (available, frozen, numbered postings) and the
// platform's fee account, as the simulator's own tests prove it answers (bank-credit-assignment.test.ts and
// ledger.property.test.ts in the bank).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bankUserNoFor, createLogger, forkEntityManager, newId } from '@wanxin/platform';
import { databaseKindsUnderTest, suiteDatabase } from '@wanxin/platform/testing';
import {
  BANK_CODES,
  creditAssignmentRequest,
  signedFenText,
  statementHistoryProblem,
  type Posting,
} from '@wanxin/platform/bank-protocol';
import { answeredRequestsOf, recordStatementEntries, type RecordedRequest } from '../src/agent/statement-entries';
import { bizTypeOf } from '../src/domain/request-amount';
import { DepositoryAccount } from '../src/entities/depository-account.entity';
import { statementPage } from '../src/operations/statement';
import { insertRequestsUnlessRecorded } from '../src/store';
import { createSubgraph } from '../src';

const PROJECT_NO = 'LN20261205000001';
/** The two users of a history: each recharges, bids, repays, and sells a claim to the other. */
const USERS = 2;

type Step =
  | { type: 'RECHARGE' | 'WITHDRAW' | 'FREEZE'; who: number; amountFen: bigint }
  | { type: 'RELEASE' | 'PAYOUT' | 'REPAY'; who: number; pick: number }
  | { type: 'RECEIPT'; who: number; principalFen: bigint; interestFen: bigint }
  /** `who` sells a claim to the other user for `pricePermille` of what they have, the platform taking `feePermille`. */
  | { type: 'ASSIGN'; who: number; pricePermille: number; feePermille: number };

const amount = fc.bigInt({ min: 1n, max: 500_000n });
const who = fc.nat(USERS - 1);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    type: fc.constantFrom('RECHARGE' as const, 'WITHDRAW' as const, 'FREEZE' as const),
    who,
    amountFen: amount,
  }),
  fc.record({ type: fc.constantFrom('RELEASE' as const, 'PAYOUT' as const, 'REPAY' as const), who, pick: fc.nat() }),
  fc.record({
    type: fc.constant('RECEIPT' as const),
    who,
    principalFen: amount,
    interestFen: fc.bigInt({ min: 0n, max: 9_999n }),
  }),
  fc.record({
    type: fc.constant('ASSIGN' as const),
    who,
    pricePermille: fc.integer({ min: 1, max: 1000 }),
    feePermille: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 999 })),
  }),
);

/** One posting's change of one user's money, as the model made it. */
interface ModelChange {
  userNo: string;
  changeFen: bigint;
}

interface ModelAnswer {
  request: RecordedRequest;
  result: { requestNo: string; code: string; message: string; postings: Posting[] };
  changes: ModelChange[];
}

/** One user's account at the bank: balances, numbered postings, open freezes. */
class ModelAccount {
  availableFen = 0n;
  frozenFen = 0n;
  seq = 0n;
  readonly freezes: { requestNo: string; amountFen: bigint; bizType: 'TENDER' | 'REPAYMENT' }[] = [];

  constructor(readonly userNo: string) {}
}

/** A posting to make on one account: its changes of available and frozen. */
interface PostingChange {
  account: ModelAccount;
  availableChangeFen: bigint;
  frozenChangeFen: bigint;
}

/** The users' accounts at the bank and the platform's fee income: each step the bank takes is one request. */
class ModelBank {
  readonly accounts: ModelAccount[];
  platformFeeFen = 0n;
  readonly answers: ModelAnswer[] = [];

  constructor(userNos: readonly string[]) {
    this.accounts = userNos.map((userNo) => new ModelAccount(userNo));
  }

  take(step: Step): void {
    const account = this.accounts[step.who];
    const open =
      account.freezes.length === 0 ? null : account.freezes[('pick' in step ? step.pick : 0) % account.freezes.length];
    const alone = (availableChangeFen: bigint, frozenChangeFen: bigint) => [
      { account, availableChangeFen, frozenChangeFen },
    ];
    switch (step.type) {
      case 'RECHARGE':
        return void this.post('RECHARGE', {}, alone(step.amountFen, 0n));
      case 'WITHDRAW':
        return step.amountFen <= account.availableFen
          ? void this.post('WITHDRAW', {}, alone(-step.amountFen, 0n))
          : undefined;
      case 'FREEZE': {
        if (step.amountFen > account.availableFen) return;
        const bizType = this.answers.length % 2 === 0 ? 'TENDER' : 'REPAYMENT';
        const requestNo = this.post(
          'USER_AUTO_PRE_TRANSACTION',
          { projectNo: PROJECT_NO, bizType },
          alone(-step.amountFen, step.amountFen),
        );
        account.freezes.push({ requestNo, amountFen: step.amountFen, bizType });
        return;
      }
      case 'RELEASE':
      case 'PAYOUT':
      case 'REPAY':
        if (open === null || (step.type === 'PAYOUT' && open.bizType !== 'TENDER')) return;
        if (step.type === 'REPAY' && open.bizType !== 'REPAYMENT') return;
        account.freezes.splice(account.freezes.indexOf(open), 1);
        if (step.type === 'RELEASE')
          return void this.post(
            'CANCEL_PRE_TRANSACTION',
            { preRequestNo: open.requestNo },
            alone(open.amountFen, -open.amountFen),
          );
        if (step.type === 'PAYOUT')
          return void this.post('CONFIRM_LOAN', { projectNo: PROJECT_NO }, alone(0n, -open.amountFen));
        return void this.post(
          'CONFIRM_REPAYMENT',
          { preRequestNo: open.requestNo, details: [] },
          alone(0n, -open.amountFen),
        );
      case 'RECEIPT': {
        const { principalFen, interestFen } = step;
        const details = [{ userNo: account.userNo, principalFen: `${principalFen}`, interestFen: `${interestFen}` }];
        return void this.post(
          'CONFIRM_REPAYMENT',
          { preRequestNo: 'OTHERS-FREEZE', details },
          alone(principalFen + interestFen, 0n),
        );
      }
      case 'ASSIGN':
        return this.assign(account, this.accounts[(step.who + 1) % USERS], step);
      default:
        return step satisfies never;
    }
  }

  /** A claim transfer as the bank answers it: the buyer's posting, then the seller's price and fee (if any). */
  private assign(seller: ModelAccount, buyer: ModelAccount, step: Step & { type: 'ASSIGN' }): void {
    const amountFen = (buyer.availableFen * BigInt(step.pricePermille)) / 1000n;
    if (amountFen === 0n) return;
    const feeFen = (amountFen * BigInt(step.feePermille)) / 1000n;
    const instruction = creditAssignmentRequest({
      requestNo: 'CA',
      projectNo: PROJECT_NO,
      sellerUserNo: seller.userNo,
      buyerUserNo: buyer.userNo,
      amountFen,
      feeFen,
    });
    const changes = [
      { account: buyer, availableChangeFen: -amountFen, frozenChangeFen: 0n },
      { account: seller, availableChangeFen: amountFen, frozenChangeFen: 0n },
      ...(feeFen === 0n ? [] : [{ account: seller, availableChangeFen: -feeFen, frozenChangeFen: 0n }]),
    ];
    this.post('CREDIT_ASSIGNMENT', instruction, changes);
    this.platformFeeFen += feeFen;
  }

  /** One request: a posting for each change, numbered on its account. */
  private post(serviceName: string, instruction: Record<string, unknown>, changes: readonly PostingChange[]): string {
    const requestNo = `RQ${newId().replace(/-/g, '').toUpperCase()}`;
    const postings = changes.map(({ account, availableChangeFen, frozenChangeFen }): Posting => {
      account.seq += 1n;
      account.availableFen += availableChangeFen;
      account.frozenFen += frozenChangeFen;
      assert.ok(account.availableFen >= 0n && account.frozenFen >= 0n, 'the model never overdraws');
      return {
        userNo: account.userNo,
        seq: account.seq.toString(),
        availableChangeFen: signedFenText(availableChangeFen),
        frozenChangeFen: signedFenText(frozenChangeFen),
        availableFen: account.availableFen.toString(),
        frozenFen: account.frozenFen.toString(),
      };
    });
    const request = { requestNo, serviceName, businessDate: '2026-12-05', instruction: { ...instruction, requestNo } };
    const result = { requestNo, code: BANK_CODES.SUCCESS, message: 'success', postings };
    this.answers.push({
      request,
      result,
      changes: changes.map(({ account, availableChangeFen, frozenChangeFen }) => ({
        userNo: account.userNo,
        changeFen: availableChangeFen + frozenChangeFen,
      })),
    });
    return requestNo;
  }
}

const RUNS = 15;

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`the statement over random histories on ${kind}`, { skip }, () => {
    const database = suiteDatabase(kind, createSubgraph().database);
    const logger = createLogger('statement-property', 'silent');
    /** A user's statement, oldest first (at most 60 postings a user: 30 steps, two for a seller's sale). */
    const wholeStatement = async (userId: string) => {
      const page = await statementPage(
        forkEntityManager(database.orm),
        userId,
        { from: null, to: null },
        { first: 100 },
      );
      assert.equal(page.pageInfo.hasNextPage, false, 'one page holds the statement');
      return page.edges.map(({ node }) => node).reverse();
    };

    test('answers heard in any order, some twice, make one entry a posting, and it adds up to the bank', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(step, { minLength: 1, maxLength: 30 }),
          fc.array(fc.nat(), { maxLength: 60 }),
          async (steps, shuffle) => {
            const userIds = Array.from({ length: USERS }, () => newId());
            const em = forkEntityManager(database.orm);
            for (const userId of userIds) {
              const account = { userId, userNo: bankUserNoFor(userId), status: 'OPENED' as const };
              await em.insert(em.create(DepositoryAccount, account, { persist: false }));
            }
            const model = new ModelBank(userIds.map(bankUserNoFor));
            for (const taken of steps) model.take(taken);
            // The agent recorded each request as it sent it, instruction and all.
            await insertRequestsUnlessRecorded(
              forkEntityManager(database.orm),
              model.answers.map(({ request }) => ({
                ...request,
                instruction: JSON.stringify(request.instruction),
                id: newId(),
                userId: userIds[0],
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

            let feesChargedFen = 0n;
            for (const [index, account] of model.accounts.entries()) {
              const entries = await wholeStatement(userIds[index]);
              const changes = model.answers.flatMap((answer) =>
                answer.changes.filter((change) => change.userNo === account.userNo),
              );
              const what = `user ${index}`;
              assert.equal(entries.length, changes.length, `${what}: one entry a posting`);
              assert.equal(statementHistoryProblem(entries), null, `${what}: the entries are the whole history`);
              const totalFen = entries.reduce((sum, entry) => sum + entry.amountFen, 0n);
              assert.equal(
                totalFen,
                account.availableFen + account.frozenFen,
                `${what}: Σ amounts = available + frozen`,
              );
              assert.deepEqual(
                entries.map((entry) => entry.amountFen),
                changes.map(({ changeFen }) => changeFen),
                `${what}: each amount is what the posting changed of the money`,
              );
              const last = entries.at(-1)?.availableAfterFen ?? 0n;
              assert.equal(last, account.availableFen, `${what}: the last balance is the bank's`);
              feesChargedFen -= entries
                .filter((entry) => entry.kind === 'FEE')
                .reduce((sum, e) => sum + e.amountFen, 0n);
            }
            assert.equal(feesChargedFen, model.platformFeeFen, "the FEE entries are the platform's fee income");
          },
        ),
        { numRuns: RUNS },
      );
    });
  });
}
