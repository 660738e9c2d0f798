// Proves the repayment run end to end over HTTP against the real bank simulator and the real depository
// agent (in this process, one test environment), on libsql and MariaDB: loans.loan.disbursed builds the
// schedule and receivables once (a duplicate changes nothing); runDailyJobs walks the business date
// through every due date, freezing each installment at the bank, marking it REPAID with its receivables
// RECEIVED, and CONFIRM_REPAYMENT (sent by the settle pass once the freeze is recorded) pays every
// investor exactly Σ of their receivables and the platform exactly the commission, after which the loan is
// SETTLED; a borrower without money goes OVERDUE with a penalty growing daily and reminders on the right
// days (sentAt on each reminder's business day; an event for each SMS one), and is collected amount + penalty after a recharge (repaidAt
// on that business date); two borrowers due the same day go to the bank in
// one batch, one collected and one refused (then collected once funded); an early repayment in month 4 pays exactly the
// rule's amount; a 12,000.00 loan funded 6,000 / 4,000 / 2,000 returns each investor exactly the bid of principal, from
// disbursement and after an early repayment in month 4 (domain.md §4's cumulative split); bad input is refused and
// changes nothing; the bank's ledger checks out at the end. A paid-out loan's schedule is read by its borrower, its
// investors and admins only (null and an error for others).
// Shortcuts, said plainly: the loan is funded and paid out at the bank with the agent's internal API
// (loans and bids are not started) and loans.loan.disbursed is crafted by the test; it and repayments' own
// events travel on the in-process transport of this environment, through the running subgraph's inbox.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays,
  bankUserNoFor,
  buildSchedule,
  daysBetween,
  divideRoundHalfUp,
  forkEntityManager,
  formatMoney,
  InternalBankClient,
  issueToken,
  newId,
  OutboxMessage,
  parseMoney,
  type Database,
  type HttpService,
  type Role,
} from '@wanxin/platform';
import {
  databaseKindsUnderTest,
  dataOf,
  errorCodes,
  eventually,
  postGraphQL,
  type InstallmentShown,
  type TestEnvironment,
} from '@wanxin/platform/testing';
import { testRequestNo, type BankAndAgent } from '@wanxin/depository/testing';
import { Collection } from '../src/entities/collection.entity';
import { Installment } from '../src/entities/installment.entity';
import { Receivable } from '../src/entities/receivable.entity';
import { RepaymentLoan } from '../src/entities/repayment-loan.entity';
import { BANK_CODES } from '@wanxin/platform/bank-protocol';
import { disburseAtBank } from './paid-out-loan';
import { startRepaymentsWithBank, stopRepaymentsWithBank } from './repayments-with-bank';

const SCHEDULE =
  'query($r: [_Any!]!) { _entities(representations: $r) { ... on Loan { schedule { id period dueDate principal interest amount status overdueDays penalty repaidAt } } } }';
const SCHEDULE_PERIODS =
  'query($r: [_Any!]!) { _entities(representations: $r) { ... on Loan { schedule { period } } } }';
const RECEIVABLES =
  'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { receivables(first: 100) { edges { node { principal interest penalty status installment { id } } } } } } }';
const RUN =
  'mutation($d: Date!) { runDailyJobs(date: $d) { businessDate daysRun installmentsRepaid collectionsRefused collectionsUnanswered installmentsOverdue remindersCreated loansSettled } }';
const REPAY_INSTALLMENT =
  'mutation($i: ID!) { repayInstallment(installmentId: $i) { id status overdueDays penalty repaidAt } }';
const PAYOFF = 'query($l: ID!) { payoffQuote(loanId: $l) { principal interest penalty total asOf } }';
const BORROWER_RATE_MICROS = 150_000;
const INVESTOR_RATE_MICROS = 100_000;

interface ScheduleRow extends InstallmentShown {
  overdueDays: number;
}

const fen = (money: string) => parseMoney(money);
const sum = (values: bigint[]) => values.reduce((total, value) => total + value, 0n);

