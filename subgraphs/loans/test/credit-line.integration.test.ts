// Proves the revolving credit line in the loans subgraph, on libsql and MariaDB, over HTTP against the
// real bank simulator and depository agent: users.credit.approved grants a line priced from the score
// (LOAN_ONE_UNDER_REVIEW=0 and INVESTOR_RATE_FLOOR=0.04 here) and a re-approval keeps what is used while
// an older approval delivered late changes nothing; createLoan needs a line (CREDIT_LIMIT_EXCEEDED
// without one or above what is available, nothing stored), takes the line's rate by default and an
// offered one only from it to the ceiling (BAD_USER_INPUT); 50 concurrent createLoans at the line never
// use more than its limit; a rejected or failed (expired) loan gives its use back once; each
// repayments.installment.repaid restores its principal, at most what the loan holds, once per message
// however often it is delivered, and the settlement gives back the rest; User.creditLine is the user's
// and admins' alone.
// Shortcuts, said plainly: the account-opened fact is inserted into loans' own table, as in
// loans.integration.test.ts; events are delivered through the in-process transport (test/loans-with-bank.ts); a
// loan is moved to REPAYING by the test (no bids subgraph runs here to fund it): the repaid-principal
// consumer reads only what the loan holds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { forkEntityManager, issueToken, newId, type Database, type HttpService, type Role } from '@wanxin/platform';
import { databaseKindsUnderTest, dataOf, deliverEvent, errorCodes, postGraphQL } from '@wanxin/platform/testing';
import { InstallmentRepaid, LoanSettled } from '@wanxin/platform/contracts';
import { CreditLine } from '../src/entities/credit-line.entity';
import { Loan } from '../src/entities/loan.entity';
import {
  deliverCreditApproved,
  loanInput,
  openBorrower,
  startLoansWithBank,
  stopLoansWithBank,
  type LoansWithBank,
} from './loans-with-bank';

