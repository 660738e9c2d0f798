// Benchmark, not a test: one due day of the repayment run end to end, then a collection night. Every
// service is its own process on MariaDB (every commit on disk) and RabbitMQ, with the depository agent and
// the bank simulator in the path. N synthetic loans (10,000 by default) of 5 investors each, all paid out on
// the same day, fall due together one month later; one `runDailyJobs(<due date>)` by the admin then freezes
// every installment at the bank (REPAYMENT, through the agent), records it REPAID with its receivables
// RECEIVED and `repayments.installment.repaid`, its collection FROZEN with the CONFIRM_REPAYMENT that the
// settle pass sends. Printed: seconds until the mutation returns (every installment frozen and REPAID), seconds
// until every collection is CONFIRMED at the bank (the investors paid), and installments settled per second.
// Target: the whole day in ≤ 60 s on this machine. Repayments sends its freezes and confirmations in
// batches (BATCH_TRANSACTION). Baseline, in the same run: the bank alone through the agent, one
// instruction per call, 16 pairs in flight — a REPAYMENT freeze then its CONFIRM_REPAYMENT to 5 investors
// per installment (what the run asks of the bank, without repayments), so the figures read as ratios.
//
// The collection night (issue 19, step 10): every borrower's money is then frozen away at the bank, so the
// second due date's N collections are refused, and the run of the day after is timed: it marks the N
// installments OVERDUE, tries their collections again (refused again), opens N collection cases and makes N
// overdue-day-1 SMS reminders (a reminder row each, and a `repayments.reminder.due` outbox event with it).
// Printed: the night's seconds and ms a loan; cases opened and advanced; SMS reminder rows, and apart from
// them the reminder events the outbox gained; CPU and SQL statements per loan; the ratio to the due day's
// run of the same N in the same run; whether 10,000 loans take ≤ 60 s (judged per loan at other sizes); a
// check that every loan has its case, reminder and OVERDUE installment (the bench fails when not); then how
// long users took to queue and send the texts.
//
// Setup (timed and printed, not measured): members register through the gateway, open their accounts on
// the bank's page and (investors) recharge there, as users do; 10 loans per borrower, 50 bids per
// investor. Each loan is funded and paid out at the bank by signed calls to its direct API, as the agent
// makes them (CREATE_PROJECT, a TENDER freeze per bid, CONFIRM_LOAN) — loans, bids and the agent are not
// involved (through the agent this step took twice as long) — and its real `loans.loan.disbursed` envelope
// is published on RabbitMQ straight to repayments' queue, where repayments' inbox consumer builds the
// schedule and receivables. (Bids, also bound to that event, knows none of these loans: the exchange would
// hand it 10,000 events it must refuse; loans, for the same reason, then stops hearing repayments' repaid
// and settled events.) An envelope the event contract refuses is dead-lettered and never becomes a loan:
// the bench then fails at once with the contract's reason. Then the days up to the eve of the due date are
// run (reminders included), and the due day is measured. runDailyJobs is posted to the repayments subgraph
// with the admin's token, as the gateway forwards it: through the gateway, the fetch of a day that takes
// over 300 s fails ("fetch failed", undici's headers timeout) while the run goes on.
// Every wait for a count (schedules, confirmations, texts) fails, naming what it waited for, once the count
// stands still for 2 minutes, and says how far it got every 30 s.
//
// Checked at the end: every installment REPAID and every collection CONFIRMED; at the bank, Σ borrowers'
// balances fell by exactly Σ installments (computed with the schedule rule), Σ investors' rose by exactly
// Σ RECEIVED receivables, nothing is left frozen, the ledger is balanced. Counts read from repayments'
// database are read-only. Also printed: CPU time of each process over the measured span (from /proc), SQL
// statements per installment, and a timeline of REPAID and CONFIRMED collections.
//
// Run:  cd /work/main && source infra/services/env.sh && npm run bench:repayments [-- <loans>]
//       (after a build, `node test/dist/bench/repayments.bench.js [<loans>]`; e.g. 200 for a trial run)
// Env:  REPAYMENT_BANK_BATCH, REPAYMENT_BANK_CONCURRENCY, REPAYMENT_SETTLE_INTERVAL_MS (passed to
//       repayments; its defaults otherwise), BENCH_PROFILE_DIR (unset; when set, repayments, depository and
//       the bank write V8 CPU profiles under it, one folder each, and repayments its SQL statements' times
//       under repayments-sql/, when the platform stops; the spans of the day and the night are printed for
//       `node test/dist/bench/cpu-profile-summary.js <dir> <from µs> <to µs>` and
//       `node test/dist/bench/sql-trace-summary.js <dir>/repayments-sql <from µs> <to µs>`).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import amqp from 'amqplib';
import mysql from 'mysql2/promise';
import {
  addDays,
  bankUserNoFor,
  brokerNames,
  buildSchedule,
  databaseName,
  formatMoney,
  InternalBankClient,
  loadConfig,
  mapBounded,
  newId,
  parseMoney,
  resolveKeyPair,
  resolveServiceSecret,
  type EventEnvelope,
  type ScheduleRow,
} from '@wanxin/platform';
import { dataOf, type GraphQLResponse } from '@wanxin/platform/testing';
import {
  BANK_CODES,
  BANK_PATHS,
  openSignedResult,
  signRequest,
  type BankResult,
  type BankServiceName,
  type UndatedRequest,
} from '@wanxin/platform/bank-protocol';
import { dated } from '@wanxin/bank-simulator/testing';
import { testRequestNo } from '@wanxin/depository/testing';
import {
  decodePayload,
  InstallmentRepaid,
  LoanDisbursed,
  LoanSettled,
  ReminderDue,
  type LoanDisbursedPayload,
} from '@wanxin/platform/contracts';
import { readRepaymentsSettings } from '@wanxin/repayments';
import { identityFor, MarketplaceClient } from '../harness/marketplace';
import {
  describeMachineAndDatabase,
  machineBusyFraction,
  pidsOf,
  processCpuMs,
  readMachineCpu,
  runBenchmark,
} from '../harness/measure';
import { countsBetween, statementCounts, type StatementCounts } from '../harness/metrics';
import { startPlatform, type RunningPlatform, type ServiceName } from '../harness/platform';
import type { ServiceProcess } from '../harness/processes';
import { sleep } from '../harness/timing';

