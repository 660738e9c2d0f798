// Proves the loan lifecycle end to end over HTTP against the real bank simulator and the real depository
// agent (in this process, one test environment, so keys and the service secret are shared), on libsql
// and MariaDB: who may publish a loan and with what amounts; review with CREATE_PROJECT at the bank;
// what the public list shows; the funding window FAILing a loan; a fully-funded event; the full review
// paying out with CONFIRM_LOAN (the borrower's bank balance is the amount less the fee) or refusing it;
// and that every status change writes its event to the outbox. The borrowers' credit lines come as users
// grants them, users.credit.approved delivered through the in-process transport (test/loans-with-bank.ts).
// Shortcuts, said plainly: the borrower's "account opened" fact is inserted into loans' own table rather
// than delivered by the agent's depository.account.opened (the bank page is posted directly, so the agent
// never saw the request), and bids.loan.fully-funded is crafted by the test (the bids subgraph is not
// started) and delivered through the in-process transport to the running subgraph's inbox.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bankUserNoFor,
  forkEntityManager,
  InternalBankClient,
  issueToken,
  newId,
  OutboxMessage,
  resolveServiceSecret,
  SERVICE_TOKEN_HEADER,
  type Database,
  type HttpService,
  type JsonObject,
  type Role,
} from '@wanxin/platform';
import {
  databaseKindsUnderTest,
  dataOf,
  deliverEvent,
  errorCodes,
  postGraphQL,
  type TestEnvironment,
} from '@wanxin/platform/testing';
import { testRequestNo, type BankAndAgent } from '@wanxin/depository/testing';
import { CreditLine } from '../src/entities/credit-line.entity';
import { Loan } from '../src/entities/loan.entity';
import { loanFullyFunded } from '../src/events/loan-fully-funded.subscription';
import { approveLoan } from '../src/operations/review-loan';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';
import { loanInput, openBorrower, startLoansWithBank, stopLoansWithBank, type LoansWithBank } from './loans-with-bank';

const LOAN_FIELDS =
  'id loanNo title amount annualRate investorRate termMonths repaymentMethod status rejectReason failReason openedAt borrower { id }';