const CREATE = `mutation($input: CreateLoanInput!) { createLoan(input: $input) { id amount annualRate investorRate status } }`;
const REVIEW = `mutation($id: ID!, $approve: Boolean!, $reason: String) { reviewLoan(id: $id, approve: $approve, reason: $reason) { id status openedAt } }`;
const EXPIRE = 'mutation($asOf: DateTime) { expireLoans(asOf: $asOf) }';
const CREDIT_LINE_OF = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id creditLine { limit used available score annualRate grantedAt } } } }`;
const DAY_MS = 86_400_000;

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`the credit line in the loans subgraph on ${kind}`, { skip }, () => {
    let started: LoansWithBank | undefined;
    let loans: HttpService;
    let orm: Database;
    let signingKeyPem: string;
    const token = (id: string, role: Role) => issueToken({ id, role }, signingKeyPem, 3600).token;
    const admin = () => token(newId(), 'ADMIN');
    const create = (borrowerId: string, fields: Record<string, unknown> = {}) =>
      postGraphQL(loans.url, CREATE, { input: loanInput(fields) }, token(borrowerId, 'BORROWER'));
    const createLoan = async (borrowerId: string, fields: Record<string, unknown> = {}) =>
      dataOf(await create(borrowerId, fields)).createLoan;
    const line = (userId: string) => forkEntityManager(orm).findOne(CreditLine, { userId });
    const usedFen = async (userId: string) => (await line(userId))!.usedFen;
    const heldFen = async (loanId: string) =>
      (await forkEntityManager(orm).findOneOrFail(Loan, { id: loanId })).creditUsedFen;
    const creditLineAs = (userId: string, bearer?: string) =>
      postGraphQL(loans.url, CREDIT_LINE_OF, { r: [{ __typename: 'User', id: userId }] }, bearer);

    /** A borrower with an opened account and, unless `limitFen` is null, an approved line. */
    const borrower = async (limitFen: bigint | null, score?: number) => {
      const userId = newId();
      await openBorrower(orm, userId, limitFen === null ? undefined : { limitFen, score });
      return userId;
    };

    /** One installment repaid, as repayments publishes it; `messageId` again is the same message redelivered. */
    const deliverRepaid = (loan: Loan, principalFen: bigint | undefined, messageId?: string) =>
      deliverEvent(
        {
          type: InstallmentRepaid.type,
          version: InstallmentRepaid.version,
          aggregateId: loan.id,
          payload: {
            installmentId: newId(),
            loanId: loan.id,
            borrowerId: loan.borrowerId,
            period: 1,
            amountFen: ((principalFen ?? 0n) + 1_000n).toString(),
            ...(principalFen === undefined ? {} : { principalFen: principalFen.toString() }),
            penaltyFen: '0',
            repaidAt: new Date().toISOString(),
            collectionRequestNo: `RP${'0'.repeat(31)}1`,
          },
        },
        messageId,
      );
    /** A loan of `borrowerId` moved to REPAYING by the test (see the header). */
    const repayingLoan = async (borrowerId: string, amount: string) => {
      const { id } = await createLoan(borrowerId, { amount });
      await forkEntityManager(orm).nativeUpdate(Loan, { id }, { status: 'REPAYING' });
      return forkEntityManager(orm).findOneOrFail(Loan, { id });
    };

    before(async () => {
      started = await startLoansWithBank(kind, { LOAN_ONE_UNDER_REVIEW: '0', INVESTOR_RATE_FLOOR: '0.04' });
      ({ loans, orm, signingKeyPem } = started);
    });
    after(() => stopLoansWithBank(started ?? {}));

    test('without a line createLoan is CREDIT_LIMIT_EXCEEDED with 0.00 available, and User.creditLine is null', async () => {
      const userId = await borrower(null);
      const refused = await create(userId);
      assert.deepEqual(errorCodes(refused), ['CREDIT_LIMIT_EXCEEDED']);
      assert.equal(refused.errors![0].extensions!.available, '0.00');
      assert.equal(await forkEntityManager(orm).count(Loan, { borrowerId: userId }), 0);
      assert.deepEqual(dataOf(await creditLineAs(userId, token(userId, 'BORROWER')))._entities, [
        { id: userId, creditLine: null },
      ]);
    });

    test('an approval grants a line priced from the score, which only the user and admins see', async () => {
      const grantedAt = new Date('2026-12-01T08:00:00.000Z');
      const userId = await borrower(null);
      await deliverCreditApproved(userId, { limitFen: 1_000_000n, score: 900, grantedAt });
      const expected = {
        limit: '10000.00',
        used: '0.00',
        available: '10000.00',
        score: 900,
        annualRate: '0.08',
        grantedAt: grantedAt.toISOString(),
      };
      for (const bearer of [token(userId, 'BORROWER'), admin()]) {
        assert.deepEqual(dataOf(await creditLineAs(userId, bearer))._entities, [{ id: userId, creditLine: expected }]);
      }
      for (const [bearer, code] of [
        [token(newId(), 'BORROWER'), 'FORBIDDEN'],
        [undefined, 'UNAUTHENTICATED'],
      ] as const) {
        const answer = await creditLineAs(userId, bearer);
        assert.deepEqual(errorCodes(answer), [code]);
        assert.deepEqual(
          answer.data!._entities,
          [{ id: userId, creditLine: null }],
          'null at the field, the rest stays',
        );
        assert.deepEqual(answer.errors![0].path, ['_entities', 0, 'creditLine']);
      }
    });

    test("createLoan takes the line's rate by default and an offered one from it to the ceiling; investors get the floor", async () => {
      const userId = await borrower(10_000_000n, 900);
      const loan = await createLoan(userId);
      // 0.08 less the 5 % commission is 0.03, under the 0.04 floor: the platform takes less.
      assert.deepEqual([loan.annualRate, loan.investorRate, loan.status], ['0.08', '0.04', 'PENDING_REVIEW']);
      const offered = await createLoan(userId, { annualRate: '0.24' });
      assert.deepEqual([offered.annualRate, offered.investorRate], ['0.24', '0.19']);
      for (const annualRate of ['0.079999', '0.01', '0.240001', '0.5']) {
        const refused = await create(userId, { annualRate });
        assert.deepEqual(errorCodes(refused), ['BAD_USER_INPUT'], annualRate);
        assert.equal(refused.errors![0].extensions!.field, 'annualRate');
      }
      const literal = await postGraphQL(
        loans.url,
        'mutation { createLoan(input: { title: "t", amount: "2000.00", termMonths: 3, repaymentMethod: DAILY, annualRate: "0.07" }) { id } }',
        {},
        token(userId, 'BORROWER'),
      );
      assert.deepEqual(errorCodes(literal), ['BAD_USER_INPUT'], 'as a literal in the document too');
      assert.equal(await forkEntityManager(orm).count(Loan, { borrowerId: userId }), 2);
      assert.equal(await usedFen(userId), 600_000n);
    });

    test('createLoan above what is available is CREDIT_LIMIT_EXCEEDED, saying what is, and stores nothing', async () => {
      const userId = await borrower(1_000_000n);
      await createLoan(userId, { amount: '6000.00' });
      for (const send of [
        () => create(userId, { amount: '4100.00' }),
        () =>
          postGraphQL(
            loans.url,
            'mutation { createLoan(input: { title: "t", amount: "4100.00", termMonths: 3, repaymentMethod: DAILY }) { id } }',
            {},
            token(userId, 'BORROWER'),
          ),
      ]) {
        const refused = await send();
        assert.deepEqual(errorCodes(refused), ['CREDIT_LIMIT_EXCEEDED']);
        assert.equal(refused.errors![0].extensions!.available, '4000.00');
      }
      assert.equal(await forkEntityManager(orm).count(Loan, { borrowerId: userId }), 1);
      assert.equal(await usedFen(userId), 600_000n);
      assert.equal((await createLoan(userId, { amount: '4000.00' })).amount, '4000.00', 'exactly what is available');
      assert.equal(await usedFen(userId), 1_000_000n);
    });

    test('50 concurrent createLoans at the line never use more than its limit', async () => {
      // 50 × 2,000.00 asked of a 61,000.00 line: 30 fit, whatever the interleaving, and 1,000.00 stays.
      const userId = await borrower(6_100_000n);
      const answers = await Promise.all(Array.from({ length: 50 }, () => create(userId, { amount: '2000.00' })));
      const created = answers.filter((answer) => answer.errors === undefined);
      const refusals = answers.filter((answer) => answer.errors !== undefined).map((answer) => errorCodes(answer)[0]);
      assert.equal(created.length, 30, JSON.stringify(refusals));
      assert.deepEqual(new Set(refusals), new Set(['CREDIT_LIMIT_EXCEEDED']));
      const stored = await forkEntityManager(orm).find(Loan, { borrowerId: userId });
      assert.equal(stored.length, 30);
      const heldTotalFen = stored.reduce((sum, loan) => sum + loan.creditUsedFen, 0n);
      assert.equal(heldTotalFen, 6_000_000n);
      assert.equal(await usedFen(userId), heldTotalFen, "the line's use is what its loans hold");
    });

    test('a rejected loan and an expired one give their use back once', async () => {
      const userId = await borrower(1_000_000n);
      await started!.bank.register(userId);
      const rejected = await createLoan(userId, { amount: '3000.00' });
      const expiring = await createLoan(userId, { amount: '5000.00' });
      assert.equal(await usedFen(userId), 800_000n);

      const reject = { id: rejected.id, approve: false, reason: 'income not shown' };
      assert.equal(dataOf(await postGraphQL(loans.url, REVIEW, reject, admin())).reviewLoan.status, 'REJECTED');
      assert.equal(await usedFen(userId), 500_000n);
      assert.equal(await heldFen(rejected.id), 0n);
      assert.deepEqual(errorCodes(await postGraphQL(loans.url, REVIEW, reject, admin())), ['CONFLICT']);
      assert.equal(await usedFen(userId), 500_000n, 'rejecting again gives nothing back');

      const opened = dataOf(
        await postGraphQL(loans.url, REVIEW, { id: expiring.id, approve: true }, admin()),
      ).reviewLoan;
      assert.equal(opened.status, 'FUNDRAISING');
      assert.equal(await usedFen(userId), 500_000n, 'a loan open for bids still holds its use');
      const asOf = new Date(Date.parse(opened.openedAt) + 15 * DAY_MS).toISOString();
      assert.equal(dataOf(await postGraphQL(loans.url, EXPIRE, { asOf }, admin())).expireLoans, 1);
      const failed = await forkEntityManager(orm).findOneOrFail(Loan, { id: expiring.id });
      assert.deepEqual([failed.status, failed.creditUsedFen], ['FAILED', 0n]);
      assert.equal(await usedFen(userId), 0n);
      await postGraphQL(loans.url, EXPIRE, { asOf }, admin());
      assert.equal(await usedFen(userId), 0n, 'the next run gives nothing back again');
    });

    test('each repaid principal restores the line once, at most what the loan holds; the settlement gives back the rest', async () => {
      const userId = await borrower(2_000_000n);
      const loan = await repayingLoan(userId, '6000.00');
      assert.equal(await usedFen(userId), 600_000n);

      const first = await deliverRepaid(loan, 200_000n);
      assert.deepEqual([await usedFen(userId), await heldFen(loan.id)], [400_000n, 400_000n]);
      await deliverRepaid(loan, 200_000n, first.id);
      assert.deepEqual([await usedFen(userId), await heldFen(loan.id)], [400_000n, 400_000n], 'redelivered: once');
      await deliverRepaid(loan, undefined);
      assert.equal(await usedFen(userId), 400_000n, 'a payload without principalFen restores nothing');
      await deliverRepaid(loan, 500_000n);
      assert.deepEqual([await usedFen(userId), await heldFen(loan.id)], [0n, 0n], 'bounded by what the loan held');
      await deliverRepaid(loan, 100_000n);
      assert.equal(await usedFen(userId), 0n);

      const settling = await repayingLoan(userId, '7000.00');
      await deliverRepaid(settling, 300_000n);
      assert.equal(await usedFen(userId), 400_000n);
      const settled = { loanId: settling.id, settledAt: new Date().toISOString() };
      await deliverEvent({
        type: LoanSettled.type,
        version: LoanSettled.version,
        aggregateId: settling.id,
        payload: settled,
      });
      const after = await forkEntityManager(orm).findOneOrFail(Loan, { id: settling.id });
      assert.deepEqual([after.status, after.creditUsedFen], ['SETTLED', 0n]);
      assert.equal(await usedFen(userId), 0n);
    });

    test('a re-approval sets limit, score and rate and keeps the use; an older approval delivered late changes nothing', async () => {
      const userId = await borrower(1_000_000n, 900);
      await createLoan(userId, { amount: '3000.00' });
      const reapprovedAt = new Date();
      await deliverCreditApproved(userId, { limitFen: 500_000n, score: 600, grantedAt: reapprovedAt });
      const reapproved = await line(userId);
      assert.deepEqual(
        [reapproved!.limitFen, reapproved!.usedFen, reapproved!.score, reapproved!.annualRateMicros],
        [500_000n, 300_000n, 600, 200_000],
      );
      assert.equal((await createLoan(userId, { amount: '2000.00' })).annualRate, '0.20', "the new line's rate");

      await deliverCreditApproved(userId, {
        limitFen: 900_000n,
        score: 900,
        grantedAt: new Date(reapprovedAt.getTime() - 1),
      });
      assert.deepEqual(
        [(await line(userId))!.limitFen, (await line(userId))!.score],
        [500_000n, 600],
        'the older approval is ignored',
      );

      await deliverCreditApproved(userId, { limitFen: 200_000n, score: 600 });
      const lowered = dataOf(await creditLineAs(userId, token(userId, 'BORROWER')))._entities[0].creditLine;
      assert.deepEqual([lowered.limit, lowered.used, lowered.available], ['2000.00', '5000.00', '0.00']);
      const refused = await create(userId, { amount: '2000.00' });
      assert.deepEqual(errorCodes(refused), ['CREDIT_LIMIT_EXCEEDED']);
      assert.equal(refused.errors![0].extensions!.available, '0.00');
    });
  });
}