const TARGET_SECONDS = 60;
/** The collection night (issue 19): NIGHT_TARGET_LOANS overdue loans' cases and SMS in NIGHT_TARGET_SECONDS. */
const NIGHT_TARGET_SECONDS = 60;
const NIGHT_TARGET_LOANS = 10_000;
const LOANS_DEFAULT = 10_000;
/** identityFor numbers members up to 9,999: borrowers and investors together stay below. */
const LOANS_MAX = 40_000;
const INVESTORS_PER_LOAN = 5;
const LOANS_PER_BORROWER = 10;
const BIDS_PER_INVESTOR = 50;
const BID_FEN = 1_000_00n;
const TERM_MONTHS = 3;
const REPAYMENT_METHOD = 'EQUAL_INSTALLMENT';
const ANNUAL_RATE_MICROS = 150_000;
const INVESTOR_RATE_MICROS = 100_000;
/** Members registered at once (each costs scrypt hashes in users and at the bank). */
const MEMBER_CONCURRENCY = 24;
/** Loans funded at the bank at once (each with its 5 TENDER freezes in parallel). */
const LOAN_SETUP_CONCURRENCY = 16;
/** Balance reads at once, before and after. */
const BALANCE_READ_CONCURRENCY = 16;
/** Envelopes published between waits for the broker's confirms. */
const PUBLISH_BATCH_MAX = 500;
/** Bank calls of the setup are allowed longer than repayments' 10 s: the machine is shared. */
const SETUP_BANK_TIMEOUT_MS = 60_000;
/** The bank simulator's platform number unless BANK_PLATFORM_NO says otherwise. */
const BANK_PLATFORM_NO_DEFAULT = 'WANXIN';
/** Freeze + confirm pairs of the bank-alone baseline, at most. */
const BASELINE_PAIRS_MAX = 1_000;
/** The baseline's pairs in flight: one instruction per call, as many as keep the bank busy. */
const BASELINE_CONCURRENCY = 16;
/** Each baseline freeze: 20 fen to each of the loan's 5 investors. */
const BASELINE_SHARE_FEN = 20n;
const POLL_MS = 250;
const SETUP_TOKEN_TTL_SECONDS = 6 * 3600;
/** A wait for a count (schedules built, collections confirmed, texts sent) fails when it stops moving this long. */
const WAIT_STALL_MS = 120_000;
/** ... or when it has not reached its target after this long in all. */
const WAIT_TIMEOUT_MS = 30 * 60_000;
/** A wait says how far it got this often, so a long one is never silent. */
const WAIT_REPORT_MS = 30_000;
const DAY_RUN_TIMEOUT_MS = 30 * 60_000;
const TIMELINE_STEP_MS = 5_000;
/** Processes whose CPU time is reported: the services in the day's path, then the shared servers. */
const PROFILED_SERVICES: ServiceName[] = ['gateway', 'repayments', 'depository', 'bank', 'loans'];
const SHARED_SERVERS = { mariadb: 'mariadbd', rabbitmq: 'beam.smp' } as const;
/** Services that write V8 CPU profiles when BENCH_PROFILE_DIR is set. */
const CPU_PROFILED_SERVICES: ServiceName[] = ['repayments', 'depository', 'bank'];
const RUN =
  'mutation($d: Date!) { runDailyJobs(date: $d) { businessDate daysRun installmentsRepaid collectionsRefused ' +
  'collectionsUnanswered installmentsOverdue remindersCreated collectionCasesOpened collectionCasesOpen } }';

interface Member {
  id: string;
  token: string;
}

interface FundedLoan {
  payload: LoanDisbursedPayload;
  borrower: Member;
  investors: Member[];
}

interface JobReport {
  businessDate: string;
  daysRun: number;
  installmentsRepaid: number;
  collectionsRefused: number;
  collectionsUnanswered: number;
  remindersCreated: number;
  installmentsOverdue: number;
  collectionCasesOpened: number;
  collectionCasesOpen: number;
}

interface CollectionCounts {
  SENT: number;
  FROZEN: number;
  CONFIRMED: number;
  REFUSED: number;
}

interface Sample {
  atMs: number;
  counts: CollectionCounts;
}

function readLoanCount(): number {
  const text = process.argv[2] ?? String(LOANS_DEFAULT);
  const loans = Number(text);
  if (!/^[0-9]+$/.test(text) || loans < 1 || loans > LOANS_MAX)
    throw new Error(`loans: a whole number from 1 to ${LOANS_MAX}, got "${text}"`);
  return loans;
}

/** The repayments settings given in this process's environment, passed on to the subgraph. */
function repaymentsEnv(): Record<string, string> {
  const names = ['REPAYMENT_BANK_BATCH', 'REPAYMENT_BANK_CONCURRENCY', 'REPAYMENT_SETTLE_INTERVAL_MS'];
  return Object.fromEntries(
    names.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]!]),
  );
}

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const startedAtMs = performance.now();
  const result = await work();
  console.log(`setup: ${label}: ${((performance.now() - startedAtMs) / 1000).toFixed(1)} s`);
  return result;
}

interface CountWait {
  /** What is awaited, as the progress lines and the error name it: "repayments' loans with a schedule". */
  what: string;
  target: number;
  read: () => Promise<number>;
  /** Why the count can never reach its target (e.g. envelopes dead-lettered), asked at each poll. */
  refusal?: () => Promise<string | undefined>;
  /** While this says so the count may stand still: the work it waits behind is bounded by its own timeout. */
  busy?: () => boolean;
}

/**
 * Polls until `read` reaches `target`. Bounded twice: it fails, naming what it waited for and how far it
 * got, once the count has not moved for WAIT_STALL_MS (a message lost or refused never arrives) or after
 * WAIT_TIMEOUT_MS in all; every WAIT_REPORT_MS it prints how far it got.
 */
async function waitForCount({ what, target, read, refusal, busy }: CountWait): Promise<void> {
  const startedAtMs = performance.now();
  let movedAtMs = startedAtMs;
  let reportedAtMs = startedAtMs;
  for (let count = await read(); count < target;) {
    const nowMs = performance.now();
    const progress = `${what}: ${count} of ${target} after ${((nowMs - startedAtMs) / 1000).toFixed(0)} s`;
    const reason = await refusal?.();
    if (reason !== undefined) throw new Error(`${progress}; ${reason}`);
    if (busy?.()) movedAtMs = nowMs;
    if (nowMs - movedAtMs > WAIT_STALL_MS) throw new Error(`${progress}, none more in ${WAIT_STALL_MS / 1000} s`);
    if (nowMs - startedAtMs > WAIT_TIMEOUT_MS) throw new Error(`${progress}: gave up`);
    if (nowMs - reportedAtMs > WAIT_REPORT_MS) {
      console.log(`  waiting for ${progress}`);
      reportedAtMs = nowMs;
    }
    await sleep(POLL_MS);
    const next = await read();
    if (next !== count) movedAtMs = performance.now();
    count = next;
  }
}

/** A read-only connection to one subgraph's own database. */
function subgraphDatabase(platform: RunningPlatform, subgraph: 'repayments' | 'users'): Promise<mysql.Connection> {
  const { config } = platform.environment;
  return mysql.createConnection({
    uri: config.database.url!.toString().replace(/^mariadb:/, 'mysql:'),
    database: databaseName(config, subgraph),
  });
}

/**
 * The envelopes repayments' consumer refused (dead-lettered) and why, as its contract says it of the first
 * (looked at and put back); undefined while there are none.
 */
async function refusedDisbursals(channel: amqp.Channel, deadQueue: string): Promise<string | undefined> {
  const { messageCount } = await channel.checkQueue(deadQueue);
  if (messageCount === 0) return undefined;
  const first = await channel.get(deadQueue);
  if (first === false) return `${messageCount} envelopes dead-lettered in ${deadQueue}`;
  channel.nack(first, false, true);
  const decoded = decodePayload(LoanDisbursed, (JSON.parse(first.content.toString('utf8')) as EventEnvelope).payload);
  const reason = decoded.ok ? "the first decodes: see repayments' log" : decoded.reason;
  return `${messageCount} envelopes refused by repayments' consumer (dead-lettered in ${deadQueue}): ${reason}`;
}