/** The loan's terms at the head of loans.loan.opened and loans.loan.disbursed, in the order they are written. */
const LOAN_TERMS_FIELDS = [
  'loanId',
  'loanNo',
  'borrowerId',
  'amountFen',
  'annualRateMicros',
  'investorRateMicros',
  'termMonths',
  'repaymentMethod',
];
const CREATE = `mutation($input: CreateLoanInput!) { createLoan(input: $input) { ${LOAN_FIELDS} } }`;
const REVIEW = `mutation($id: ID!, $approve: Boolean!, $reason: String) { reviewLoan(id: $id, approve: $approve, reason: $reason) { ${LOAN_FIELDS} } }`;
const REVIEW_FULL = `mutation($id: ID!, $approve: Boolean!, $reason: String) { reviewFullLoan(id: $id, approve: $approve, reason: $reason) { ${LOAN_FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $reason: String!) { cancelLoan(id: $id, reason: $reason) { ${LOAN_FIELDS} cancelReason } }`;
const LIST = `query($status: LoanStatus) { loans(status: $status, first: 100) { totalCount edges { node { id status } } } }`;

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`loans subgraph with the bank on ${kind}`, { skip }, () => {
    let started: LoansWithBank | undefined;
    let environment: TestEnvironment;
    let bank: BankAndAgent;
    let loans: HttpService;
    let orm: Database;
    let signingKeyPem: string;
    const borrowerId = newId();
    const unopenedBorrowerId = newId();
    /** Opened according to loans, but unknown to the bank: CREATE_PROJECT is refused for them. */
    const unknownAtBankBorrowerId = newId();
    const investorIds = [newId(), newId()];
    const token = (id: string, role: Role) => issueToken({ id, role }, signingKeyPem, 3600).token;
    const admin = () => token(newId(), 'ADMIN');
    const call = (query: string, variables: Record<string, unknown> = {}, bearer?: string) =>
      postGraphQL(loans.url, query, variables, bearer);
    const createLoan = async (fields: Record<string, unknown> = {}) =>
      dataOf(await call(CREATE, { input: loanInput(fields) }, token(borrowerId, 'BORROWER'))).createLoan;
    const review = async (id: string, approve: boolean, reason?: string) =>
      dataOf(await call(REVIEW, { id, approve, reason }, admin())).reviewLoan;
    const outbox = async (type: string, loanId: string) =>
      forkEntityManager(orm).find(OutboxMessage, { type, aggregateId: loanId });

    const freezeThroughAgent = async (investorId: string, projectNo: string, amountFen: bigint) => {
      const response = await fetch(`${bank.agentBaseUrl}/internal/bank`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SERVICE_TOKEN_HEADER]: resolveServiceSecret(environment.config.dataDir, undefined),
        },
        body: JSON.stringify({
          serviceName: 'USER_AUTO_PRE_TRANSACTION',
          userId: investorId,
          reqData: {
            requestNo: testRequestNo('FRZ'),
            userNo: bankUserNoFor(investorId),
            projectNo,
            bizType: 'TENDER',
            amountFen: amountFen.toString(),
          },
        }),
      });
      const body = (await response.json()) as { code: string; message: string };
      assert.equal(body.code, BANK_CODES.SUCCESS, body.message);
    };
    const deliverFullyFunded = (payload: JsonObject & { loanId: string }) =>
      deliverEvent({
        type: loanFullyFunded.type,
        version: loanFullyFunded.version,
        aggregateId: payload.loanId,
        payload,
      });

    before(async () => {
      ({ environment, bank, loans, orm, signingKeyPem } = started = await startLoansWithBank(kind, {
        LOAN_SERVICE_FEE_RATE: '0.01',
      }));
      await bank.register(borrowerId);
      for (const investorId of investorIds) {
        await bank.register(investorId);
        await bank.recharge(investorId, 1_000_000n);
      }
      // What depository.account.opened would have recorded (see the header).
      for (const userId of [borrowerId, unknownAtBankBorrowerId])
        await openBorrower(orm, userId, { limitFen: 10_000_000n });
    });
    after(() => stopLoansWithBank(started ?? {}));

    test('createLoan needs a BORROWER with an opened depository account', async () => {
      assert.deepEqual(errorCodes(await call(CREATE, { input: loanInput() }, token(unopenedBorrowerId, 'BORROWER'))), [
        'CONFLICT',
      ]);
      assert.deepEqual(errorCodes(await call(CREATE, { input: loanInput() }, token(investorIds[0], 'INVESTOR'))), [
        'FORBIDDEN',
      ]);
      assert.deepEqual(errorCodes(await call(CREATE, { input: loanInput() })), ['UNAUTHENTICATED']);
    });

    test('createLoan refuses amounts off the rules and malformed ones with BAD_USER_INPUT, creating nothing', async () => {
      const bad: Record<string, unknown>[] = [
        { amount: '1999.99' },
        { amount: '500000.01' },
        { amount: '2050.00' },
        { amount: '-1' },
        { amount: '1,000.00' },
        { amount: '2000.001' },
        { termMonths: 2 },
        { termMonths: 37 },
        { title: '  ' },
        { annualRate: '0.01' },
      ];
      for (const fields of bad) {
        assert.deepEqual(
          errorCodes(await call(CREATE, { input: loanInput(fields) }, token(borrowerId, 'BORROWER'))),
          ['BAD_USER_INPUT'],
          JSON.stringify(fields),
        );
      }
      assert.equal(await forkEntityManager(orm).count(Loan, { borrowerId }), 0);
    });

    test('createLoan stores a PENDING_REVIEW loan with the default rates; a second one under review is CONFLICT', async () => {
      const loan = await createLoan({ repaymentMethod: 'DAILY', termMonths: 1 });
      assert.equal(loan.status, 'PENDING_REVIEW');
      assert.deepEqual(
        [loan.amount, loan.annualRate, loan.investorRate, loan.termMonths],
        ['3000.00', '0.15', '0.10', 1],
      );
      assert.match(loan.loanNo, /^LN[0-9]{8}[0-9A-F]{8}$/);
      assert.equal(loan.borrower.id, borrowerId);
      assert.deepEqual(errorCodes(await call(CREATE, { input: loanInput() }, token(borrowerId, 'BORROWER'))), [
        'CONFLICT',
      ]);
      assert.deepEqual(
        errorCodes(await call(REVIEW, { id: loan.id, approve: false, reason: 'no' }, token(borrowerId, 'BORROWER'))),
        ['FORBIDDEN'],
      );
      assert.deepEqual(
        errorCodes(await call(REVIEW, { id: loan.id, approve: false }, admin())),
        ['BAD_USER_INPUT'],
        'a rejection needs a reason',
      );
      const rejected = await review(loan.id, false, 'income not shown');
      assert.deepEqual([rejected.status, rejected.rejectReason], ['REJECTED', 'income not shown']);
      assert.deepEqual(errorCodes(await call(REVIEW, { id: loan.id, approve: true }, admin())), ['CONFLICT']);
      assert.deepEqual(errorCodes(await call(REVIEW_FULL, { id: loan.id, approve: true }, admin())), ['CONFLICT']);
    });

    test('approval registers the project at the bank and opens the loan once; the public list shows only public loans', async () => {
      const loan = await createLoan({ annualRate: '0.18' });
      assert.deepEqual([loan.annualRate, loan.investorRate], ['0.18', '0.13']);
      const opened = await review(loan.id, true);
      assert.equal(opened.status, 'FUNDRAISING');
      assert.ok(opened.openedAt);
      assert.deepEqual(
        errorCodes(await call(REVIEW, { id: loan.id, approve: true }, admin())),
        ['CONFLICT'],
        'approving twice',
      );
      const [event] = await outbox('loans.loan.opened', loan.id);
      assert.ok(event, 'loans.loan.opened is in the outbox');
      const payload = JSON.parse(event.body).payload;
      assert.deepEqual(payload, {
        loanId: loan.id,
        loanNo: loan.loanNo,
        borrowerId,
        amountFen: '300000',
        annualRateMicros: 180_000,
        investorRateMicros: 130_000,
        termMonths: 12,
        repaymentMethod: 'EQUAL_INSTALLMENT',
        openedAt: opened.openedAt,
        // No business day announced yet: the UTC date, where repayments' clock starts (the statistics count it).
        businessDate: opened.openedAt.slice(0, 10),
      });
      // Consumers see the body byte for byte: the terms come first, in the order both loan events write them.
      assert.deepEqual(Object.keys(payload), [...LOAN_TERMS_FIELDS, 'openedAt', 'businessDate']);
      const pending = await createLoan();
      const fundraising = dataOf(await call(LIST, { status: 'FUNDRAISING' })).loans;
      assert.deepEqual(
        fundraising.edges.map((edge: any) => edge.node.id),
        [loan.id],
      );
      assert.equal(
        dataOf(await call(LIST, { status: 'PENDING_REVIEW' })).loans.totalCount,
        0,
        'hidden from anonymous viewers',
      );
      assert.ok(!dataOf(await call(LIST)).loans.edges.some((edge: any) => edge.node.id === pending.id));
      assert.equal(
        dataOf(await call(LIST, { status: 'PENDING_REVIEW' }, admin())).loans.totalCount,
        1,
        'admins see it',
      );

      // The funding window: nothing expires early; 15 days after opening it FAILS and the bank project is closed.
      const expire = 'mutation($asOf: DateTime) { expireLoans(asOf: $asOf) }';
      assert.deepEqual(errorCodes(await call(expire, {}, token(borrowerId, 'BORROWER'))), ['FORBIDDEN']);
      assert.equal(
        dataOf(
          await call(expire, { asOf: new Date(Date.parse(opened.openedAt) + 14 * 86_400_000).toISOString() }, admin()),
        ).expireLoans,
        0,
      );
      assert.equal(
        dataOf(
          await call(expire, { asOf: new Date(Date.parse(opened.openedAt) + 15 * 86_400_000).toISOString() }, admin()),
        ).expireLoans,
        1,
      );
      const failed = await forkEntityManager(orm).findOneOrFail(Loan, { id: loan.id });
      assert.deepEqual([failed.status, failed.failReason], ['FAILED', 'FUNDING_WINDOW_EXPIRED']);
      assert.ok(failed.bankProjectClosedAt !== null, 'MODIFY_PROJECT FAILED was confirmed by the bank');
      const [failedEvent] = await outbox('loans.loan.failed', loan.id);
      assert.deepEqual(JSON.parse(failedEvent.body).payload, { loanId: loan.id, reason: 'FUNDING_WINDOW_EXPIRED' });
      await review(pending.id, false, 'test over');
    });

    test('a fully funded loan is paid out at the bank with CONFIRM_LOAN: the borrower gets the amount less the fee', async () => {
      const loan = await review((await createLoan()).id, true);
      const bids = [
        { bidId: newId(), investorId: investorIds[0], amountFen: 100_000n },
        { bidId: newId(), investorId: investorIds[1], amountFen: 200_000n },
      ];
      for (const bid of bids) await freezeThroughAgent(bid.investorId, loan.loanNo, bid.amountFen);
      assert.deepEqual(
        errorCodes(await call(REVIEW_FULL, { id: loan.id, approve: true }, admin())),
        ['CONFLICT'],
        'not FULLY_FUNDED yet',
      );
      await deliverFullyFunded({
        loanId: loan.id,
        raisedFen: '300000',
        bids: bids.map((bid) => ({ ...bid, amountFen: bid.amountFen.toString() })),
      });
      assert.equal(
        dataOf(await call(`query($id: ID!) { loan(id: $id) { status } }`, { id: loan.id })).loan.status,
        'FULLY_FUNDED',
      );
      assert.deepEqual(
        errorCodes(await call(REVIEW_FULL, { id: loan.id, approve: true }, token(borrowerId, 'BORROWER'))),
        ['FORBIDDEN'],
      );
      const paid = dataOf(await call(REVIEW_FULL, { id: loan.id, approve: true }, admin())).reviewFullLoan;
      assert.equal(paid.status, 'REPAYING');
      assert.deepEqual(
        await bank.balance(borrowerId),
        { availableFen: 297_000n, frozenFen: 0n },
        '3000.00 less the 1 % fee',
      );
      assert.deepEqual(await bank.balance(investorIds[0]), { availableFen: 900_000n, frozenFen: 0n });
      assert.deepEqual(
        errorCodes(await call(REVIEW_FULL, { id: loan.id, approve: true }, admin())),
        ['CONFLICT'],
        'paying twice',
      );
      const [event] = await outbox('loans.loan.disbursed', loan.id);
      const payload = JSON.parse(event.body).payload;
      assert.deepEqual(Object.keys(payload), [...LOAN_TERMS_FIELDS, 'disbursedAt', 'businessDate', 'feeFen', 'bids']);
      assert.equal(payload.businessDate, payload.disbursedAt.slice(0, 10));
      assert.deepEqual([payload.loanId, payload.loanNo, payload.borrowerId], [loan.id, loan.loanNo, borrowerId]);
      assert.equal(payload.feeFen, '3000');
      assert.equal(payload.amountFen, '300000');
      assert.deepEqual(
        [payload.annualRateMicros, payload.investorRateMicros, payload.termMonths, payload.repaymentMethod],
        [150_000, 100_000, 12, 'EQUAL_INSTALLMENT'],
      );
      const expected = bids.map((bid) => ({
        bidId: bid.bidId,
        investorId: bid.investorId,
        amountFen: bid.amountFen.toString(),
      }));
      assert.deepEqual(
        payload.bids,
        expected.sort((a, b) => a.bidId.localeCompare(b.bidId)),
      );
    });

    test('a refused payout FAILS the loan with the reason and loans.loan.failed', async () => {
      const loan = await review((await createLoan()).id, true);
      await freezeThroughAgent(investorIds[0], loan.loanNo, 300_000n);
      await deliverFullyFunded({
        loanId: loan.id,
        raisedFen: '300000',
        bids: [{ bidId: newId(), investorId: investorIds[0], amountFen: '300000' }],
      });
      assert.deepEqual(
        errorCodes(await call(REVIEW_FULL, { id: loan.id, approve: false }, admin())),
        ['BAD_USER_INPUT'],
        'a refusal needs a reason',
      );
      const refused = dataOf(
        await call(REVIEW_FULL, { id: loan.id, approve: false, reason: 'borrower withdrew' }, admin()),
      ).reviewFullLoan;
      assert.deepEqual([refused.status, refused.failReason], ['FAILED', 'borrower withdrew']);
      const [event] = await outbox('loans.loan.failed', loan.id);
      assert.deepEqual(JSON.parse(event.body).payload, { loanId: loan.id, reason: 'borrower withdrew' });
      assert.deepEqual(
        await bank.balance(borrowerId),
        { availableFen: 297_000n, frozenFen: 0n },
        'no money moved to the borrower',
      );
      assert.deepEqual(errorCodes(await call(REVIEW_FULL, { id: loan.id, approve: true }, admin())), ['CONFLICT']);
      const publicView = dataOf(
        await call(`query($id: ID!) { loan(id: $id) { status failReason } }`, { id: loan.id }),
      ).loan;
      assert.deepEqual(
        publicView,
        { status: 'FAILED', failReason: 'REFUSED_AT_FULL_REVIEW' },
        "the admin's words stay private",
      );
    });

    test('cancelLoan: the borrower withdraws before review, an admin cancels a listing, nothing else; the line gets it back', async () => {
      const usedFen = async () =>
        (await forkEntityManager(orm).findOneOrFail(CreditLine, { userId: borrowerId }, { refresh: true })).usedFen;
      const usedBefore = await usedFen();
      const pending = await createLoan();
      assert.equal(await usedFen(), usedBefore + 300_000n, 'the loan uses the line');
      const codes = async (id: string, reason: string, bearer: string) =>
        errorCodes(await call(CANCEL, { id, reason }, bearer));
      const own = token(borrowerId, 'BORROWER');
      assert.deepEqual(await codes(pending.id, 'x', token(investorIds[0], 'INVESTOR')), ['FORBIDDEN']);
      assert.deepEqual(await codes(pending.id, 'x', token(newId(), 'BORROWER')), ['NOT_FOUND'], 'private to others');
      assert.deepEqual(await codes(pending.id, '   ', own), ['BAD_USER_INPUT'], 'a blank reason');
      assert.deepEqual(await codes(pending.id, 'x'.repeat(501), own), ['BAD_USER_INPUT'], 'a reason too long');
      assert.deepEqual(await codes(newId(), 'x', own), ['NOT_FOUND']);
      assert.deepEqual(await codes('not-an-id', 'x', own), ['BAD_USER_INPUT']);
      assert.deepEqual(errorCodes(await call(CANCEL, { id: pending.id, reason: 'x' })), ['UNAUTHENTICATED']);
      assert.equal((await forkEntityManager(orm).findOneOrFail(Loan, { id: pending.id })).status, 'PENDING_REVIEW');
      // Written as a literal, as a front end may send it.
      const withdrawn = dataOf(
        await call(
          `mutation { cancelLoan(id: "${pending.id}", reason: "found cheaper money") { status cancelReason } }`,
          {},
          own,
        ),
      ).cancelLoan;
      assert.deepEqual(withdrawn, { status: 'CANCELLED', cancelReason: 'found cheaper money' });
      assert.equal(await usedFen(), usedBefore, 'the line has it back');
      assert.deepEqual(await codes(pending.id, 'again', own), ['CONFLICT'], 'cancelled once');
      assert.deepEqual(await codes(pending.id, 'again', admin()), ['CONFLICT']);

      const listed = await review((await createLoan()).id, true);
      assert.equal(listed.status, 'FUNDRAISING');
      await freezeThroughAgent(investorIds[0], listed.loanNo, 100_000n);
      assert.deepEqual(await codes(listed.id, 'x', own), ['CONFLICT'], 'the borrower cannot once it is listed');
      const concurrent = await Promise.all(
        Array.from({ length: 4 }, () => call(CANCEL, { id: listed.id, reason: 'fraud suspected' }, admin())),
      );
      const outcomes = concurrent.map((answer) => errorCodes(answer)[0] ?? 'OK').sort();
      assert.deepEqual(outcomes, ['CONFLICT', 'CONFLICT', 'CONFLICT', 'OK'], 'one admin cancels it');
      const cancelled = concurrent.find((answer) => errorCodes(answer).length === 0)!.data!.cancelLoan;
      assert.deepEqual(
        [cancelled.status, cancelled.failReason, cancelled.cancelReason],
        ['FAILED', 'CANCELLED', 'fraud suspected'],
      );
      const events = await outbox('loans.loan.failed', listed.id);
      assert.deepEqual(
        events.map((event) => JSON.parse(event.body).payload),
        [{ loanId: listed.id, reason: 'CANCELLED' }],
        'one event: bids refunds every freeze from it',
      );
      const stored = await forkEntityManager(orm).findOneOrFail(Loan, { id: listed.id });
      assert.ok(stored.bankProjectClosedAt !== null, 'the bank project is closed');
      assert.equal(stored.cancelledBy === null, false, 'who cancelled it is kept');
      assert.equal(await usedFen(), usedBefore, 'the line has it back');
      const publicView = dataOf(
        await call('query($id: ID!) { loan(id: $id) { status failReason cancelReason } }', { id: listed.id }),
      ).loan;
      assert.deepEqual(publicView, { status: 'FAILED', failReason: 'CANCELLED', cancelReason: null });
    });

    test('a CREATE_PROJECT refusal leaves the loan PENDING_REVIEW with a fresh requestNo next time; an UNKNOWN answer keeps it', async () => {
      const refusedLoan = dataOf(
        await call(CREATE, { input: loanInput() }, token(unknownAtBankBorrowerId, 'BORROWER')),
      ).createLoan;
      const refusal = await call(REVIEW, { id: refusedLoan.id, approve: true }, admin());
      assert.deepEqual(errorCodes(refusal), ['CONFLICT']);
      assert.ok(refusal.errors![0].extensions!.bankCode, 'the admin sees the bank code');
      const afterRefusal = await forkEntityManager(orm).findOneOrFail(Loan, { id: refusedLoan.id });
      assert.deepEqual([afterRefusal.status, afterRefusal.projectRequestNo], ['PENDING_REVIEW', null]);
      assert.equal((await outbox('loans.loan.opened', refusedLoan.id)).length, 0);
      assert.equal((await review(refusedLoan.id, false, 'no bank account')).status, 'REJECTED');

      const loan = await createLoan();
      const silentBank = new InternalBankClient(
        'http://127.0.0.1:9',
        resolveServiceSecret(environment.config.dataDir, undefined),
        1000,
      );
      await assert.rejects(
        approveLoan(forkEntityManager(orm), silentBank, loan.id),
        (error: any) => error.extensions?.code === 'CONFLICT' && error.extensions?.retryable === true,
      );
      const unknown = await forkEntityManager(orm).findOneOrFail(Loan, { id: loan.id });
      assert.equal(unknown.status, 'PENDING_REVIEW');
      assert.ok(unknown.projectRequestNo !== null, 'the requestNo was stored before the call');
      assert.deepEqual(
        errorCodes(await call(REVIEW, { id: loan.id, approve: false, reason: 'changed my mind' }, admin())),
        ['CONFLICT'],
        'no rejection while the bank may hold a project',
      );
      assert.equal((await review(loan.id, true)).status, 'FUNDRAISING', 'approving again finishes it');
      const opened = await forkEntityManager(orm).findOneOrFail(Loan, { id: loan.id });
      assert.equal(opened.projectRequestNo, unknown.projectRequestNo, 'the retry reused the same requestNo');
    });

    test('concurrent requests: one loan under review per borrower, one approval, one event', async () => {
      const creates = await Promise.all(
        [1, 2, 3, 4].map(() => call(CREATE, { input: loanInput() }, token(borrowerId, 'BORROWER'))),
      );
      const created = creates.filter((response) => response.errors === undefined);
      assert.equal(created.length, 1, JSON.stringify(creates.map(errorCodes)));
      assert.ok(
        creates
          .filter((response) => response.errors !== undefined)
          .every((response) => errorCodes(response)[0] === 'CONFLICT'),
      );
      const loanId = created[0].data.createLoan.id;
      const approvals = await Promise.all([1, 2, 3].map(() => call(REVIEW, { id: loanId, approve: true }, admin())));
      assert.equal(
        approvals.filter((response) => response.errors === undefined).length,
        1,
        JSON.stringify(approvals.map(errorCodes)),
      );
      assert.equal((await outbox('loans.loan.opened', loanId)).length, 1);
    });
  });
}