for (const { kind, skip } of databaseKindsUnderTest()) {
  describe(`repayments run with the bank on ${kind}`, { skip }, () => {
    let environment: TestEnvironment;
    let bank: BankAndAgent;
    let repayments: HttpService;
    let orm: Database;
    let bankClient: InternalBankClient;
    let signingKeyPem: string;
    const adminId = newId();
    const token = (id: string, role: Role) => issueToken({ id, role }, signingKeyPem, 3600).token;
    const call = (query: string, variables: Record<string, unknown> = {}, bearer?: string) =>
      postGraphQL(repayments.url, query, variables, bearer);
    const admin = () => token(adminId, 'ADMIN');
    const runTo = async (date: string) => dataOf(await call(RUN, { d: date }, admin())).runDailyJobs;
    const businessDate = async () => dataOf(await call('{ businessDate }')).businessDate as string;
    const schedule = async (loanId: string): Promise<ScheduleRow[]> =>
      dataOf(await call(SCHEDULE, { r: [{ __typename: 'Loan', id: loanId }] }, admin()))._entities[0].schedule;
    const balance = (userId: string) => bank.balance(userId);
    const platformFeeFen = async () => BigInt((await bank.bank.checkLedger()).platformFeeFen);
    /** Every collection confirmed at the bank (the settle pass runs every 200 ms). */
    const allConfirmed = () =>
      eventually(
        async () =>
          (await forkEntityManager(orm).count(Collection, { status: { $in: ['SENT', 'FROZEN'] } })) === 0
            ? true
            : undefined,
        30_000,
      );

    const newUser = async (rechargeFen: bigint) => {
      const userId = newId();
      await bank.register(userId);
      if (rechargeFen > 0n) await bank.recharge(userId, rechargeFen);
      return userId;
    };

    /** A loan funded by `bids` and paid out at the bank; then loans.loan.disbursed is delivered (twice). */
    const disburse = (
      borrowerId: string,
      bids: { investorId: string; amountFen: bigint }[],
      termMonths: number,
      method = 'EQUAL_INSTALLMENT',
    ) =>
      disburseAtBank(bankClient, {
        borrowerId,
        bids,
        termMonths,
        method,
        annualRateMicros: BORROWER_RATE_MICROS,
        investorRateMicros: INVESTOR_RATE_MICROS,
      });

    before(async () => {
      ({ environment, bank, repayments, orm, bankClient, signingKeyPem } = await startRepaymentsWithBank(kind, {
        REPAYMENT_SETTLE_INTERVAL_MS: '200',
      }));
    });

    after(async () => stopRepaymentsWithBank({ environment, bank, repayments, orm }));

    test('a 12-month loan of 3 unequal investors is repaid to the fen and SETTLED', async () => {
      const borrowerId = await newUser(2_000_00n);
      const investors = [await newUser(5_000_00n), await newUser(4_000_00n), await newUser(3_000_00n)];
      const start = await businessDate();
      const loan = await disburse(
        borrowerId,
        investors.map((investorId, index) => ({ investorId, amountFen: [5_000_00n, 4_000_00n, 3_000_00n][index] })),
        12,
      );

      const rows = await schedule(loan.loanId);
      const expected = buildSchedule({
        principalFen: 12_000_00n,
        annualRateMicros: BORROWER_RATE_MICROS,
        termMonths: 12,
        method: 'EQUAL_INSTALLMENT',
        startDate: start,
      });
      assert.deepEqual(
        rows.map((row) => [row.period, row.dueDate, fen(row.principal), fen(row.interest), row.status]),
        expected.map((row) => [row.period, row.dueDate, row.principalFen, row.interestFen, 'PENDING']),
      );
      assert.equal(
        await forkEntityManager(orm).count(Receivable, { loanId: loan.loanId }),
        36,
        'one receivable per installment and bid, though delivered twice',
      );
      // The paid-out loan's schedule is its borrower's, its investors' and admins' (README, "Who sees what"):
      // anyone else gets null and an error for that field alone, in an HTTP 200 answer.
      const scheduleAs = (bearer?: string) =>
        call(SCHEDULE_PERIODS, { r: [{ __typename: 'Loan', id: loan.loanId }] }, bearer);
      for (const bearer of [token(borrowerId, 'BORROWER'), token(investors[2], 'INVESTOR')]) {
        assert.equal(dataOf(await scheduleAs(bearer))._entities[0].schedule.length, 12);
      }
      const strangers: [string | undefined, string][] = [
        [undefined, 'UNAUTHENTICATED'],
        [token(newId(), 'INVESTOR'), 'FORBIDDEN'],
        [token(newId(), 'BORROWER'), 'FORBIDDEN'],
      ];
      for (const [bearer, code] of strangers) {
        const refused = await scheduleAs(bearer);
        assert.equal(refused.status, 200);
        assert.deepEqual(refused.data?._entities, [{ schedule: null }]);
        assert.deepEqual(errorCodes(refused), [code]);
        assert.deepEqual(refused.errors?.[0].path, ['_entities', 0, 'schedule']);
      }

      const before = await Promise.all([borrowerId, ...investors].map(balance));
      const feeBefore = await platformFeeFen();
      const report = await runTo(expected[11].dueDate);
      // A freeze the bank was too slow to answer (a loaded machine) is settled later by the settle pass: count both.
      assert.equal(report.collectionsRefused, 0, JSON.stringify(report));
      assert.ok(report.installmentsRepaid + report.collectionsUnanswered >= 12, JSON.stringify(report));
      assert.equal(report.businessDate, expected[11].dueDate);
      await eventually(
        async () => ((await schedule(loan.loanId)).every((row) => row.status === 'REPAID') ? true : undefined),
        30_000,
      );
      await allConfirmed();

      const repaid = await schedule(loan.loanId);
      assert.ok(repaid.every((row) => row.status === 'REPAID' && row.overdueDays === 0 && row.penalty === '0.00'));
      const after = await Promise.all([borrowerId, ...investors].map(balance));
      const totalFen = sum(expected.map((row) => row.amountFen));
      assert.equal(
        before[0].availableFen - after[0].availableFen,
        totalFen,
        'the borrower paid exactly Σ installments',
      );
      let investorsFen = 0n;
      for (const [index, investorId] of investors.entries()) {
        const receivables = dataOf(
          await call(RECEIVABLES, { r: [{ __typename: 'User', id: investorId }] }, token(investorId, 'INVESTOR')),
        )._entities[0].receivables.edges;
        assert.equal(receivables.length, 12);
        assert.ok(receivables.every((edge: { node: { status: string } }) => edge.node.status === 'RECEIVED'));
        const dueFen = sum(
          receivables.map(
            (edge: { node: { principal: string; interest: string } }) =>
              fen(edge.node.principal) + fen(edge.node.interest),
          ),
        );
        assert.equal(
          after[index + 1].availableFen - before[index + 1].availableFen,
          dueFen,
          `investor ${index + 1} received exactly Σ receivables`,
        );
        investorsFen += dueFen;
      }
      assert.equal(
        (await platformFeeFen()) - feeBefore,
        totalFen - investorsFen,
        'the platform got exactly the commission',
      );
      assert.ok(totalFen - investorsFen > 0n);
      assert.equal(after[0].frozenFen, 0n);
      const settled = await forkEntityManager(orm).find(OutboxMessage, {
        type: 'repayments.loan.settled',
        aggregateId: loan.loanId,
      });
      assert.equal(settled.length, 1);
      // The bank is told the project is SETTLED: it takes no more repayment freezes for it.
      await eventually(async () => {
        const row = await forkEntityManager(orm).findOneOrFail(RepaymentLoan, { id: loan.loanId });
        return row.bankProjectSettledAt !== null ? true : undefined;
      }, 10_000);
      const lateFreeze = await bankClient.send(
        'USER_AUTO_PRE_TRANSACTION',
        {
          requestNo: testRequestNo('LATE'),
          userNo: bankUserNoFor(borrowerId),
          projectNo: loan.loanNo,
          bizType: 'REPAYMENT',
          amountFen: '100',
        },
        borrowerId,
      );
      assert.ok(
        lateFreeze.kind === 'ANSWERED' && lateFreeze.result.code !== BANK_CODES.SUCCESS,
        `a settled project refuses a freeze: ${JSON.stringify(lateFreeze)}`,
      );

      // Every collection CONFIRMED, none with a confirmation to send: the settle pass has nothing left to move.
      assert.equal(
        await forkEntityManager(orm).count(Collection, { loanId: loan.loanId, status: { $ne: 'CONFIRMED' } }),
        0,
      );
      assert.deepEqual(await Promise.all([borrowerId, ...investors].map(balance)), after);
    });

    test('every repayment method repays to the fen: Σ principal = the loan, investors get Σ receivables, the platform the rest', async () => {
      for (const method of ['EQUAL_PRINCIPAL', 'INTEREST_FIRST', 'BULLET', 'DAILY'] as const) {
        const borrowerId = await newUser(1_000_00n);
        const investors = [await newUser(1_700_00n), await newUser(1_300_00n)];
        const loan = await disburse(
          borrowerId,
          [
            { investorId: investors[0], amountFen: 1_700_00n },
            { investorId: investors[1], amountFen: 1_300_00n },
          ],
          3,
          method,
        );
        const rows = await schedule(loan.loanId);
        assert.equal(sum(rows.map((row) => fen(row.principal))), 3_000_00n, method);
        const before = await Promise.all([borrowerId, ...investors].map(balance));
        const feeBefore = await platformFeeFen();
        await runTo(rows[rows.length - 1].dueDate);
        await allConfirmed();
        const after = await Promise.all([borrowerId, ...investors].map(balance));
        const totalFen = sum(rows.map((row) => fen(row.amount)));
        assert.equal(
          before[0].availableFen - after[0].availableFen,
          totalFen,
          `${method}: the borrower paid Σ installments`,
        );
        const receivables = await forkEntityManager(orm).find(Receivable, { loanId: loan.loanId });
        for (const [index, investorId] of investors.entries()) {
          const dueFen = sum(
            receivables.filter((row) => row.investorId === investorId).map((row) => row.principalFen + row.interestFen),
          );
          assert.equal(
            after[index + 1].availableFen - before[index + 1].availableFen,
            dueFen,
            `${method}: investor ${index + 1}`,
          );
        }
        const investorsFen = sum(receivables.map((row) => row.principalFen + row.interestFen));
        assert.equal((await platformFeeFen()) - feeBefore, totalFen - investorsFen, `${method}: the commission`);
      }
    });

    test('an unfunded borrower goes OVERDUE, the penalty grows daily, reminders come on their days, and a recharge collects it all', async () => {
      const borrowerId = await newUser(0n);
      const investorId = await newUser(3_000_00n);
      const start = await businessDate();
      const loan = await disburse(borrowerId, [{ investorId, amountFen: 3_000_00n }], 3);
      // The payout leaves the borrower with the loan: withdraw it all, so nothing is there to collect.
      await bank.page('WITHDRAW', {
        requestNo: testRequestNo('WD'),
        userNo: bankUserNoFor(borrowerId),
        amountFen: 3_000_00n.toString(),
      });
      const [first] = await schedule(loan.loanId);
      const amountFen = fen(first.amount);

      const dueSoon = await runTo(addDays(first.dueDate, -2));
      assert.equal(dueSoon.remindersCreated, 1);
      const onDueDate = await runTo(first.dueDate);
      assert.equal(onDueDate.collectionsRefused, 1, 'the bank refused the freeze');
      assert.equal((await schedule(loan.loanId))[0].status, 'PENDING', 'not overdue on its due date');
      assert.deepEqual(await balance(borrowerId), { availableFen: 0n, frozenFen: 0n });

      for (const overdueDays of [1, 2, 3]) {
        await runTo(addDays(first.dueDate, overdueDays));
        const row = (await schedule(loan.loanId))[0];
        assert.equal(row.status, 'OVERDUE');
        assert.equal(row.overdueDays, overdueDays);
        assert.equal(
          fen(row.penalty),
          divideRoundHalfUp(amountFen * 500n * BigInt(overdueDays), 1_000_000n),
          `penalty on day ${overdueDays}`,
        );
      }
      const reminders = dataOf(
        await call(`{ reminders(loanId: "${loan.loanId}") { kind channel businessDate sentAt } }`, {}, admin()),
      ).reminders;
      assert.deepEqual(
        reminders.map((reminder: { kind: string; businessDate: string }) => [reminder.kind, reminder.businessDate]),
        [
          ['DUE_SOON_SMS', addDays(first.dueDate, -2)],
          ['OVERDUE_SMS', addDays(first.dueDate, 1)],
          ['OVERDUE_REMINDER_SMS', addDays(first.dueDate, 2)],
          ['OVERDUE_PHONE_TASK', addDays(first.dueDate, 3)],
        ],
      );
      assert.ok(
        reminders.every((reminder: { sentAt: string | null }) => reminder.sentAt !== null),
        'every reminder was handed over as it was made',
      );
      const smsEvents = await forkEntityManager(orm).find(
        OutboxMessage,
        { type: 'repayments.reminder.due', aggregateId: borrowerId },
        { orderBy: { id: 'asc' } },
      );
      assert.deepEqual(
        smsEvents.map((event) => {
          const { kind, owedFen, overdueDays, dueDate } = (
            JSON.parse(event.body) as { payload: Record<string, unknown> }
          ).payload;
          return [kind, owedFen, overdueDays, dueDate];
        }),
        [
          ['DUE_SOON_SMS', amountFen.toString(), 0, first.dueDate],
          ['OVERDUE_SMS', (amountFen + divideRoundHalfUp(amountFen * 500n, 1_000_000n)).toString(), 1, first.dueDate],
          [
            'OVERDUE_REMINDER_SMS',
            (amountFen + divideRoundHalfUp(amountFen * 500n * 2n, 1_000_000n)).toString(),
            2,
            first.dueDate,
          ],
        ],
        'one SMS event per SMS reminder, with what was owed that day',
      );
      for (const { businessDate: day, sentAt } of reminders as { businessDate: string; sentAt: string }[]) {
        assert.equal(sentAt.slice(0, 10), day, 'sent at a business time of its business day, ahead of the wall clock');
      }
      const overdueEvents = await forkEntityManager(orm).find(OutboxMessage, {
        type: 'repayments.installment.overdue',
        aggregateId: loan.loanId,
      });
      assert.equal(overdueEvents.length, 3, 'one overdue event per day');

      await bank.recharge(borrowerId, 2_000_00n);
      const investorBefore = await balance(investorId);
      const collected = await runTo(addDays(first.dueDate, 4));
      assert.equal(collected.installmentsRepaid, 1);
      await allConfirmed();
      const repaid = (await schedule(loan.loanId))[0];
      const penaltyFen = divideRoundHalfUp(amountFen * 500n * 4n, 1_000_000n);
      assert.deepEqual([repaid.status, repaid.overdueDays, fen(repaid.penalty)], ['REPAID', 4, penaltyFen]);
      assert.equal(
        repaid.repaidAt?.slice(0, 10),
        addDays(first.dueDate, 4),
        'repaid on the business date it was collected',
      );
      assert.equal(
        (await balance(borrowerId)).availableFen,
        2_000_00n - amountFen - penaltyFen,
        'amount + 4 days of penalty collected',
      );
      const receivable = await forkEntityManager(orm).findOneOrFail(Receivable, { installmentId: repaid.id });
      assert.equal(receivable.penaltyFen, penaltyFen, 'the one investor gets the whole penalty');
      assert.equal(
        (await balance(investorId)).availableFen - investorBefore.availableFen,
        receivable.principalFen + receivable.interestFen + penaltyFen,
      );
      assert.ok(start <= first.dueDate);
    });

    test('an early repayment in month 4 of 12 pays outstanding principal plus the days of interest, to the fen', async () => {
      const borrowerId = await newUser(3_000_00n);
      const alice = await newUser(6_000_00n);
      const bob = await newUser(4_000_00n);
      const loan = await disburse(
        borrowerId,
        [
          { investorId: alice, amountFen: 6_000_00n },
          { investorId: bob, amountFen: 4_000_00n },
        ],
        12,
      );
      const rows = await schedule(loan.loanId);
      await runTo(rows[2].dueDate);
      const repayOn = addDays(rows[2].dueDate, 17);
      await runTo(repayOn);
      const outstandingFen = sum(rows.slice(3).map((row) => fen(row.principal)));
      const days = daysBetween(rows[2].dueDate, repayOn);
      const expectedFen =
        outstandingFen +
        divideRoundHalfUp(outstandingFen * BigInt(BORROWER_RATE_MICROS) * BigInt(days), 1_000_000n * 365n);
      const borrowerBefore = await balance(borrowerId);
      const investorsBefore = await Promise.all([alice, bob].map(balance));
      const quote = dataOf(await call(PAYOFF, { l: loan.loanId }, token(borrowerId, 'BORROWER'))).payoffQuote;
      assert.deepEqual(
        [quote.principal, quote.penalty, quote.total, quote.asOf],
        [formatMoney(outstandingFen), '0.00', formatMoney(expectedFen), repayOn],
      );

      const REPAY = 'mutation($l: ID!) { repayEarly(loanId: $l) { id } }';
      assert.deepEqual(
        errorCodes(await call(REPAY, { l: loan.loanId }, token(newId(), 'BORROWER'))),
        ['FORBIDDEN'],
        'another borrower',
      );
      assert.deepEqual(
        errorCodes(await call(REPAY, { l: loan.loanId }, token(alice, 'INVESTOR'))),
        ['FORBIDDEN'],
        'an investor',
      );
      assert.deepEqual(errorCodes(await call(REPAY, { l: newId() }, token(borrowerId, 'BORROWER'))), ['NOT_FOUND']);
      assert.deepEqual(errorCodes(await call(REPAY, { l: 'not-an-id' }, token(borrowerId, 'BORROWER'))), ['NOT_FOUND']);
      assert.deepEqual(await balance(borrowerId), borrowerBefore, 'refusals changed nothing at the bank');

      assert.deepEqual(dataOf(await call(REPAY, { l: loan.loanId }, token(borrowerId, 'BORROWER'))).repayEarly, {
        id: loan.loanId,
      });
      await allConfirmed();
      const borrowerAfter = await balance(borrowerId);
      assert.equal(
        borrowerBefore.availableFen - borrowerAfter.availableFen,
        fen(quote.total),
        `paid exactly the quote, ${quote.total}`,
      );
      const after = await schedule(loan.loanId);
      assert.ok(after.slice(0, 4).every((row) => row.status === 'REPAID'));
      assert.equal(fen(after[3].principal), outstandingFen, 'month 4 takes the outstanding principal');
      assert.ok(
        after.slice(4).every((row) => row.amount === '0.00' && row.status === 'SETTLED_EARLY'),
        'later installments are closed at zero, SETTLED_EARLY, not REPAID',
      );
      const laterIds = after.slice(4).map((row) => row.id);
      const laterReceivables = await forkEntityManager(orm).find(Receivable, { installmentId: { $in: laterIds } });
      assert.ok(
        laterReceivables.length > 0 && laterReceivables.every((row) => row.status === 'SETTLED_EARLY'),
        'so are their receivables',
      );
      assert.equal(
        await forkEntityManager(orm).count(OutboxMessage, {
          type: 'repayments.installment.repaid',
          aggregateId: loan.loanId,
        }),
        4,
        'an event for each period paid, none for those closed at zero',
      );
      assert.equal(sum(after.map((row) => fen(row.principal))), loan.amountFen, 'Σ principal is still the loan');
      const investorsAfter = await Promise.all([alice, bob].map(balance));
      const receivedFen = sum(
        investorsAfter.map((after, index) => after.availableFen - investorsBefore[index].availableFen),
      );
      const earlyInstallments = await forkEntityManager(orm).find(Installment, {
        loanId: loan.loanId,
        period: { $gte: 4 },
      });
      const earlyReceivables = await forkEntityManager(orm).find(Receivable, {
        installmentId: { $in: earlyInstallments.map((row) => row.id) },
      });
      assert.equal(
        receivedFen,
        sum(earlyReceivables.map((row) => row.principalFen + row.interestFen)),
        'investors received exactly their rewritten receivables',
      );
      assert.deepEqual(
        errorCodes(await call(REPAY, { l: loan.loanId }, token(borrowerId, 'BORROWER'))),
        ['CONFLICT'],
        'nothing left to repay',
      );
    });

    test('concurrent early repayments by the borrower: one repays, every other is CONFLICT, one freeze at the bank', async () => {
      const borrowerId = await newUser(3_000_00n);
      const investorId = await newUser(2_000_00n);
      const loan = await disburse(borrowerId, [{ investorId, amountFen: 2_000_00n }], 6);
      const before = await balance(borrowerId);
      const REPAY = 'mutation($l: ID!) { repayEarly(loanId: $l) { id } }';
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => call(REPAY, { l: loan.loanId }, token(borrowerId, 'BORROWER'))),
      );
      const codes = answers.map((answer) => errorCodes(answer)[0] ?? 'OK').sort();
      assert.deepEqual(codes, [
        'CONFLICT',
        'CONFLICT',
        'CONFLICT',
        'CONFLICT',
        'CONFLICT',
        'CONFLICT',
        'CONFLICT',
        'OK',
      ]);
      await allConfirmed();
      assert.ok(
        (await schedule(loan.loanId)).every((row) => row.status === 'REPAID' || row.status === 'SETTLED_EARLY'),
      );
      const collections = await forkEntityManager(orm).find(Collection, { loanId: loan.loanId });
      assert.equal(collections.length, 1, 'one early repayment was sent to the bank');
      assert.equal(
        before.availableFen - (await balance(borrowerId)).availableFen,
        collections[0].amountFen,
        'taken once',
      );
    });

    test('an early repayment the borrower cannot afford is INSUFFICIENT_FUNDS and changes nothing', async () => {
      const borrowerId = await newUser(0n);
      const investorId = await newUser(2_000_00n);
      const loan = await disburse(borrowerId, [{ investorId, amountFen: 2_000_00n }], 6);
      await bank.page('WITHDRAW', {
        requestNo: testRequestNo('WD'),
        userNo: bankUserNoFor(borrowerId),
        amountFen: '150000',
      });
      const before = await schedule(loan.loanId);
      const codes = errorCodes(
        await call(
          'mutation($l: ID!) { repayEarly(loanId: $l) { id } }',
          { l: loan.loanId },
          token(borrowerId, 'BORROWER'),
        ),
      );
      assert.deepEqual(codes, ['INSUFFICIENT_FUNDS']);
      assert.deepEqual(await schedule(loan.loanId), before);
      assert.deepEqual(await balance(borrowerId), { availableFen: 50_000n, frozenFen: 0n });
    });

    test('the business date moves forward only, by an admin, and a re-run of the same day changes nothing', async () => {
      const today = await businessDate();
      assert.deepEqual(errorCodes(await call(RUN, { d: addDays(today, -1) }, admin())), ['BAD_USER_INPUT']);
      assert.deepEqual(errorCodes(await call(RUN, { d: addDays(today, 5000) }, admin())), ['BAD_USER_INPUT']);
      assert.deepEqual(errorCodes(await call(RUN, { d: '2026-02-30' }, admin())), ['BAD_USER_INPUT']);
      assert.deepEqual(errorCodes(await call(RUN, { d: addDays(today, 1) }, token(newId(), 'INVESTOR'))), [
        'FORBIDDEN',
      ]);
      assert.deepEqual(errorCodes(await call(RUN, { d: addDays(today, 1) })), ['UNAUTHENTICATED']);
      assert.equal(await businessDate(), today);
      const again = await runTo(today);
      assert.deepEqual([again.daysRun, again.installmentsRepaid, again.businessDate], [1, 0, today]);
      // The schedule calculator starts on the business date by default.
      const quote = dataOf(
        await call('{ scheduleQuote(amount: "100", annualRate: "0", termMonths: 1, method: BULLET) { dueDate } }'),
      ).scheduleQuote;
      assert.equal(quote[0].dueDate > today, true);
    });

    test('one day, mixed answers in one batch: the borrower with money is collected, the one without refused and collected once funded', async () => {
      const payer = await newUser(1_000_00n);
      const broke = await newUser(0n);
      const investorId = await newUser(6_000_00n);
      const paid = await disburse(payer, [{ investorId, amountFen: 3_000_00n }], 3);
      const unpaid = await disburse(broke, [{ investorId, amountFen: 3_000_00n }], 3);
      await bank.page('WITHDRAW', {
        requestNo: testRequestNo('WD'),
        userNo: bankUserNoFor(broke),
        amountFen: 3_000_00n.toString(),
      });
      const [paidFirst] = await schedule(paid.loanId);
      const [unpaidFirst] = await schedule(unpaid.loanId);
      assert.equal(paidFirst.dueDate, unpaidFirst.dueDate, 'both fall due the same day');
      // Other tests' loans may fall due the same day: count this test's collections, not the day's report.
      const collections = async (loanId: string) =>
        (await forkEntityManager(orm).find(Collection, { loanId }, { orderBy: { createdAt: 'asc' } })).map(
          (collection) => collection.status,
        );
      await runTo(paidFirst.dueDate);
      await allConfirmed();
      assert.deepEqual(
        [await collections(paid.loanId), await collections(unpaid.loanId)],
        [['CONFIRMED'], ['REFUSED']],
      );
      assert.deepEqual(
        [(await schedule(paid.loanId))[0].status, (await schedule(unpaid.loanId))[0].status],
        ['REPAID', 'PENDING'],
      );
      await bank.recharge(broke, fen(unpaidFirst.amount) + 1_00n);
      await runTo(addDays(paidFirst.dueDate, 1));
      await allConfirmed();
      assert.deepEqual(await collections(unpaid.loanId), ['REFUSED', 'CONFIRMED']);
      const collected = (await schedule(unpaid.loanId))[0];
      assert.deepEqual([collected.status, collected.overdueDays], ['REPAID', 1]);
      assert.equal(
        (await balance(broke)).availableFen,
        fen(unpaidFirst.amount) + 1_00n - fen(collected.amount) - fen(collected.penalty),
        'amount + a day of penalty',
      );
    });

    test('3 investors of a 12,000.00 loan get back exactly 6,000 / 4,000 / 2,000 of principal, also after an early repayment in month 4', async () => {
      // Split per installment on its own, the first investor was owed 6,000.01; a re-split of months 4..12 that
      // ignored what the investors hold of months 1..3 would pay the first 6,000.01 and the third 1,999.99.
      // The payout and 1,000.00 of the borrower's own cover three installments and the early repayment.
      const borrowerId = await newUser(1_000_00n);
      const investors = [await newUser(6_000_00n), await newUser(4_000_00n), await newUser(2_000_00n)];
      const bidsFen = [6_000_00n, 4_000_00n, 2_000_00n];
      const loan = await disburse(
        borrowerId,
        investors.map((investorId, index) => ({ investorId, amountFen: bidsFen[index] })),
        12,
      );
      /** Each installment's receivables add up to it; each investor's principal over the loan is the bid. */
      const assertExactSplit = async (what: string) => {
        const installments = await forkEntityManager(orm).find(
          Installment,
          { loanId: loan.loanId },
          { orderBy: { period: 'asc' } },
        );
        const receivables = await forkEntityManager(orm).find(Receivable, { loanId: loan.loanId });
        assert.equal(receivables.length, 36, what);
        for (const installment of installments) {
          const own = receivables.filter((receivable) => receivable.installmentId === installment.id);
          assert.equal(
            sum(own.map((receivable) => receivable.principalFen)),
            installment.principalFen,
            `${what}: period ${installment.period} principal`,
          );
          assert.ok(
            sum(own.map((receivable) => receivable.interestFen)) <= installment.interestFen,
            `${what}: period ${installment.period} interest`,
          );
          assert.ok(
            own.every((receivable) => receivable.principalFen >= 0n && receivable.interestFen >= 0n),
            `${what}: period ${installment.period}`,
          );
        }
        const principalByInvestor = investors.map((investorId) =>
          sum(
            receivables
              .filter((receivable) => receivable.investorId === investorId)
              .map((receivable) => receivable.principalFen),
          ),
        );
        assert.deepEqual(principalByInvestor.map(formatMoney), ['6000.00', '4000.00', '2000.00'], what);
        return receivables;
      };
      await assertExactSplit('disbursed');

      const rows = await schedule(loan.loanId);
      await runTo(rows[2].dueDate);
      await runTo(addDays(rows[2].dueDate, 10));
      await allConfirmed();
      const before = await Promise.all(investors.map(balance));
      assert.deepEqual(
        dataOf(
          await call(
            'mutation($l: ID!) { repayEarly(loanId: $l) { id } }',
            { l: loan.loanId },
            token(borrowerId, 'BORROWER'),
          ),
        ).repayEarly,
        { id: loan.loanId },
      );
      await allConfirmed();
      assert.ok(
        (await schedule(loan.loanId)).every((row) => row.status === 'REPAID' || row.status === 'SETTLED_EARLY'),
      );
      const receivables = await assertExactSplit('repaid early');
      // The bank paid each investor exactly their re-split receivables of months 4..12.
      const earlyIds = new Set(
        (await forkEntityManager(orm).find(Installment, { loanId: loan.loanId, period: { $gte: 4 } })).map(
          (installment) => installment.id,
        ),
      );
      const after = await Promise.all(investors.map(balance));
      for (const [index, investorId] of investors.entries()) {
        const dueFen = sum(
          receivables
            .filter((receivable) => receivable.investorId === investorId && earlyIds.has(receivable.installmentId))
            .map((receivable) => receivable.principalFen + receivable.interestFen),
        );
        assert.equal(after[index].availableFen - before[index].availableFen, dueFen, `investor ${index + 1}`);
      }
    });

    const repayInstallment = (installmentId: string, userId: string) =>
      call(REPAY_INSTALLMENT, { i: installmentId }, token(userId, 'BORROWER'));

    /**
     * A 3-month loan funded by investors of `bidsFen` (3,000.00 in all by default) whose borrower withdrew
     * everything: its first installment goes unpaid.
     */
    const brokeBorrowersLoan = async (bidsFen: bigint[] = [3_000_00n]) => {
      const borrowerId = await newUser(0n);
      const investorIds = await Promise.all(bidsFen.map((amountFen) => newUser(amountFen)));
      const loan = await disburse(
        borrowerId,
        investorIds.map((investorId, index) => ({ investorId, amountFen: bidsFen[index] })),
        3,
      );
      await bank.page('WITHDRAW', {
        requestNo: testRequestNo('WD'),
        userNo: bankUserNoFor(borrowerId),
        amountFen: sum(bidsFen).toString(),
      });
      return { borrowerId, investorId: investorIds[0], investorIds, loan, rows: await schedule(loan.loanId) };
    };

    test('repayInstallment pays an overdue installment now with its penalty, once; payoffQuote shows the penalty', async () => {
      const { borrowerId, investorId, loan, rows } = await brokeBorrowersLoan();
      const [first, second] = rows;
      const overdueDay = addDays(first.dueDate, 2);
      await runTo(overdueDay);
      const overdue = (await schedule(loan.loanId))[0];
      const penaltyFen = divideRoundHalfUp(fen(first.amount) * 500n * 2n, 1_000_000n);
      assert.deepEqual([overdue.status, fen(overdue.penalty)], ['OVERDUE', penaltyFen]);

      const quote = dataOf(await call(PAYOFF, { l: loan.loanId }, token(borrowerId, 'BORROWER'))).payoffQuote;
      const laterPrincipalFen = fen(rows[1].principal) + fen(rows[2].principal);
      const accruedFen = divideRoundHalfUp(laterPrincipalFen * BigInt(BORROWER_RATE_MICROS) * 2n, 1_000_000n * 365n);
      assert.deepEqual(quote, {
        principal: '3000.00',
        interest: formatMoney(fen(first.interest) + accruedFen),
        penalty: formatMoney(penaltyFen),
        total: formatMoney(3_000_00n + fen(first.interest) + accruedFen + penaltyFen),
        asOf: overdueDay,
      });
      assert.deepEqual(
        dataOf(await call(PAYOFF, { l: loan.loanId }, admin())).payoffQuote,
        quote,
        'an admin sees the same quote',
      );
      const quoteCodes = async (loanId: string, bearer?: string) =>
        errorCodes(await call(PAYOFF, { l: loanId }, bearer));
      assert.deepEqual(await quoteCodes(loan.loanId, token(investorId, 'INVESTOR')), ['FORBIDDEN'], 'an investor');
      assert.deepEqual(await quoteCodes(loan.loanId, token(newId(), 'BORROWER')), ['FORBIDDEN'], 'another borrower');
      assert.deepEqual(await quoteCodes(loan.loanId), ['UNAUTHENTICATED']);
      assert.deepEqual(await quoteCodes(newId(), admin()), ['NOT_FOUND']);

      const codes = async (installmentId: string, userId: string, role: Role = 'BORROWER') =>
        errorCodes(await call(REPAY_INSTALLMENT, { i: installmentId }, token(userId, role)));
      assert.deepEqual(await codes(first.id, newId()), ['FORBIDDEN'], "another borrower's installment");
      assert.deepEqual(await codes(first.id, investorId, 'INVESTOR'), ['FORBIDDEN'], 'an investor');
      assert.deepEqual(await codes(first.id, adminId, 'ADMIN'), ['FORBIDDEN'], 'an admin does not pay for a borrower');
      assert.deepEqual(await codes(newId(), borrowerId), ['NOT_FOUND']);
      assert.deepEqual(await codes('not-an-id', borrowerId), ['NOT_FOUND']);
      assert.deepEqual(await codes(second.id, borrowerId), ['CONFLICT'], 'not yet due');
      assert.deepEqual(errorCodes(await call(REPAY_INSTALLMENT, { i: first.id })), ['UNAUTHENTICATED']);
      await bank.recharge(borrowerId, 10_00n);
      assert.deepEqual(await codes(first.id, borrowerId), ['INSUFFICIENT_FUNDS']);
      assert.equal((await schedule(loan.loanId))[0].status, 'OVERDUE', 'a refusal changes nothing');
      assert.deepEqual(await balance(borrowerId), { availableFen: 10_00n, frozenFen: 0n });

      await bank.recharge(borrowerId, fen(first.amount) + penaltyFen);
      const investorBefore = await balance(investorId);
      // Written as a literal, as a front end may send it.
      const repaid = dataOf(
        await call(
          `mutation { repayInstallment(installmentId: "${first.id}") { id status overdueDays penalty repaidAt } }`,
          {},
          token(borrowerId, 'BORROWER'),
        ),
      ).repayInstallment;
      assert.deepEqual(
        [repaid.id, repaid.status, repaid.overdueDays, fen(repaid.penalty)],
        [first.id, 'REPAID', 2, penaltyFen],
      );
      assert.equal(repaid.repaidAt.slice(0, 10), overdueDay, 'repaid on the business date');
      assert.deepEqual(await codes(first.id, borrowerId), ['CONFLICT'], 'repaid already');
      await allConfirmed();
      assert.deepEqual(await balance(borrowerId), { availableFen: 10_00n, frozenFen: 0n }, 'amount + penalty taken');
      const receivable = await forkEntityManager(orm).findOneOrFail(Receivable, { installmentId: first.id });
      assert.equal(
        (await balance(investorId)).availableFen - investorBefore.availableFen,
        receivable.principalFen + receivable.interestFen + penaltyFen,
        'the investor got principal, interest and the whole penalty',
      );
      const afterwards = await schedule(loan.loanId);
      assert.deepEqual(
        afterwards.map((row) => row.status),
        ['REPAID', 'PENDING', 'PENDING'],
      );
      // The daily run of the next day finds nothing of it to collect.
      await runTo(addDays(overdueDay, 1));
      await allConfirmed();
      assert.equal(await forkEntityManager(orm).count(Collection, { installmentId: first.id, status: 'CONFIRMED' }), 1);
    });

    test('repayInstallment racing the daily run of the next day: the installment is collected once', async () => {
      const { borrowerId, loan, rows } = await brokeBorrowersLoan();
      const overdueDay = addDays(rows[0].dueDate, 1);
      await runTo(overdueDay);
      await bank.recharge(borrowerId, fen(rows[0].amount) * 2n);
      const before = await balance(borrowerId);
      const [run, ...answers] = await Promise.all([
        call(RUN, { d: addDays(overdueDay, 1) }, admin()),
        ...Array.from({ length: 4 }, () => repayInstallment(rows[0].id, borrowerId)),
      ]);
      assert.deepEqual(errorCodes(run), [], 'the run went through');
      for (const answer of answers)
        assert.ok(
          errorCodes(answer).length === 0 || errorCodes(answer)[0] === 'CONFLICT',
          `repaid or CONFLICT: ${JSON.stringify(answer.errors)}`,
        );
      await allConfirmed();
      const collected = await forkEntityManager(orm).find(Collection, {
        installmentId: rows[0].id,
        status: { $in: ['FROZEN', 'CONFIRMED'] },
      });
      assert.equal(collected.length, 1, 'one collection took the money');
      // The requests that lost kept no stale copy of it to flush back over the winner's columns.
      assert.ok(collected[0].answeredAt !== null && collected[0].confirmedAt !== null, 'answered and confirmed');
      const repaid = (await schedule(loan.loanId))[0];
      assert.equal(repaid.status, 'REPAID');
      assert.equal(
        before.availableFen - (await balance(borrowerId)).availableFen,
        collected[0].amountFen,
        'taken once',
      );
      assert.equal(collected[0].amountFen, fen(repaid.amount) + fen(repaid.penalty));
    });

    test('waivePenalty: an admin lowers an overdue penalty, recorded; accrual goes on less the waiver; investors share the rest exactly', async () => {
      const {
        borrowerId,
        investorIds: [alice, bob],
        loan,
      } = await brokeBorrowersLoan([2_000_00n, 1_000_00n]);
      const [first, second] = await schedule(loan.loanId);
      const accrued = (days: bigint) => divideRoundHalfUp(fen(first.amount) * 500n * days, 1_000_000n);
      await runTo(addDays(first.dueDate, 4));
      assert.equal(fen((await schedule(loan.loanId))[0].penalty), accrued(4n));

      const WAIVE =
        'mutation($i: ID!, $a: Money!, $r: String!) { waivePenalty(installmentId: $i, amount: $a, reason: $r) { penalty penaltyWaived } }';
      const codes = async (variables: Record<string, unknown>, bearer = admin()) =>
        errorCodes(await call(WAIVE, { i: first.id, a: '1.00', r: 'hospital stay', ...variables }, bearer));
      assert.deepEqual(await codes({}, token(borrowerId, 'BORROWER')), ['FORBIDDEN'], 'the borrower');
      assert.deepEqual(await codes({}, token(alice, 'INVESTOR')), ['FORBIDDEN'], 'an investor');
      assert.deepEqual(errorCodes(await call(WAIVE, { i: first.id, a: '1.00', r: 'x' })), ['UNAUTHENTICATED']);
      assert.deepEqual(await codes({ a: formatMoney(accrued(4n) + 1n) }), ['BAD_USER_INPUT'], 'above the penalty');
      for (const amount of ['0.00', '-1.00', '1.001', 'abc', '1e3'])
        assert.deepEqual(await codes({ a: amount }), ['BAD_USER_INPUT'], `amount ${amount}`);
      assert.deepEqual(await codes({ r: '  ' }), ['BAD_USER_INPUT'], 'a blank reason');
      assert.deepEqual(await codes({ r: 'x'.repeat(501) }), ['BAD_USER_INPUT'], 'a reason too long');
      assert.deepEqual(await codes({ i: newId() }), ['NOT_FOUND']);
      assert.deepEqual(await codes({ i: 'not-an-id' }), ['NOT_FOUND']);
      assert.deepEqual(await codes({ i: second.id }), ['BAD_USER_INPUT'], 'not overdue: no penalty to waive');
      assert.equal(fen((await schedule(loan.loanId))[0].penalty), accrued(4n), 'the refusals changed nothing');

      const waived = dataOf(
        await call(
          `mutation { waivePenalty(installmentId: "${first.id}", amount: "1.00", reason: "hospital stay") { penalty penaltyWaived } }`,
          {},
          admin(),
        ),
      ).waivePenalty;
      assert.deepEqual(waived, { penalty: formatMoney(accrued(4n) - 1_00n), penaltyWaived: '1.00' });
      const WAIVERS =
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on Loan { schedule { penaltyWaivers { amount reason businessDate waivedBy } } } } }';
      const waiversAs = async (bearer: string) =>
        dataOf(await call(WAIVERS, { r: [{ __typename: 'Loan', id: loan.loanId }] }, bearer))._entities[0].schedule[0]
          .penaltyWaivers;
      const adminToken = token(adminId, 'ADMIN');
      const waiveDay = await businessDate();
      assert.deepEqual(await waiversAs(adminToken), [
        { amount: '1.00', reason: 'hospital stay', businessDate: waiveDay, waivedBy: adminId },
      ]);
      assert.deepEqual(await waiversAs(token(borrowerId, 'BORROWER')), [
        { amount: '1.00', reason: 'hospital stay', businessDate: waiveDay, waivedBy: null },
      ]);

      await runTo(addDays(first.dueDate, 5));
      assert.equal(
        fen((await schedule(loan.loanId))[0].penalty),
        accrued(5n) - 1_00n,
        'accrual goes on, less the waiver',
      );
      await bank.recharge(borrowerId, fen(first.amount) + accrued(6n) - 1_00n);
      const before = await Promise.all([alice, bob].map(balance));
      await runTo(addDays(first.dueDate, 6));
      await allConfirmed();
      const repaid = (await schedule(loan.loanId))[0];
      assert.deepEqual([repaid.status, fen(repaid.penalty)], ['REPAID', accrued(6n) - 1_00n]);
      assert.deepEqual(
        await balance(borrowerId),
        { availableFen: 0n, frozenFen: 0n },
        'the net penalty taken, to the fen',
      );
      const receivables = await forkEntityManager(orm).find(Receivable, { installmentId: first.id });
      assert.equal(sum(receivables.map((row) => row.penaltyFen)), accrued(6n) - 1_00n, 'the investors share the rest');
      const after = await Promise.all([alice, bob].map(balance));
      for (const [index, investorId] of [alice, bob].entries()) {
        const own = receivables.find((row) => row.investorId === investorId)!;
        assert.equal(
          after[index].availableFen - before[index].availableFen,
          own.principalFen + own.interestFen + own.penaltyFen,
          `investor ${index + 1} paid exactly their receivable`,
        );
      }
      assert.deepEqual(await codes({}), ['CONFLICT'], 'repaid: nothing to waive');
    });

    test('collection cases: 40 days overdue walk SMS, staff call, red flag and emergency contact; staff notes; the case closes when paid', async () => {
      const { borrowerId, investorId, loan, rows } = await brokeBorrowersLoan();
      const [first] = rows;
      const CASES =
        'query($s: CollectionCaseStatus, $first: Int, $after: String) { collectionCases(status: $s, first: $first, after: $after) { totalCount edges { cursor node { id status stage severity overdueDays overdueSince overdueAmount openedOn closedOn promisedDate loan { id } borrower { id } } } pageInfo { hasNextPage endCursor } } }';
      const ourCase = async (status?: string) => {
        const page = dataOf(await call(CASES, { s: status ?? null, first: 100 }, admin())).collectionCases;
        return page.edges
          .map((edge: { node: { loan: { id: string } } }) => edge.node)
          .find((node: { loan: { id: string } }) => node.loan.id === loan.loanId);
      };
      assert.equal(await ourCase(), undefined, 'no case while the loan is current');
      const walk: [number, string, string][] = [
        [1, 'SMS', 'NORMAL'],
        [2, 'SMS', 'NORMAL'],
        [3, 'STAFF_CALL', 'NORMAL'],
        [5, 'STAFF_CALL', 'RED'],
        [29, 'STAFF_CALL', 'RED'],
        [30, 'EMERGENCY_CONTACT', 'RED'],
        [40, 'EMERGENCY_CONTACT', 'RED'],
      ];
      let caseId = '';
      for (const [days, stage, severity] of walk) {
        const report = dataOf(
          await call(
            'mutation($d: Date!) { runDailyJobs(date: $d) { collectionCasesOpened collectionCasesOpen } }',
            { d: addDays(first.dueDate, days) },
            admin(),
          ),
        ).runDailyJobs;
        if (days === 1) assert.ok(report.collectionCasesOpened >= 1, 'the first overdue day opens it');
        const row = await ourCase('OPEN');
        assert.deepEqual([row.stage, row.severity, row.overdueDays], [stage, severity, days], `day ${days}`);
        const overdue = (await schedule(loan.loanId)).filter((installment) => installment.status === 'OVERDUE');
        assert.equal(
          fen(row.overdueAmount),
          sum(overdue.map((installment) => fen(installment.amount) + fen(installment.penalty))),
          `day ${days}: every overdue installment with its penalty`,
        );
        assert.deepEqual(
          [row.overdueSince, row.openedOn, row.borrower.id],
          [first.dueDate, addDays(first.dueDate, 1), borrowerId],
        );
        assert.ok(caseId === '' || caseId === row.id, 'one case all along');
        caseId = row.id;
      }

      const NOTE =
        'mutation($c: ID!, $n: String!, $p: Date) { addCollectionNote(caseId: $c, note: $n, promisedDate: $p) { promisedDate notes { note promisedDate author { id } } } }';
      const today = await businessDate();
      const noteCodes = async (variables: Record<string, unknown>, bearer = admin()) =>
        errorCodes(await call(NOTE, { c: caseId, n: 'called, no answer', p: null, ...variables }, bearer));
      assert.deepEqual(await noteCodes({}, token(borrowerId, 'BORROWER')), ['FORBIDDEN']);
      assert.deepEqual(await noteCodes({}, token(investorId, 'INVESTOR')), ['FORBIDDEN']);
      assert.deepEqual(await noteCodes({ n: ' ' }), ['BAD_USER_INPUT'], 'an empty note');
      assert.deepEqual(await noteCodes({ n: 'x'.repeat(1001) }), ['BAD_USER_INPUT'], 'a note over 1,000 characters');
      assert.deepEqual(await noteCodes({ p: addDays(today, -1) }), ['BAD_USER_INPUT'], 'a promise in the past');
      assert.deepEqual(await noteCodes({ p: '2026-02-30' }), ['BAD_USER_INPUT'], 'not a date');
      assert.deepEqual(await noteCodes({ c: newId() }), ['NOT_FOUND']);
      assert.deepEqual(await noteCodes({ c: 'not-an-id' }), ['NOT_FOUND']);
      const notesOf = async () =>
        dataOf(await call('query($id: ID!) { collectionCase(id: $id) { notes { note } } }', { id: caseId }, admin()))
          .collectionCase.notes;
      assert.deepEqual(await notesOf(), [], 'the refusals wrote nothing');
      const adminToken = token(adminId, 'ADMIN');
      dataOf(await call(NOTE, { c: caseId, n: 'called, no answer', p: null }, adminToken));
      const noted = dataOf(
        await call(NOTE, { c: caseId, n: 'will pay on Friday', p: addDays(today, 3) }, adminToken),
      ).addCollectionNote;
      assert.deepEqual(noted, {
        promisedDate: addDays(today, 3),
        notes: [
          { note: 'called, no answer', promisedDate: null, author: { id: adminId } },
          { note: 'will pay on Friday', promisedDate: addDays(today, 3), author: { id: adminId } },
        ],
      });

      const OVERDUE =
        'query($m: Int, $first: Int, $after: String) { overdueInstallments(minDays: $m, first: $first, after: $after) { totalCount edges { cursor node { id dueDate overdueDays loan { id } } } pageInfo { hasNextPage endCursor } } }';
      const longOverdue = dataOf(await call(OVERDUE, { m: 40, first: 100 }, admin())).overdueInstallments;
      assert.ok(longOverdue.edges.some((edge: { node: { id: string } }) => edge.node.id === first.id));
      assert.ok(longOverdue.edges.every((edge: { node: { overdueDays: number } }) => edge.node.overdueDays >= 40));
      const dueDates = longOverdue.edges.map((edge: { node: { dueDate: string } }) => edge.node.dueDate);
      assert.deepEqual(dueDates, [...dueDates].sort(), 'the oldest first');
      // Page by page, one row at a time, the same rows in the same order.
      const paged: string[] = [];
      for (let after: string | null = null, more = true; more;) {
        const page: { edges: { node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } =
          dataOf(await call(OVERDUE, { m: 40, first: 1, after }, admin())).overdueInstallments;
        paged.push(...page.edges.map((edge) => edge.node.id));
        more = page.pageInfo.hasNextPage;
        after = page.pageInfo.endCursor;
      }
      assert.deepEqual(
        paged,
        longOverdue.edges.map((edge: { node: { id: string } }) => edge.node.id),
      );
      for (const [variables, code] of [
        [{ m: 0 }, 'BAD_USER_INPUT'],
        [{ m: 1, after: 'not-a-cursor' }, 'BAD_USER_INPUT'],
      ] as const)
        assert.deepEqual(errorCodes(await call(OVERDUE, { first: 5, ...variables }, admin())), [code]);
      assert.deepEqual(errorCodes(await call(OVERDUE, { m: 1 }, token(borrowerId, 'BORROWER'))), ['FORBIDDEN']);
      assert.deepEqual(errorCodes(await call(CASES, {}, token(investorId, 'INVESTOR'))), ['FORBIDDEN']);

      const overdueRows = (await schedule(loan.loanId)).filter((installment) => installment.status === 'OVERDUE');
      await bank.recharge(
        borrowerId,
        sum(overdueRows.map((installment) => fen(installment.amount) + fen(installment.penalty))),
      );
      for (const installment of overdueRows) {
        const repaid = dataOf(await repayInstallment(installment.id, borrowerId)).repayInstallment;
        assert.equal(repaid.status, 'REPAID');
      }
      const closed = await ourCase('CLOSED');
      assert.deepEqual([closed.id, closed.status, closed.closedOn], [caseId, 'CLOSED', today], 'current again');
      assert.equal(await ourCase('OPEN'), undefined);
      assert.deepEqual(await noteCodes({}), ['CONFLICT'], 'no notes on a closed case');
      await allConfirmed();
    });

    test("a portfolio and a borrower's summary: the sums of their receivables and installments", async () => {
      const { borrowerId, investorIds, loan, rows } = await brokeBorrowersLoan([2_000_00n, 1_000_00n]);
      const FIGURES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on User {
        portfolio { invested principalReceived outstandingPrincipal interestReceived interestExpected penaltyReceived
          holdings }
        borrowing { outstandingPrincipal overdueAmount overduePenalty overdueInstallments loansRepaying nextDue { id } }
        receivables(first: 100) { edges { node { principal interest penalty status } } } } } }`;
      const figuresOf = async (id: string, role: Role, bearer = admin()) =>
        dataOf(await call(FIGURES, { r: [{ __typename: 'User', id, role }] }, bearer))._entities[0];
      // As the Portfolio type defines each figure, from the receivables the same answer lists.
      const portfolioOfReceivables = (
        nodes: { principal: string; interest: string; penalty: string; status: string }[],
      ) => {
        const total = (status: string | null, part: (node: (typeof nodes)[number]) => string) =>
          formatMoney(
            sum(nodes.filter((node) => status === null || node.status === status).map((node) => fen(part(node)))),
          );
        return {
          invested: total(null, (node) => node.principal),
          principalReceived: total('RECEIVED', (node) => node.principal),
          outstandingPrincipal: total('PENDING', (node) => node.principal),
          interestReceived: total('RECEIVED', (node) => node.interest),
          interestExpected: total('PENDING', (node) => node.interest),
          penaltyReceived: total('RECEIVED', (node) => node.penalty),
          holdings: nodes.some((node) => node.status === 'PENDING') ? 1 : 0,
        };
      };
      const checkInvestors = async () => {
        const portfolios = [];
        for (const investorId of investorIds) {
          const figures = await figuresOf(investorId, 'INVESTOR', token(investorId, 'INVESTOR'));
          const nodes = figures.receivables.edges.map((edge: { node: unknown }) => edge.node);
          assert.deepEqual(figures.portfolio, portfolioOfReceivables(nodes));
          assert.equal(figures.borrowing, null, "an investor's borrowing");
          portfolios.push(figures.portfolio);
        }
        assert.deepEqual(
          portfolios.map((portfolio) => portfolio.invested),
          ['2000.00', '1000.00'],
        );
        return portfolios;
      };

      await runTo(addDays(rows[0].dueDate, 2));
      const [overdue] = await schedule(loan.loanId);
      assert.ok(overdue.status === 'OVERDUE' && fen(overdue.penalty) > 0n, 'two days of penalty');
      const owing = await figuresOf(borrowerId, 'BORROWER', token(borrowerId, 'BORROWER'));
      assert.equal(owing.portfolio, null, "a borrower's portfolio");
      assert.deepEqual(owing.borrowing, {
        outstandingPrincipal: '3000.00',
        overdueAmount: formatMoney(fen(overdue.amount) + fen(overdue.penalty)),
        overduePenalty: overdue.penalty,
        overdueInstallments: 1,
        loansRepaying: 1,
        nextDue: { id: overdue.id },
      });
      const before = await checkInvestors();
      assert.equal(formatMoney(sum(before.map((portfolio) => fen(portfolio.outstandingPrincipal)))), '3000.00');

      await bank.recharge(borrowerId, fen(overdue.amount) + fen(overdue.penalty));
      const repay = 'mutation($i: ID!) { repayInstallment(installmentId: $i) { status } }';
      dataOf(await call(repay, { i: overdue.id }, token(borrowerId, 'BORROWER')));
      const paid = await figuresOf(borrowerId, 'BORROWER');
      assert.deepEqual(paid.borrowing, {
        outstandingPrincipal: formatMoney(3_000_00n - fen(rows[0].principal)),
        overdueAmount: '0.00',
        overduePenalty: '0.00',
        overdueInstallments: 0,
        loansRepaying: 1,
        nextDue: { id: rows[1].id },
      });
      const after = await checkInvestors();
      const total = (field: string) => formatMoney(sum(after.map((portfolio) => fen(portfolio[field]))));
      assert.equal(total('penaltyReceived'), overdue.penalty, 'the investors share the penalty, to the fen');
      assert.equal(total('principalReceived'), rows[0].principal);

      // Another user's figures are refused; the receivables' filters refuse a bad loan id.
      const refused = await call(
        FIGURES,
        { r: [{ __typename: 'User', id: investorIds[0], role: 'INVESTOR' }] },
        token(investorIds[1], 'INVESTOR'),
      );
      assert.deepEqual(errorCodes(refused), ['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
      const filtered = (loanId: string) =>
        call(
          `query($r: [_Any!]!, $l: ID) { _entities(representations: $r) { ... on User {
            receivables(loanId: $l, status: PENDING) { totalCount } } } }`,
          { r: [{ __typename: 'User', id: investorIds[0] }], l: loanId },
          token(investorIds[0], 'INVESTOR'),
        );
      assert.equal(dataOf(await filtered(loan.loanId))._entities[0].receivables.totalCount, 2);
      assert.deepEqual(errorCodes(await filtered(newId())), ['NOT_FOUND']);
      assert.deepEqual(errorCodes(await filtered('loan-1')), ['BAD_USER_INPUT']);
      await allConfirmed();
    });

    test("the bank's ledger checks out", async () => {
      const check = await bank.bank.checkLedger();
      assert.deepEqual(check.problems, []);
      assert.equal(check.openFreezeCount, 0, 'every freeze was settled');
    });
  });
}