/** Read-only counts from repayments' own database (and users' SMS outbox). */
class RepaymentsTables {
  private constructor(
    private readonly connection: mysql.Connection,
    private readonly users: mysql.Connection,
  ) {}

  static async open(platform: RunningPlatform): Promise<RepaymentsTables> {
    return new RepaymentsTables(
      await subgraphDatabase(platform, 'repayments'),
      await subgraphDatabase(platform, 'users'),
    );
  }

  /**
   * What the night of `day` left: cases it opened and advanced, OPEN cases, SMS reminder rows made for the
   * day, OVERDUE installments; and the outbox's `repayments.reminder.due` events in all (none before
   * reminders were published), of them those the relay has sent.
   */
  async nightCounts(day: string): Promise<NightCounts> {
    const counts = await this.row(
      `select (select count(*) from collection_cases where opened_on = ?) as casesOpened,
        (select count(*) from collection_cases where updated_on = ? and opened_on < ?) as casesAdvanced,
        (select count(*) from collection_cases where status = 'OPEN') as casesOpen,
        (select count(*) from reminders where channel = 'SMS' and business_date = ?) as smsReminders,
        (select count(*) from installments where status = 'OVERDUE') as installmentsOverdue,
        (select count(*) from outbox where type = ?) as reminderEvents,
        (select count(*) from outbox where type = ? and status = 'SENT') as reminderEventsSent`,
      [day, day, day, day, ReminderDue.type, ReminderDue.type],
    );
    const count = (name: keyof NightCounts) => Number(counts[name]);
    return {
      casesOpened: count('casesOpened'),
      casesAdvanced: count('casesAdvanced'),
      casesOpen: count('casesOpen'),
      smsReminders: count('smsReminders'),
      installmentsOverdue: count('installmentsOverdue'),
      reminderEvents: count('reminderEvents'),
      reminderEventsSent: count('reminderEventsSent'),
    };
  }

  /** Until users' SMS provider has taken `count` texts of `template`. */
  waitForTexts(template: string, count: number): Promise<void> {
    const what = `${template} texts taken by the SMS provider from users' outbox`;
    return waitForCount({ what, target: count, read: async () => (await this.texts(template)).sent });
  }

  /** users' SMS outbox: the texts of `template`, and how many of them the provider took. */
  async texts(template: string): Promise<{ queued: number; sent: number }> {
    const [rows] = await this.users.query(
      "select count(*) as queued, coalesce(sum(status = 'SENT'), 0) as sent from sms_messages where template = ?",
      [template],
    );
    const [{ queued, sent }] = rows as { queued: number; sent: number }[];
    return { queued: Number(queued), sent: Number(sent) };
  }

  /** The first row of a query whose columns are all numbers or numeric text. */
  private async row(sql: string, values: unknown[] = []): Promise<Record<string, string>> {
    const [rows] = await this.connection.query(sql, values);
    return Object.fromEntries(
      Object.entries((rows as Record<string, unknown>[])[0]).map(([name, value]) => [name, String(value)]),
    );
  }

  async loans(): Promise<number> {
    return Number((await this.row('select count(*) as n from repayment_loans')).n);
  }

  /** The due dates of each loan's installment `period`: one day when every loan was paid out on the same day. */
  async dueDates(period: number): Promise<{ first: string; last: string }> {
    const { first, last } = await this.row(
      'select min(due_date) as first, max(due_date) as last from installments where period = ?',
      [period],
    );
    return { first, last };
  }

  async collections(): Promise<CollectionCounts> {
    const [rows] = await this.connection.query('select status, count(*) as n from collections group by status');
    const counts: CollectionCounts = { SENT: 0, FROZEN: 0, CONFIRMED: 0, REFUSED: 0 };
    for (const { status, n } of rows as { status: keyof CollectionCounts; n: number }[]) counts[status] = Number(n);
    return counts;
  }

  /** REPAID installments and what they cost the borrowers; RECEIVED receivables and what they pay the investors. */
  async repaidTotals(): Promise<{
    installments: number;
    installmentsFen: bigint;
    receivables: number;
    receivablesFen: bigint;
  }> {
    const countAndSum =
      'select count(*) as n, cast(coalesce(sum(principal_fen + interest_fen + penalty_fen), 0) as char) as fen';
    const repaid = await this.row(`${countAndSum} from installments where status = 'REPAID'`);
    const received = await this.row(`${countAndSum} from receivables where status = 'RECEIVED'`);
    return {
      installments: Number(repaid.n),
      installmentsFen: BigInt(repaid.fen),
      receivables: Number(received.n),
      receivablesFen: BigInt(received.fen),
    };
  }

  async close(): Promise<void> {
    await this.connection.end();
    await this.users.end();
  }
}

/**
 * The bank's direct API, signed with the platform's key as the agent signs: the setup's shortcut past the
 * agent (a third of the work per instruction; the agent's records of these play no part in the day).
 */
class DirectBank {
  private readonly platformPrivateKeyPem: string;
  private readonly bankPublicKeyPem: string;

  constructor(private readonly platform: RunningPlatform) {
    const { dataDir } = platform.environment.config;
    this.platformPrivateKeyPem = resolveKeyPair(dataDir, 'platform', {}).privateKeyPem!;
    this.bankPublicKeyPem = resolveKeyPair(dataDir, 'bank', {}).publicKeyPem;
  }

  async done<S extends BankServiceName>(
    serviceName: S,
    reqData: UndatedRequest<S>,
  ): Promise<BankResult<S> & { code: '00000' }> {
    const envelope = signRequest(
      serviceName,
      this.platform.environment.env.BANK_PLATFORM_NO ?? BANK_PLATFORM_NO_DEFAULT,
      dated(serviceName, reqData),
      this.platformPrivateKeyPem,
    );
    const response = await fetch(`http://127.0.0.1:${this.platform.bank.port}${BANK_PATHS.service}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(envelope),
      signal: AbortSignal.timeout(SETUP_BANK_TIMEOUT_MS),
    });
    const result = openSignedResult<S>(await response.json(), this.bankPublicKeyPem, {
      messageType: 'RESPONSE',
      platformNo: envelope.platformNo,
      serviceName,
    });
    if (result.code !== BANK_CODES.SUCCESS)
      throw new Error(`${serviceName} ${reqData.requestNo}: ${result.code} ${result.message}`);
    return result;
  }
}

type CpuSnapshot = Record<string, number | undefined>;

function serviceOf(platform: RunningPlatform, name: ServiceName): ServiceProcess {
  if (name === 'gateway') return platform.gateway;
  return name === 'bank' ? platform.bank : platform.subgraphs[name];
}

/** CPU ms so far of each service in the day's path and of the shared database and broker. */
function cpuSnapshot(platform: RunningPlatform): CpuSnapshot {
  const snapshot: CpuSnapshot = Object.fromEntries(
    PROFILED_SERVICES.map((name) => [name, processCpuMs(serviceOf(platform, name).pid)]),
  );
  for (const [name, command] of Object.entries(SHARED_SERVERS)) {
    const times = pidsOf(command).map(processCpuMs);
    snapshot[name] =
      times.length === 0 || times.includes(undefined) ? undefined : times.reduce((sum, time) => sum! + time!, 0);
  }
  snapshot.bench = process.cpuUsage().user / 1000 + process.cpuUsage().system / 1000;
  return snapshot;
}

class RepaymentDayBench {
  private readonly client: MarketplaceClient;
  /** The agent's internal API, as repayments reaches the bank: the baseline's path. */
  private readonly agent: InternalBankClient;
  private readonly setupBank: DirectBank;
  private admin = '';
  borrowers: Member[] = [];
  investors: Member[] = [];
  loans: FundedLoan[] = [];

  constructor(
    private readonly platform: RunningPlatform,
    private readonly loanCount: number,
  ) {
    this.client = new MarketplaceClient(platform);
    const { config } = platform.environment;
    this.agent = new InternalBankClient(
      `http://127.0.0.1:${platform.subgraphs.depository.port}`,
      resolveServiceSecret(config.dataDir, config.internalApiSecret),
      SETUP_BANK_TIMEOUT_MS,
    );
    this.setupBank = new DirectBank(platform);
  }

  get members(): Member[] {
    return [...this.borrowers, ...this.investors];
  }

  gateway(query: string, variables: Record<string, unknown> = {}, token = this.admin) {
    return this.client.gateway(query, variables, token);
  }

  /** Borrowers with accounts opened at the bank; investors with enough recharged for all their bids. */
  async registerMembers(): Promise<void> {
    this.admin = await this.client.adminToken();
    const borrowerCount = Math.ceil(this.loanCount / LOANS_PER_BORROWER);
    const investorCount = Math.max(
      INVESTORS_PER_LOAN,
      Math.ceil((this.loanCount * INVESTORS_PER_LOAN) / BIDS_PER_INVESTOR),
    );
    const bidsPerInvestor = Math.ceil((this.loanCount * INVESTORS_PER_LOAN) / investorCount);
    const recharge = formatMoney(BigInt(bidsPerInvestor) * BID_FEN);
    const roles = [
      ...Array<'BORROWER'>(borrowerCount).fill('BORROWER'),
      ...Array<'INVESTOR'>(investorCount).fill('INVESTOR'),
    ];
    const members = await mapBounded(
      roles.map((role, index) => ({ role, memberNumber: index + 1 })),
      MEMBER_CONCURRENCY,
      async ({ role, memberNumber }) => {
        const { mobile, idNumber } = identityFor(memberNumber);
        const token = await this.client.member(mobile, role, idNumber, role === 'INVESTOR' ? recharge : undefined);
        return { id: dataOf(await this.gateway('{ me { id } }', {}, token)).me.id as string, token };
      },
    );
    this.borrowers = members.slice(0, borrowerCount);
    this.investors = members.slice(borrowerCount);
    console.log(`setup: ${borrowerCount} borrowers, ${investorCount} investors with ${recharge} each`);
  }

  private async agentDone(
    serviceName: string,
    reqData: { requestNo: string } & Record<string, unknown>,
    userId?: string,
  ): Promise<void> {
    const outcome = await this.agent.instruct(serviceName, reqData, userId);
    if (outcome.kind !== 'DONE') throw new Error(`${serviceName} ${reqData.requestNo}: ${JSON.stringify(outcome)}`);
  }

  /**
   * Loan `index`: a project at the bank, a TENDER freeze per bid, paid out (CONFIRM_LOAN); its
   * loans.loan.disbursed payload.
   */
  private async fundAndPayOut(index: number, disbursedAt: string): Promise<FundedLoan> {
    const borrower = this.borrowers[index % this.borrowers.length];
    const investors = Array.from(
      { length: INVESTORS_PER_LOAN },
      (_, share) => this.investors[(index * INVESTORS_PER_LOAN + share) % this.investors.length],
    );
    // Within the contract's 32 characters (a longer one is refused by repayments' consumer: dead-lettered).
    const loanNo = `LN${randomBytes(12).toString('hex').toUpperCase()}`;
    const amountFen = BID_FEN * BigInt(INVESTORS_PER_LOAN);
    await this.setupBank.done('CREATE_PROJECT', {
      requestNo: testRequestNo('PRJ'),
      projectNo: loanNo,
      borrowerUserNo: bankUserNoFor(borrower.id),
      amountFen: amountFen.toString(),
      name: 'Bench loan',
    });
    const bids = investors.map((investor) => ({
      bidId: newId(),
      investorId: investor.id,
      amountFen: BID_FEN.toString(),
    }));
    await Promise.all(
      bids.map((bid) =>
        this.setupBank.done('USER_AUTO_PRE_TRANSACTION', {
          requestNo: testRequestNo('BD'),
          userNo: bankUserNoFor(bid.investorId),
          projectNo: loanNo,
          bizType: 'TENDER',
          amountFen: bid.amountFen,
        }),
      ),
    );
    await this.setupBank.done('CONFIRM_LOAN', { requestNo: testRequestNo('CL'), projectNo: loanNo, feeFen: '0' });
    const payload: LoanDisbursedPayload = {
      loanId: newId(),
      loanNo,
      borrowerId: borrower.id,
      amountFen: amountFen.toString(),
      annualRateMicros: ANNUAL_RATE_MICROS,
      investorRateMicros: INVESTOR_RATE_MICROS,
      termMonths: TERM_MONTHS,
      repaymentMethod: REPAYMENT_METHOD,
      disbursedAt,
      feeFen: '0',
      bids,
    };
    return { payload, borrower, investors };
  }

  async fundLoans(): Promise<void> {
    // One payout instant for all: every schedule starts on the same day whatever the setup's length.
    const disbursedAt = new Date().toISOString();
    let done = 0;
    this.loans = await mapBounded(
      Array.from({ length: this.loanCount }, (_, index) => index),
      LOAN_SETUP_CONCURRENCY,
      async (index) => {
        const loan = await this.fundAndPayOut(index, disbursedAt);
        done += 1;
        if (done % 1_000 === 0) console.log(`setup: ${done} loans paid out at the bank`);
        return loan;
      },
    );
  }

  /**
   * Each loan's loans.loan.disbursed envelope, as loans' relay would send it, on repayments' queue; waits for
   * every schedule.
   */
  async deliverDisbursed(tables: RepaymentsTables): Promise<void> {
    const { env } = this.platform.environment;
    const names = brokerNames(env.EVENTS_NAMESPACE);
    const connection = await amqp.connect(env.AMQP_URL);
    try {
      const channel = await connection.createConfirmChannel();
      const queue = names.consumerQueue('repayments');
      for (let start = 0; start < this.loans.length; start += PUBLISH_BATCH_MAX) {
        for (const { payload } of this.loans.slice(start, start + PUBLISH_BATCH_MAX)) {
          const envelope: EventEnvelope<LoanDisbursedPayload> = {
            id: newId(),
            type: LoanDisbursed.type,
            version: LoanDisbursed.version,
            occurredAt: payload.disbursedAt,
            aggregateId: payload.loanId,
            payload,
          };
          channel.sendToQueue(queue, Buffer.from(JSON.stringify(envelope)), {
            persistent: true,
            messageId: envelope.id,
            contentType: 'application/json',
            type: envelope.type,
          });
        }
        await channel.waitForConfirms();
      }
      // A refused envelope never becomes a loan: the wait fails on the first, with the contract's reason.
      await waitForCount({
        what: "repayments' loans with their schedules",
        target: this.loans.length,
        read: () => tables.loans(),
        refusal: () => refusedDisbursals(channel, names.deadLetterQueue('repayments')),
      });
    } finally {
      await connection.close();
    }
  }

  /**
   * Loans knows none of the synthetic loans, so its consumer would fail each installment.repaid (and
   * loan.settled) on the unknown loan and try it again some thirty times: its queue no longer hears them.
   * What loans really does with one (a credit line given back, a small transaction) is not in the figures.
   */
  async detachLoans(): Promise<void> {
    const { env } = this.platform.environment;
    const names = brokerNames(env.EVENTS_NAMESPACE);
    const connection = await amqp.connect(env.AMQP_URL);
    try {
      const channel = await connection.createChannel();
      for (const { type } of [InstallmentRepaid, LoanSettled])
        await channel.unbindQueue(names.consumerQueue('loans'), names.eventsExchange, type);
    } finally {
      await connection.close();
    }
  }

  /** Straight to the repayments subgraph with the admin's token (what the gateway forwards): see postWithoutFetch. */
  async runDailyJobs(date: string): Promise<JobReport> {
    const response = await postWithoutFetch(this.platform.subgraphs.repayments.url, RUN, { d: date }, this.admin).catch(
      (error: unknown) => {
        throw new Error(`runDailyJobs(${date}): ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    return dataOf(response).runDailyJobs;
  }

  /**
   * The bank alone, as the day uses it: per pair a REPAYMENT freeze of the borrower (with the user, so the
   * agent refreshes the balance as for repayments' freezes) then its CONFIRM_REPAYMENT to the 5 investors.
   */
  async bankAloneBaseline(pairs: number, concurrency: number): Promise<number> {
    const startedAtMs = performance.now();
    await mapBounded(this.loans.slice(0, pairs), concurrency, async ({ payload, borrower, investors }) => {
      const freezeNo = testRequestNo('BF');
      const amountFen = BASELINE_SHARE_FEN * BigInt(investors.length);
      await this.agentDone(
        'USER_AUTO_PRE_TRANSACTION',
        {
          requestNo: freezeNo,
          userNo: bankUserNoFor(borrower.id),
          projectNo: payload.loanNo,
          bizType: 'REPAYMENT',
          amountFen: amountFen.toString(),
        },
        borrower.id,
      );
      await this.agentDone('CONFIRM_REPAYMENT', {
        requestNo: testRequestNo('BC'),
        preRequestNo: freezeNo,
        commissionFen: '0',
        details: investors.map((investor) => ({
          userNo: bankUserNoFor(investor.id),
          principalFen: BASELINE_SHARE_FEN.toString(),
          interestFen: '0',
        })),
      });
    });
    return (performance.now() - startedAtMs) / 1000;
  }

  /**
   * Every borrower's money frozen away at the bank (a REPAYMENT freeze of all that is available, by the
   * direct API): the next due date's collections are refused and the installments go overdue.
   */
  async drainBorrowers(): Promise<void> {
    const loanNoOf = new Map(this.loans.map(({ borrower, payload }) => [borrower.id, payload.loanNo]));
    await mapBounded(this.borrowers, LOAN_SETUP_CONCURRENCY, async (borrower) => {
      const userNo = bankUserNoFor(borrower.id);
      const balance = await this.setupBank.done('QUERY_BALANCE', { requestNo: testRequestNo('QB'), userNo });
      if (balance.availableFen === '0') return;
      await this.setupBank.done('USER_AUTO_PRE_TRANSACTION', {
        requestNo: testRequestNo('DR'),
        userNo,
        projectNo: loanNoOf.get(borrower.id)!,
        bizType: 'REPAYMENT',
        amountFen: balance.availableFen,
      });
    });
  }

  /** Every member's balance and frozen amount as the agent reads them live from the bank. */
  async balances(): Promise<Balances> {
    return mapBounded(this.members, BALANCE_READ_CONCURRENCY, async (member) => {
      const account = await this.client.balances(member.token);
      return { availableFen: parseMoney(account.balance), frozenFen: parseMoney(account.frozen) };
    });
  }
}

/**
 * A GraphQL POST with its own time limit: fetch gives up on an answer slower than 300 s (undici's headers
 * timeout, which the gateway's own fetch to the subgraph also has), and a day of 10,000 installments takes
 * longer here.
 */
function postWithoutFetch(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<GraphQLResponse> {
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const headers = {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      authorization: `Bearer ${token}`,
    };
    const request = http.request(url, { method: 'POST', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        try {
          resolve({
            status: response.statusCode ?? 0,
            ...(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<GraphQLResponse, 'status'>),
          });
        } catch (error) {
          reject(error);
        }
      });
    });
    request.setTimeout(DAY_RUN_TIMEOUT_MS, () =>
      request.destroy(new Error(`no answer from ${url} in ${DAY_RUN_TIMEOUT_MS} ms`)),
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * Polls the collections until all `expected` are CONFIRMED; the samples, one per poll. While the run is
 * `running` none may be confirmed yet.
 */
async function followCollections(
  tables: RepaymentsTables,
  startedAtMs: number,
  expected: number,
  running: () => boolean,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  const read = async () => {
    const counts = await tables.collections();
    samples.push({ atMs: performance.now() - startedAtMs, counts });
    return counts.CONFIRMED;
  };
  const refusal = async () => {
    const { REFUSED: refused } = samples[samples.length - 1].counts;
    return refused === 0 ? undefined : `${refused} collections refused by the bank`;
  };
  await waitForCount({ what: 'collections CONFIRMED at the bank', target: expected, read, refusal, busy: running });
  return samples;
}

/** One line per TIMELINE_STEP_MS: collections repaid (frozen, REPAID) and confirmed (investors paid) so far. */
function timeline(samples: Sample[]): string[] {
  const lines: string[] = [];
  for (let stepMs = TIMELINE_STEP_MS; ; stepMs += TIMELINE_STEP_MS) {
    const sample = [...samples].reverse().find((candidate) => candidate.atMs <= stepMs) ?? samples[0];
    const repaid = String(sample.counts.FROZEN + sample.counts.CONFIRMED).padStart(6);
    const confirmed = String(sample.counts.CONFIRMED).padStart(6);
    lines.push(`  ${(stepMs / 1000).toFixed(0).padStart(4)} s: ${repaid} repaid, ${confirmed} confirmed`);
    if (stepMs >= samples[samples.length - 1].atMs) return lines;
  }
}

/** CPU ms each process spent between two snapshots. */
function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): CpuSnapshot {
  return Object.fromEntries(
    Object.keys(before).map((name) => [
      name,
      before[name] === undefined || after[name] === undefined ? undefined : after[name]! - before[name]!,
    ]),
  );
}

interface Baseline {
  pairs: number;
  seconds: number;
  cpuMs: CpuSnapshot;
}

/** What the processes spent over a measured span. */
interface Spent {
  cpuMs: CpuSnapshot;
  machineBusy: number | undefined;
  statements: StatementCounts;
  /** The span in monotonic µs, the clock of V8's profile samples and of the SQL trace. */
  spanUs: [bigint, bigint];
}

interface SpanStart {
  cpu: CpuSnapshot;
  statements: StatementCounts;
  machine: ReturnType<typeof readMachineCpu>;
  atUs: bigint;
}

async function startSpan(platform: RunningPlatform): Promise<SpanStart> {
  const statements = await statementCounts(platform, ['request', 'background']);
  return { cpu: cpuSnapshot(platform), statements, machine: readMachineCpu(), atUs: process.hrtime.bigint() / 1000n };
}

async function endSpan(platform: RunningPlatform, start: SpanStart): Promise<Spent> {
  const cpuMs = cpuSpent(start.cpu, cpuSnapshot(platform));
  const spanUs: [bigint, bigint] = [start.atUs, process.hrtime.bigint() / 1000n];
  const machineBusy = machineBusyFraction(start.machine, readMachineCpu());
  const statements = countsBetween(start.statements, await statementCounts(platform, ['request', 'background']));
  return { cpuMs, machineBusy, statements, spanUs };
}

interface DayFigures extends Spent {
  report: JobReport;
  repaidSeconds: number;
  confirmedSeconds: number;
  samples: Sample[];
}

/** Everything up to the eve of the due date; the first installments' due date and row (the same for every loan). */
async function prepareDay(
  bench: RepaymentDayBench,
  tables: RepaymentsTables,
  loanCount: number,
): Promise<{ dueDate: string; firstRow: ScheduleRow }> {
  await timed('members registered, accounts opened, investors recharged', () => bench.registerMembers());
  await timed(`${loanCount} loans funded and paid out at the bank`, () => bench.fundLoans());
  await timed('loans.loan.disbursed delivered, schedules built', () => bench.deliverDisbursed(tables));
  await bench.detachLoans();
  const { first, last } = await tables.dueDates(1);
  const startDate = dataOf(await bench.gateway('{ businessDate }')).businessDate as string;
  const [firstRow] = buildSchedule({
    principalFen: BID_FEN * BigInt(INVESTORS_PER_LOAN),
    annualRateMicros: ANNUAL_RATE_MICROS,
    termMonths: TERM_MONTHS,
    method: REPAYMENT_METHOD,
    startDate,
  });
  if (first !== last || first !== firstRow.dueDate)
    throw new Error(`first installments due ${first}..${last}, expected all on ${firstRow.dueDate}`);
  const eve = await timed(`days up to the eve ${addDays(first, -1)}`, () => bench.runDailyJobs(addDays(first, -1)));
  if (eve.installmentsRepaid !== 0 || eve.remindersCreated !== loanCount)
    throw new Error(`the eve's run: ${JSON.stringify(eve)}`);
  // The eve's due-soon texts are sent by users meanwhile: the day is measured once they are out.
  await timed(`the eve's ${loanCount} due-soon texts sent`, () => tables.waitForTexts('DUE_SOON', loanCount));
  return { dueDate: first, firstRow };
}

async function measureBaseline(
  platform: RunningPlatform,
  bench: RepaymentDayBench,
  pairs: number,
  concurrency: number,
): Promise<Baseline> {
  const before = cpuSnapshot(platform);
  const seconds = await bench.bankAloneBaseline(pairs, concurrency);
  return { pairs, seconds, cpuMs: cpuSpent(before, cpuSnapshot(platform)) };
}

/** The due day: runDailyJobs, then until every collection is CONFIRMED. */
async function measureDay(
  platform: RunningPlatform,
  bench: RepaymentDayBench,
  tables: RepaymentsTables,
  dueDate: string,
  loanCount: number,
): Promise<DayFigures> {
  const span = await startSpan(platform);
  const startedAtMs = performance.now();
  let running = true;
  const following = followCollections(tables, startedAtMs, loanCount, () => running);
  // Its failure is reported where it is awaited, after the run returns.
  following.catch(() => undefined);
  const report = await bench.runDailyJobs(dueDate).finally(() => (running = false));
  const repaidSeconds = (performance.now() - startedAtMs) / 1000;
  const samples = await following;
  const spent = await endSpan(platform, span);
  // A freeze without an answer in time is UNKNOWN: the settle pass sends it again after its grace period.
  if (
    report.daysRun !== 1 ||
    report.installmentsRepaid + report.collectionsUnanswered !== loanCount ||
    report.collectionsRefused !== 0
  ) {
    throw new Error(`the due day's run: ${JSON.stringify(report)}`);
  }
  return { report, repaidSeconds, confirmedSeconds: samples[samples.length - 1].atMs / 1000, samples, ...spent };
}

type Balances = { availableFen: bigint; frozenFen: bigint }[];

/**
 * Borrowers paid exactly Σ installments, investors got exactly Σ RECEIVED receivables, nothing frozen, the
 * ledger balanced.
 */
async function checkMoney(
  platform: RunningPlatform,
  bench: RepaymentDayBench,
  tables: RepaymentsTables,
  before: Balances,
  dueFen: bigint,
): Promise<string> {
  const loanCount = bench.loans.length;
  const totals = await tables.repaidTotals();
  const after = await bench.balances();
  const change = (from: number, to: number) =>
    after
      .slice(from, to)
      .reduce((sum, balance, index) => sum + balance.availableFen - before[from + index].availableFen, 0n);
  const borrowersFen = -change(0, bench.borrowers.length);
  const investorsFen = change(bench.borrowers.length, bench.members.length);
  const problems = [
    totals.installments !== loanCount && `${totals.installments} installments REPAID`,
    totals.installmentsFen !== dueFen &&
      `REPAID installments hold ${formatMoney(totals.installmentsFen)}, the schedule ${formatMoney(dueFen)}`,
    totals.receivables !== loanCount * INVESTORS_PER_LOAN && `${totals.receivables} receivables RECEIVED`,
    borrowersFen !== dueFen && `the borrowers paid ${formatMoney(borrowersFen)} of ${formatMoney(dueFen)}`,
    investorsFen !== totals.receivablesFen &&
      `the investors got ${formatMoney(investorsFen)}, their receivables are ${formatMoney(totals.receivablesFen)}`,
    after.some((balance) => balance.frozenFen !== 0n) && 'money is left frozen',
  ].filter((problem): problem is string => problem !== false);
  const ledger = (await (await fetch(`http://127.0.0.1:${platform.bank.port}/ledger/check`)).json()) as {
    ok: boolean;
    problems: string[];
    openFreezeCount: number;
  };
  if (!ledger.ok || ledger.openFreezeCount !== 0) problems.push(`bank ledger: ${JSON.stringify(ledger)}`);
  if (problems.length > 0) throw new Error(`the money does not add up: ${problems.join('; ')}`);
  return (
    `the money adds up: borrowers paid ${formatMoney(borrowersFen)} = ${loanCount} installments of ` +
    `${formatMoney(dueFen / BigInt(loanCount))}; investors received ${formatMoney(investorsFen)} = Σ RECEIVED ` +
    'receivables; nothing frozen; ledger balanced'
  );
}

interface NightCounts {
  casesOpened: number;
  casesAdvanced: number;
  casesOpen: number;
  smsReminders: number;
  installmentsOverdue: number;
  reminderEvents: number;
  reminderEventsSent: number;
}

interface NightFigures extends Spent {
  date: string;
  report: JobReport;
  seconds: number;
  counts: NightCounts;
  /** The outbox's `repayments.reminder.due` events the night added. */
  reminderEvents: number;
  startedAtMs: number;
  textsBefore: { queued: number; sent: number };
}

/**
 * Up to the eve of the collection night: the borrowers' money frozen away at the bank, then the run to the
 * second due date, whose every collection the bank refuses; its due-soon texts are out before the night.
 * The night's date.
 */
async function prepareNight(bench: RepaymentDayBench, tables: RepaymentsTables, loanCount: number) {
  await timed('borrowers drained at the bank', () => bench.drainBorrowers());
  const { first: dueDate, last } = await tables.dueDates(2);
  if (dueDate !== last) throw new Error(`second installments due ${dueDate}..${last}`);
  const refused = await timed(`days up to the second due date ${dueDate}`, () => bench.runDailyJobs(dueDate));
  if (refused.collectionsRefused !== loanCount)
    throw new Error(`the second due date's run: ${JSON.stringify(refused)}`);
  await timed(`its ${loanCount} due-soon texts sent`, () => tables.waitForTexts('DUE_SOON', 2 * loanCount));
  return addDays(dueDate, 1);
}

/**
 * The collection night, timed: the run of the day after the refused due date marks every second installment
 * OVERDUE, tries its collection again (refused), opens a case per loan and makes an overdue-day-1 SMS
 * reminder per loan (a row, and since reminders are published, a `repayments.reminder.due` event with it).
 */
async function measureNight(
  platform: RunningPlatform,
  bench: RepaymentDayBench,
  tables: RepaymentsTables,
  date: string,
) {
  const eventsBefore = (await tables.nightCounts(date)).reminderEvents;
  const textsBefore = await tables.texts('OVERDUE_DAY_1');
  const span = await startSpan(platform);
  const startedAtMs = performance.now();
  const report = await bench.runDailyJobs(date);
  const seconds = (performance.now() - startedAtMs) / 1000;
  const spent = await endSpan(platform, span);
  const counts = await tables.nightCounts(date);
  const reminderEvents = counts.reminderEvents - eventsBefore;
  return { date, report, seconds, counts, reminderEvents, startedAtMs, textsBefore, ...spent } satisfies NightFigures;
}

/** What is wrong with the night's counts: each loan's case opened or advanced, its SMS reminder, OVERDUE. */
function nightProblems({ report, counts }: NightFigures, loanCount: number): string[] {
  return [
    counts.casesOpened + counts.casesAdvanced !== loanCount &&
      `${counts.casesOpened} cases opened + ${counts.casesAdvanced} advanced`,
    counts.casesOpen !== loanCount && `${counts.casesOpen} cases OPEN`,
    counts.smsReminders !== loanCount && `${counts.smsReminders} SMS reminders`,
    counts.installmentsOverdue !== loanCount && `${counts.installmentsOverdue} installments OVERDUE`,
    report.daysRun !== 1 && `${report.daysRun} days run`,
  ].filter((problem): problem is string => problem !== false);
}

/** CPU ms per loan of each process, on one line. */
function cpuPerLoan(cpuMs: CpuSnapshot, loanCount: number): string {
  return Object.entries(cpuMs)
    .map(([name, ms]) => `${name} ${ms === undefined ? '?' : (ms / loanCount).toFixed(2)}`)
    .join(', ');
}

function printNight(night: NightFigures, day: DayFigures, loanCount: number, problems: string[]): void {
  const { report, counts } = night;
  const msPerLoan = (seconds: number) => (seconds * 1000) / loanCount;
  const targetMsPerLoan = (NIGHT_TARGET_SECONDS * 1000) / NIGHT_TARGET_LOANS;
  const met =
    loanCount >= NIGHT_TARGET_LOANS
      ? night.seconds <= NIGHT_TARGET_SECONDS
      : msPerLoan(night.seconds) <= targetMsPerLoan;
  console.log(
    `collection night ${night.date}: ${loanCount} loans, each with its second installment refused the day before`,
  );
  console.log(
    `  runDailyJobs returned:    ${night.seconds.toFixed(1)} s, ${msPerLoan(night.seconds).toFixed(2)} ms a loan`,
  );
  console.log(
    `  collection cases:         ${counts.casesOpened} opened, ${counts.casesAdvanced} advanced, ` +
      `${counts.casesOpen} OPEN (the run says ${report.collectionCasesOpened} opened)`,
  );
  console.log(
    `  SMS reminders queued:     ${counts.smsReminders} reminder rows of channel SMS for ${night.date}; ` +
      `outbox: ${night.reminderEvents} ${ReminderDue.type} events added (${counts.reminderEvents} in all, ` +
      `${counts.reminderEventsSent} relayed by the run's end)`,
  );
  console.log(
    `  also in the run:          ${counts.installmentsOverdue} installments OVERDUE, ` +
      `${report.collectionsRefused} collections tried again and refused by the bank`,
  );
  console.log(
    `  against the due day:      its run ${day.repaidSeconds.toFixed(1)} s, ` +
      `${msPerLoan(day.repaidSeconds).toFixed(2)} ms an installment; the night took ` +
      `${(night.seconds / day.repaidSeconds).toFixed(2)}× that`,
  );
  console.log(
    `  target: ${NIGHT_TARGET_LOANS} loans in ≤ ${NIGHT_TARGET_SECONDS} s (${targetMsPerLoan.toFixed(2)} ms a loan): ` +
      `${met ? 'met' : 'NOT met'}${loanCount === NIGHT_TARGET_LOANS ? '' : ` (judged per loan at ${loanCount} loans)`}`,
  );
  console.log(`  CPU per loan (ms):        ${cpuPerLoan(night.cpuMs, loanCount)}`);
  console.log(`  SQL statements per loan:  repayments ${(night.statements.repayments / loanCount).toFixed(1)}`);
  console.log(
    `  check, each of ${loanCount} loans with its case, SMS reminder and OVERDUE installment: ` +
      (problems.length === 0 ? 'ok' : `FAILED: ${problems.join('; ')}`),
  );
}

/** From the night's start, until users has queued its `count` OVERDUE_DAY_1 texts and the provider took them. */
async function followTexts(tables: RepaymentsTables, night: NightFigures, count: number): Promise<void> {
  const { startedAtMs, textsBefore: before } = night;
  const secondsSince = () => ((performance.now() - startedAtMs) / 1000).toFixed(1);
  const what = (step: string) => `OVERDUE_DAY_1 texts ${step} users' SMS outbox`;
  const read = (field: 'queued' | 'sent') => async () => (await tables.texts('OVERDUE_DAY_1'))[field] - before[field];
  await waitForCount({ what: what('in'), target: count, read: read('queued') });
  const queuedSeconds = secondsSince();
  await waitForCount({ what: what('sent from'), target: count, read: read('sent') });
  console.log(
    `  users' SMS outbox: every text queued ${queuedSeconds} s after the night's run began, every text taken by ` +
      `the SMS provider ${secondsSince()} s`,
  );
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
}

function printFigures(day: DayFigures, baseline: Baseline, loanCount: number): void {
  const rate = loanCount / day.confirmedSeconds;
  const baselineRate = baseline.pairs / baseline.seconds;
  console.log(
    `  runDailyJobs returned (all frozen, REPAID):   ${day.repaidSeconds.toFixed(1)} s, ` +
      `${(loanCount / day.repaidSeconds).toFixed(0)} installments/s`,
  );
  if (day.report.collectionsUnanswered > 0)
    console.log(
      `    of which ${day.report.collectionsUnanswered} freezes had no answer within repayments' bank timeout: ` +
        'REPAID later by the settle pass',
    );
  console.log(
    `  every collection CONFIRMED (investors paid):  ${day.confirmedSeconds.toFixed(1)} s, ` +
      `${rate.toFixed(1)} installments settled/s`,
  );
  console.log(
    `  target: the day in ≤ ${TARGET_SECONDS} s: ${day.confirmedSeconds <= TARGET_SECONDS ? 'met' : 'NOT met'}`,
  );
  console.log(
    `  baseline, the bank alone through the agent, one instruction per call: ${baseline.pairs} REPAYMENT ` +
      `freezes + CONFIRM_REPAYMENT to 5 investors, ${BASELINE_CONCURRENCY} concurrent: ` +
      `${baselineRate.toFixed(1)} pairs/s; the day ran at ${((rate / baselineRate) * 100).toFixed(0)} % of it`,
  );
  const coresBusy =
    day.machineBusy === undefined ? '?' : `${(day.machineBusy * 100).toFixed(0)} % of ${os.cpus().length}`;
  console.log(`  cores busy: ${coresBusy}; load average after: ${loadAverage()}`);
  console.log('  CPU per installment (ms; baseline: per pair) and share of one core over the day:');
  for (const name of Object.keys(day.cpuMs)) {
    const dayMs = day.cpuMs[name];
    const baselineMs = baseline.cpuMs[name];
    const perPair = baselineMs === undefined ? '?' : (baselineMs / baseline.pairs).toFixed(1);
    const dayFigure =
      dayMs === undefined
        ? '?'
        : `${(dayMs / loanCount).toFixed(1).padStart(6)} ms ` +
          `${(dayMs / 10 / day.confirmedSeconds).toFixed(0).padStart(4)} %`;
    console.log(`    ${name.padEnd(11)} ${dayFigure}   baseline ${perPair.padStart(5)} ms`);
  }
  console.log(
    `  SQL statements per installment: repayments ${(day.statements.repayments / loanCount).toFixed(1)}, ` +
      `depository ${(day.statements.depository / loanCount).toFixed(1)}`,
  );
  console.log('  timeline:');
  console.log(timeline(day.samples).join('\n'));
}

/**
 * Under BENCH_PROFILE_DIR: V8 CPU profiles of CPU_PROFILED_SERVICES, one folder each, and repayments' SQL
 * statements timed by sql-trace-preload (only repayments loads it; BENCH_SQL_TRACE_DIR says where).
 */
function profilingArgs(profileDir: string): Partial<Record<ServiceName, string[]>> {
  const args: Partial<Record<ServiceName, string[]>> = Object.fromEntries(
    CPU_PROFILED_SERVICES.map((name) => [name, ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`]]),
  );
  args.repayments = [...(args.repayments ?? []), '--require', path.join(__dirname, 'sql-trace-preload.js')];
  return args;
}

async function main(): Promise<void> {
  const loanCount = readLoanCount();
  if (!process.env.DATABASE_URL || !process.env.AMQP_URL)
    throw new Error('DATABASE_URL and AMQP_URL must be set (source infra/services/env.sh)');
  console.log((await describeMachineAndDatabase(process.env.DATABASE_URL)).join('\n'));
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const profiling = profileDir === undefined ? {} : profilingArgs(profileDir);
  const settings = repaymentsEnv();
  // Read as repayments reads it, defaults included: the baseline runs at the same concurrency.
  const { bankBatchSize, bankConcurrency } = loadConfig(settings, readRepaymentsSettings);
  console.log(
    `${loanCount} loans of ${INVESTORS_PER_LOAN} investors; repayments sends ${bankBatchSize} instructions per ` +
      `batch, ${bankConcurrency} batches in flight (settings given: ${JSON.stringify(settings)})`,
  );
  const setupStartedAtMs = performance.now();
  // Tokens outlive a long setup.
  const platform = await startPlatform(
    'mysql',
    true,
    {
      LOG_LEVEL: 'warn',
      JWT_TTL_SECONDS: String(SETUP_TOKEN_TTL_SECONDS),
      ...settings,
      ...(profileDir === undefined ? {} : { BENCH_SQL_TRACE_DIR: path.join(profileDir, 'repayments-sql') }),
    },
    profiling,
  );
  let tables: RepaymentsTables | undefined;
  try {
    tables = await RepaymentsTables.open(platform);
    const bench = new RepaymentDayBench(platform, loanCount);
    const { dueDate, firstRow } = await prepareDay(bench, tables, loanCount);
    const baseline = await measureBaseline(
      platform,
      bench,
      Math.min(BASELINE_PAIRS_MAX, loanCount),
      BASELINE_CONCURRENCY,
    );
    const before = await bench.balances();
    const setupSeconds = (performance.now() - setupStartedAtMs) / 1000;
    console.log(`setup took ${setupSeconds.toFixed(0)} s in all; load average: ${loadAverage()}\n`);
    const day = await measureDay(platform, bench, tables, dueDate, loanCount);
    const moneyCheck = await checkMoney(platform, bench, tables, before, BigInt(loanCount) * firstRow.amountFen);
    console.log(
      `due day ${dueDate}: ${loanCount} installments (${day.report.remindersCreated} reminders created on the day)`,
    );
    printFigures(day, baseline, loanCount);
    // V8 stamps profile samples with the same monotonic clock, in µs: cpu-profile-summary.js takes this span.
    if (profileDir !== undefined)
      console.log(`profiles under ${profileDir}; measured span ${day.spanUs[0]} ${day.spanUs[1]} (monotonic µs)`);
    console.log(moneyCheck);
    const night = await measureNight(platform, bench, tables, await prepareNight(bench, tables, loanCount));
    const problems = nightProblems(night, loanCount);
    printNight(night, day, loanCount, problems);
    if (profileDir !== undefined)
      console.log(`  the night's span ${night.spanUs[0]} ${night.spanUs[1]} (monotonic µs) for the profiles`);
    if (problems.length > 0) throw new Error(`the collection night's counts are wrong: ${problems.join('; ')}`);
    await followTexts(tables, night, loanCount);
  } catch (error) {
    for (const name of CPU_PROFILED_SERVICES)
      console.error(`--- ${name}'s last output:\n${serviceOf(platform, name).output}`);
    throw error;
  } finally {
    await tables?.close();
    // Its setup freezes bids, pays out loans and drains borrowers at the bank directly: no statement hears of it.
    await platform.stop({ statements: 'unchecked' });
  }
}

runBenchmark(main);
