// The authorization matrix: every query, mutation and subscription of the composed API schema, and every
// field of the types any viewer reaches (User, Loan, Bid), has a row giving the outcome for each of five
// actors — anonymous, the borrower who owns the data, another borrower, an investor with a bid on the
// owner's loans, an admin. A field or operation without a row fails, and so does a row naming something
// the schema no longer has. Each cell is then performed through the gateway (every service its own
// process, MariaDB, RabbitMQ, the bank simulator): queries and fields over HTTP, mutations with valid
// arguments, subscriptions over WebSocket (accepted: the gateway counts the subscriber; refused: errors).
// The outcomes are the contract's (api-contract.md, issue 16), not merely today's behaviour.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Supergraph } from '@apollo/federation-internals';
import { isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { dataOf, eventually, servicesUnderTest, TEST_ADMIN, type GraphQLResponse } from '@wanxin/platform/testing';
import { identityFor, MarketplaceClient } from './harness/marketplace';
import { startPlatform, type RunningPlatform } from './harness/platform';
import { maskIdNumber, maskMobile, maskName } from '@wanxin/platform';
import { REPOSITORY_ROOT } from './harness/processes';
import { connectSubscriptions, gatewayMetric, watch } from './harness/subscription-client';

// ---------------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------------

/**
 * OK: answered without an error (for a private field, the plain value). MASKED: answered, the value
 * masked. NULL_WITH_ERROR: the field is null with a FORBIDDEN (UNAUTHENTICATED when signed out) error
 * whose path names it, while its parent's `id` stays. Any other outcome is the error code of the answer.
 */
type Outcome =
  | 'OK'
  | 'MASKED'
  | 'NULL_WITH_ERROR'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CONFLICT'
  | 'INSUFFICIENT_FUNDS'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND';

/** A cell whose required outcome another branch (or a finding's fix) delivers: `awaiting` says which. */
interface Awaited {
  outcome: Outcome;
  awaiting: string;
}
type Cell = Outcome | Awaited;

const ACTORS = ['anonymous', 'owner', 'otherBorrower', 'investor', 'admin'] as const;
type Actor = (typeof ACTORS)[number];
type Row = readonly [Cell, Cell, Cell, Cell, Cell];

const all = (outcome: Outcome): Row => [outcome, outcome, outcome, outcome, outcome];

/** A field everyone reads unchanged. */
const PUBLIC = all('OK');
/** A user's own record (loans, bids, receivables, credit line): the user and admins; others get null at that field. */
const PRIVATE_CONNECTION: Row = ['NULL_WITH_ERROR', 'OK', 'NULL_WITH_ERROR', 'NULL_WITH_ERROR', 'OK'];
/** realName and idNumber, from the owner's verified identity (MarketplaceClient.member verifies it). */
const IDENTITY_FIELD: Row = ['MASKED', 'OK', 'MASKED', 'MASKED', 'OK'];

/** Columns: anonymous, owner (the borrower the data is about), other borrower, investor, admin. Runs in this order. */
const MATRIX: Record<string, Row> = {
  // Queries
  'Query.me': PUBLIC,
  'Query.user': ['UNAUTHENTICATED', 'OK', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Query.loan': PUBLIC,
  'Query.loans': PUBLIC,
  'Query.businessDate': PUBLIC,
  'Query.scheduleQuote': PUBLIC,
  'Query.platformStats': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Query.statistics': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Query.reminders': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Query.bidPreview': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'OK', 'FORBIDDEN'],
  'Query.depositoryTransactions': ['UNAUTHENTICATED', 'OK', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Query.reconciliation': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Query.reconciliationRuns': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Query.creditApplications': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Query.payoffQuote': ['UNAUTHENTICATED', 'OK', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Query.collectionCases': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Query.collectionCase': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Query.overdueInstallments': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Query.smsMessages': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Query.users': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  // The claim-transfer market is read by investors and admins.
  'Query.transfers': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'OK', 'OK'],
  'Query.transfer': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'OK', 'OK'],

  // The owner as others see them: loan(id) { borrower { … } }
  'User.id': PUBLIC,
  'User.role': PUBLIC,
  'User.createdAt': PUBLIC,
  'User.mobile': ['MASKED', 'OK', 'MASKED', 'MASKED', 'OK'],
  'User.idNumber': IDENTITY_FIELD,
  'User.realName': IDENTITY_FIELD,
  'User.depositoryAccount': ['NULL_WITH_ERROR', 'OK', 'NULL_WITH_ERROR', 'NULL_WITH_ERROR', 'OK'],
  // Null without an error to anyone but the user and admins (users' profile.integration test checks the values).
  'User.profile': PUBLIC,
  // Everyone sees the check's status, its name and ID number masked as on User.
  'User.identity': PUBLIC,
  'User.loans': PRIVATE_CONNECTION,
  'User.bids': PRIVATE_CONNECTION,
  'User.receivables': PRIVATE_CONNECTION,
  'User.statement': PRIVATE_CONNECTION,
  'User.creditLine': PRIVATE_CONNECTION,
  'User.creditApplications': PRIVATE_CONNECTION,
  'User.status': PRIVATE_CONNECTION,
  'User.lockedUntil': PRIVATE_CONNECTION,
  // The audit of admins' actions (who, why): admins only.
  'User.adminActions': ['NULL_WITH_ERROR', 'NULL_WITH_ERROR', 'NULL_WITH_ERROR', 'NULL_WITH_ERROR', 'OK'],
  // The owner is a borrower: their portfolio is null without an error to them and admins, refused to others.
  'User.portfolio': PRIVATE_CONNECTION,
  'User.borrowing': PRIVATE_CONNECTION,
  'User.holdings': PRIVATE_CONNECTION,
  // The owner is a borrower with no rule: null without an error to them and admins, refused to others.
  'User.autoInvest': PRIVATE_CONNECTION,

  // The owner's repaying loan, funded by the investor: loan(id) { … }
  'Loan.id': PUBLIC,
  'Loan.loanNo': PUBLIC,
  'Loan.title': PUBLIC,
  'Loan.description': PUBLIC,
  'Loan.amount': PUBLIC,
  'Loan.annualRate': PUBLIC,
  'Loan.investorRate': PUBLIC,
  'Loan.termMonths': PUBLIC,
  'Loan.repaymentMethod': PUBLIC,
  'Loan.status': PUBLIC,
  'Loan.createdAt': PUBLIC,
  'Loan.openedAt': PUBLIC,
  'Loan.viewerIsParty': PUBLIC,
  'Loan.viewerHasBid': PUBLIC,
  'Loan.borrower': PUBLIC,
  'Loan.funding': PUBLIC,
  'Loan.bids': PUBLIC,
  // A REJECTED loan is visible to its borrower and admins only; on any other loan the reason is null.
  'Loan.rejectReason': PUBLIC,
  // A full review's own reason reads REFUSED_AT_FULL_REVIEW to others (loans' tests); null on this loan.
  'Loan.failReason': PUBLIC,
  // Its borrower's or an admin's words when cancelLoan withdrew it; null on this loan, and to others always.
  'Loan.cancelReason': PUBLIC,
  // The borrower's repayment record: parties and admins only.
  'Loan.schedule': ['NULL_WITH_ERROR', 'OK', 'NULL_WITH_ERROR', 'OK', 'OK'],

  // The investor's bid on that loan: loan(id) { bids { edges { node { … } } } }
  'Bid.id': PUBLIC,
  'Bid.amount': PUBLIC,
  'Bid.status': PUBLIC,
  'Bid.createdAt': PUBLIC,
  'Bid.loan': PUBLIC,
  'Bid.investor': PUBLIC,
  'Bid.auto': PUBLIC,

  // Subscriptions: is the subscribe accepted?
  'Subscription.loanFunding': PUBLIC,
  'Subscription.repaymentStatus': ['UNAUTHENTICATED', 'OK', 'FORBIDDEN', 'OK', 'OK'],
  'Subscription.platformStats': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Subscription.transferMarket': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'OK', 'OK'],

  // Mutations, in this order (later rows rely on earlier ones: createLoan before reviewLoan, repayEarly last)
  'Mutation.register': PUBLIC,
  'Mutation.login': PUBLIC,
  // Anyone registering asks for a code (each actor for a mobile of its own).
  'Mutation.requestSmsCode': PUBLIC,
  'Mutation.createAdmin': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  // Everyone with an opened account is past opening; admins hold no account.
  'Mutation.openDepositoryAccount': ['UNAUTHENTICATED', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'FORBIDDEN'],
  'Mutation.updateProfile': ['UNAUTHENTICATED', 'OK', 'OK', 'OK', 'FORBIDDEN'],
  // Every member is verified already (and the ID number asked for is the owner's).
  'Mutation.verifyIdentity': ['UNAUTHENTICATED', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'FORBIDDEN'],
  // Both borrowers' first applications are decided (their lines approved): they may apply again.
  'Mutation.applyForCredit': ['UNAUTHENTICATED', 'OK', 'OK', 'FORBIDDEN', 'FORBIDDEN'],
  // Asked of the owner's approved application: the admin is let through, the state refuses a second review.
  'Mutation.reviewCreditApplication': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'CONFLICT'],
  // An admin never holds an account: FORBIDDEN, as for openDepositoryAccount.
  'Mutation.recharge': ['UNAUTHENTICATED', 'OK', 'OK', 'OK', 'FORBIDDEN'],
  // The other borrower holds nothing; an admin as for recharge.
  'Mutation.withdraw': ['UNAUTHENTICATED', 'OK', 'INSUFFICIENT_FUNDS', 'OK', 'FORBIDDEN'],
  // The owner has a loan under review; the other borrower publishes one.
  'Mutation.createLoan': ['UNAUTHENTICATED', 'CONFLICT', 'OK', 'FORBIDDEN', 'FORBIDDEN'],
  'Mutation.reviewLoan': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  // Asked of a loan still FUNDRAISING: the admin is let through, the state refuses.
  'Mutation.reviewFullLoan': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'CONFLICT'],
  'Mutation.expireLoans': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Mutation.runDailyJobs': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
  'Mutation.placeBid': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'OK', 'FORBIDDEN'],
  // Set disabled, so the investor's rule bids on none of the loans the later rows open.
  'Mutation.setAutoInvest': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'OK', 'FORBIDDEN'],
  // No case by that id: the admin is let through, the id refused.
  'Mutation.addCollectionNote': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'NOT_FOUND'],
  // The repaying loan's first installment has no penalty: the admin is let through, the amount refused.
  'Mutation.waivePenalty': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'BAD_USER_INPUT'],
  // The repaying loan's first installment is not yet due: the owner is let through, the state refuses.
  'Mutation.repayInstallment': ['UNAUTHENTICATED', 'CONFLICT', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
  // The investor's LOANED bid, paid out today: held fewer than TRANSFER_HOLD_DAYS, the state refuses.
  'Mutation.listTransfer': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'CONFLICT', 'FORBIDDEN'],
  // No transfer by that id: the investor is let through, the id refused.
  'Mutation.cancelTransfer': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'NOT_FOUND', 'FORBIDDEN'],
  'Mutation.buyTransfer': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'NOT_FOUND', 'FORBIDDEN'],
  'Mutation.repayEarly': ['UNAUTHENTICATED', 'OK', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN'],
  // Asked of the owner, who is enabled and not locked: the admin is let through, the state refuses.
  'Mutation.enableUser': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'CONFLICT'],
  'Mutation.unlockUser': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'CONFLICT'],
  // Asked of an id that names nobody (disabling the owner would end the rows after it): the id refused.
  'Mutation.disableUser': ['UNAUTHENTICATED', 'FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN', 'NOT_FOUND'],
  // Asked of the fundraising loan, last: its borrower may cancel only before review; an admin cancels it.
  'Mutation.cancelLoan': ['UNAUTHENTICATED', 'CONFLICT', 'FORBIDDEN', 'FORBIDDEN', 'OK'],
};

/** Types whose every field needs a row: what any viewer reaches from a public loan. */
const TYPES_SEEN_BY_OTHERS = ['User', 'Loan', 'Bid'];

// ---------------------------------------------------------------------------------------------------
// The fixtures
// ---------------------------------------------------------------------------------------------------

/** The name MarketplaceClient.member gives on the bank's account-opening page. */
const MEMBER_REAL_NAME = '张三';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const photo = (seed: string) => Buffer.concat([PNG_SIGNATURE, Buffer.from(seed)]).toString('base64');
/** The owner's identity check: their name and ID number, three distinct photographs. */
const ownerIdentityInput = (idNumber: string) => ({
  realName: MEMBER_REAL_NAME,
  idNumber,
  idFrontImage: photo('front'),
  idBackImage: photo('back'),
  faceImage: photo('face'),
});
const MATRIX_PROFILE = {
  education: 'BACHELOR',
  address: '北京市朝阳区建国路 1 号',
  email: 'matrix@example.com',
  employer: '万信科技',
  position: '工程师',
  monthlyIncome: '12000.00',
  emergencyContacts: [{ name: '王大明', relation: '父亲', mobile: '13500000001' }],
};

interface Fixtures {
  tokens: Record<Actor, string | undefined>;
  owner: { id: string; mobile: string; idNumber: string };
  /** The owner's loan, funded by the investor and paid out: REPAYING with a schedule. */
  repayingLoanId: string;
  /** Its first installment, due after the business date. */
  firstInstallmentId: string;
  /** The investor's LOANED bid on it. */
  repayingBidId: string;
  /** The owner's loan open for bids, with a bid of the investor. */
  fundraisingLoanId: string;
  /** The owner's loan under review. */
  pendingLoanId: string;
  /** The owner's credit application, APPROVED. */
  ownerApplicationId: string;
  businessDate: string;
}

/** A borrower with an opened account and three loans, a second borrower, an investor with bids, an admin. */
async function setUp(client: MarketplaceClient): Promise<Fixtures> {
  const ownerIdentity = identityFor(1);
  const [admin, owner, otherBorrower, investor] = await Promise.all([
    client.adminToken(),
    client.member(ownerIdentity.mobile, 'BORROWER', ownerIdentity.idNumber, '1000.00'),
    client.member(identityFor(2).mobile, 'BORROWER', identityFor(2).idNumber),
    client.member(identityFor(3).mobile, 'INVESTOR', identityFor(3).idNumber, '5000.00'),
  ]);
  const asAdmin = (query: string, variables: Record<string, unknown>) => client.gateway(query, variables, admin);

  // The owner's loans one after another (one under review at a time); funding and payout run alongside.
  const repayingLoanId = (await client.publishLoan(owner, '2000.00')).id;
  await client.approveLoan(admin, repayingLoanId);
  const fundraisingLoanId = (await client.publishLoan(owner, '3000.00')).id;
  await client.approveLoan(admin, fundraisingLoanId);
  const loanAsAdmin = async (id: string, selection: string) =>
    dataOf(await asAdmin(`query($id: ID!) { loan(id: $id) { ${selection} } }`, { id })).loan;
  const [pendingLoanId] = await Promise.all([
    client.publishLoan(owner, '2000.00').then((loan) => loan.id),
    (async () => {
      assert.equal((await client.frozenBid(repayingLoanId, '2000.00', investor)).status, 'FROZEN');
      const status = async () => (await loanAsAdmin(repayingLoanId, 'status')).status;
      await eventually(async () => ((await status()) === 'FULLY_FUNDED' ? true : undefined), 30_000);
      const payout = 'mutation($id: ID!) { reviewFullLoan(id: $id, approve: true) { status } }';
      dataOf(await asAdmin(payout, { id: repayingLoanId }));
      // repayments builds the schedule from loans.loan.disbursed.
      const rows = async () => (await loanAsAdmin(repayingLoanId, 'schedule { period }')).schedule.length;
      await eventually(async () => ((await rows()) > 0 ? true : undefined), 30_000);
    })(),
    client
      .firstBid(fundraisingLoanId, '100.00', investor)
      .then((bid) => assert.equal(dataOf(bid).placeBid.status, 'FROZEN')),
  ]);
  const applications = '{ me { creditApplications(first: 1) { edges { node { id status } } } } }';
  const [ownerApplication] = dataOf(await client.gateway(applications, {}, owner)).me.creditApplications.edges;
  assert.equal(ownerApplication.node.status, 'APPROVED');
  const ownerId = dataOf(await client.gateway('{ me { id } }', {}, owner)).me.id;
  const businessDate = dataOf(await client.gateway('{ businessDate }')).businessDate;
  const [firstInstallment] = (await loanAsAdmin(repayingLoanId, 'schedule { id }')).schedule;
  const [repayingBid] = (await loanAsAdmin(repayingLoanId, 'bids(first: 1) { edges { node { id } } }')).bids.edges;
  return {
    tokens: { anonymous: undefined, owner, otherBorrower, investor, admin },
    owner: { id: ownerId, ...ownerIdentity },
    repayingLoanId,
    firstInstallmentId: firstInstallment.id,
    repayingBidId: repayingBid.node.id,
    fundraisingLoanId,
    pendingLoanId,
    ownerApplicationId: ownerApplication.node.id,
    businessDate,
  };
}

/** One operation as sent: document, variables, and the path of the field the row is about. */
interface Call {
  query: string;
  variables?: Record<string, unknown>;
  /** Where the row's field sits in `data` (field rows only). */
  path?: (string | number)[];
  /** The owner's plain value of a private field, and what others see of it. */
  plain?: string;
  masked?: string;
}

/** Per-actor values for mutations that create something, so no two actors collide. */
const actorNumber = (actor: Actor) => ACTORS.indexOf(actor);

/** The field a selection starts with: `loans(first: 1) { … }` → loans. */
const fieldOf = (selection: string) => /^\w+/.exec(selection)![0];
const loanQuery = (selection: string) => 'query($id: ID!) { loan(id: $id) { id ' + selection + ' } }';
const ownerField = (f: Fixtures, selection: string, value?: { plain: string; masked: string }): Call => ({
  query: loanQuery(`borrower { id ${selection} } `),
  variables: { id: f.repayingLoanId },
  path: ['loan', 'borrower', fieldOf(selection)],
  ...value,
});
const withMask = (plain: string, mask: (value: string) => string) => ({ plain, masked: mask(plain) });
const loanField = (f: Fixtures, selection: string): Call => ({
  query: loanQuery(selection),
  variables: { id: f.repayingLoanId },
  path: ['loan', fieldOf(selection)],
});
const bidField = (f: Fixtures, selection: string): Call => ({
  query: loanQuery(`bids(first: 1) { edges { node { id ${selection} } } }`),
  variables: { id: f.repayingLoanId },
  path: ['loan', 'bids', 'edges', 0, 'node', fieldOf(selection)],
});

/** How each row is performed. */
const CALLS: Record<string, (f: Fixtures, actor: Actor) => Call> = {
  'Query.me': () => ({ query: '{ me { id } }' }),
  'Query.user': (f) => ({ query: 'query($id: ID!) { user(id: $id) { id } }', variables: { id: f.owner.id } }),
  'Query.loan': (f) => ({ query: loanQuery('status'), variables: { id: f.repayingLoanId } }),
  'Query.loans': () => ({ query: '{ loans(first: 5) { totalCount edges { node { id } } } }' }),
  'Query.businessDate': () => ({ query: '{ businessDate }' }),
  'Query.scheduleQuote': () => ({
    query: `{ scheduleQuote(amount: "1200.00", annualRate: "0.12", termMonths: 3, method: EQUAL_PRINCIPAL) {
      period amount } }`,
  }),
  'Query.platformStats': () => ({ query: '{ platformStats { date loansFundraising } }' }),
  'Query.statistics': () => ({
    query: `{ statistics(from: "2026-01-01", to: "2026-03-31", granularity: MONTH) { period loansPublished
      amountFunded amountRepaid amountOverdue overdueRate newUsers amountDue installmentsDue } }`,
  }),
  'Query.reminders': (f) => ({
    query: 'query($id: ID!) { reminders(loanId: $id) { id } }',
    variables: { id: f.repayingLoanId },
  }),
  'Query.bidPreview': (f) => ({
    query: 'query($id: ID!) { bidPreview(loanId: $id, amount: "100.00") { remaining minBid } }',
    variables: { id: f.fundraisingLoanId },
  }),
  'Query.depositoryTransactions': (f) => ({
    query: 'query($id: ID) { depositoryTransactions(userId: $id, first: 5) { totalCount } }',
    variables: { id: f.owner.id },
  }),
  'Query.reconciliation': (f) => ({
    query: 'query($d: Date!) { reconciliation(date: $d) { matched } }',
    variables: { d: f.businessDate },
  }),
  'Query.reconciliationRuns': () => ({ query: '{ reconciliationRuns(first: 5) { date } }' }),
  'Query.creditApplications': () => ({ query: '{ creditApplications(first: 5) { totalCount } }' }),
  'Query.collectionCases': () => ({ query: '{ collectionCases(first: 5) { totalCount } }' }),
  'Query.collectionCase': (f) => ({
    query: 'query($id: ID!) { collectionCase(id: $id) { id } }',
    variables: { id: f.repayingLoanId },
  }),
  'Query.overdueInstallments': () => ({ query: '{ overdueInstallments(first: 5) { totalCount } }' }),
  'Query.smsMessages': () => ({ query: '{ smsMessages(first: 5) { totalCount } }' }),
  'Query.users': () => ({ query: '{ users(role: BORROWER, first: 5) { totalCount } }' }),
  'Query.transfers': () => ({ query: '{ transfers(status: LISTED, first: 5) { totalCount } }' }),
  'Query.transfer': (f) => ({
    query: 'query($id: ID!) { transfer(id: $id) { id } }',
    variables: { id: f.repayingLoanId },
  }),
  'Query.payoffQuote': (f) => ({
    query: 'query($id: ID!) { payoffQuote(loanId: $id) { total } }',
    variables: { id: f.repayingLoanId },
  }),

  'User.id': (f) => ownerField(f, 'id'),
  'User.role': (f) => ownerField(f, 'role'),
  'User.createdAt': (f) => ownerField(f, 'createdAt'),
  'User.mobile': (f) => ownerField(f, 'mobile', withMask(f.owner.mobile, maskMobile)),
  'User.idNumber': (f) => ownerField(f, 'idNumber', withMask(f.owner.idNumber, maskIdNumber)),
  'User.realName': (f) => ownerField(f, 'realName', withMask(MEMBER_REAL_NAME, maskName)),
  'User.depositoryAccount': (f) => ownerField(f, 'depositoryAccount { status }'),
  'User.profile': (f) => ownerField(f, 'profile { email }'),
  'User.identity': (f) => ownerField(f, 'identity { status }'),
  'User.loans': (f) => ownerField(f, 'loans(first: 1) { totalCount }'),
  'User.bids': (f) => ownerField(f, 'bids(first: 1) { totalCount }'),
  'User.receivables': (f) => ownerField(f, 'receivables(first: 1) { totalCount }'),
  'User.statement': (f) => ownerField(f, 'statement(first: 1) { totalCount }'),
  'User.creditLine': (f) => ownerField(f, 'creditLine { limit }'),
  'User.creditApplications': (f) => ownerField(f, 'creditApplications(first: 1) { totalCount }'),
  'User.status': (f) => ownerField(f, 'status'),
  'User.lockedUntil': (f) => ownerField(f, 'lockedUntil'),
  'User.adminActions': (f) => ownerField(f, 'adminActions(first: 1) { totalCount }'),
  'User.portfolio': (f) => ownerField(f, 'portfolio { invested holdings }'),
  'User.borrowing': (f) => ownerField(f, 'borrowing { outstandingPrincipal nextDue { period } }'),
  'User.holdings': (f) => ownerField(f, 'holdings(first: 1) { totalCount }'),
  'User.autoInvest': (f) => ownerField(f, 'autoInvest { amountPerLoan }'),

  ...Object.fromEntries(
    [
      'id',
      'loanNo',
      'title',
      'description',
      'amount',
      'annualRate',
      'investorRate',
      'termMonths',
      'repaymentMethod',
      'status',
      'createdAt',
      'openedAt',
      'viewerIsParty',
      'viewerHasBid',
      'rejectReason',
      'failReason',
      'cancelReason',
    ].map((name) => [`Loan.${name}`, (f: Fixtures) => loanField(f, name)]),
  ),
  'Loan.borrower': (f) => loanField(f, 'borrower { id }'),
  'Loan.funding': (f) => loanField(f, 'funding { raised }'),
  'Loan.bids': (f) => loanField(f, 'bids(first: 1) { totalCount }'),
  'Loan.schedule': (f) => loanField(f, 'schedule { period overdueDays penalty }'),

  ...Object.fromEntries(
    ['id', 'amount', 'status', 'createdAt', 'auto'].map((name) => [`Bid.${name}`, (f: Fixtures) => bidField(f, name)]),
  ),
  'Bid.loan': (f) => bidField(f, 'loan { id }'),
  'Bid.investor': (f) => bidField(f, 'investor { id }'),

  'Subscription.loanFunding': (f) => ({
    query: 'subscription($id: ID!) { loanFunding(loanId: $id) { funding { raised } } }',
    variables: { id: f.fundraisingLoanId },
  }),
  'Subscription.repaymentStatus': (f) => ({
    query: 'subscription($id: ID!) { repaymentStatus(loanId: $id) { installment { status } } }',
    variables: { id: f.repayingLoanId },
  }),
  'Subscription.platformStats': () => ({ query: 'subscription { platformStats { date } }' }),
  'Subscription.transferMarket': () => ({ query: 'subscription { transferMarket { id status price } }' }),

  'Mutation.register': (_f, actor) => ({
    query: 'mutation($i: RegisterInput!) { register(input: $i) { token } }',
    variables: {
      i: { mobile: identityFor(100 + actorNumber(actor)).mobile, password: 'matrix-pass-1', role: 'INVESTOR' },
    },
  }),
  'Mutation.requestSmsCode': (_f, actor) => ({
    query: 'mutation($m: String!) { requestSmsCode(mobile: $m) { expiresAt } }',
    variables: { m: identityFor(300 + actorNumber(actor)).mobile },
  }),
  'Mutation.login': () => ({
    query: 'mutation($m: String!, $p: String!) { login(mobile: $m, password: $p) { token } }',
    variables: { m: TEST_ADMIN.mobile, p: TEST_ADMIN.password },
  }),
  'Mutation.createAdmin': (_f, actor) => ({
    query: 'mutation($m: String!, $p: String!) { createAdmin(mobile: $m, password: $p) { id } }',
    variables: { m: identityFor(200 + actorNumber(actor)).mobile, p: 'matrix-admin-1' },
  }),
  'Mutation.openDepositoryAccount': (_f, actor) => {
    // The holder is the verified identity: a front end sends the card only.
    const { mobile } = identityFor(300 + actorNumber(actor));
    const card = { bankCode: 'ICBC', cardNumber: '6222020000007654321', cardMobile: mobile };
    return {
      query: 'mutation($i: OpenAccountInput!) { openDepositoryAccount(input: $i) { requestNo } }',
      variables: { i: card },
    };
  },
  'Mutation.updateProfile': () => ({
    query: 'mutation($i: ProfileInput!) { updateProfile(input: $i) { email } }',
    variables: { i: MATRIX_PROFILE },
  }),
  'Mutation.verifyIdentity': (f) => ({
    query: 'mutation($i: IdentityInput!) { verifyIdentity(input: $i) { status } }',
    variables: { i: ownerIdentityInput(f.owner.idNumber) },
  }),
  'Mutation.applyForCredit': () => ({ query: 'mutation { applyForCredit { status } }' }),
  'Mutation.reviewCreditApplication': (f) => ({
    query: 'mutation($id: ID!) { reviewCreditApplication(id: $id, approve: true) { status } }',
    variables: { id: f.ownerApplicationId },
  }),
  'Mutation.recharge': () => ({ query: 'mutation { recharge(amount: "100.00") { requestNo } }' }),
  'Mutation.withdraw': () => ({ query: 'mutation { withdraw(amount: "1.00") { requestNo } }' }),
  'Mutation.createLoan': () => ({
    query: 'mutation($i: CreateLoanInput!) { createLoan(input: $i) { status } }',
    variables: { i: { title: '周转贷款', amount: '2000.00', termMonths: 3, repaymentMethod: 'EQUAL_INSTALLMENT' } },
  }),
  'Mutation.reviewLoan': (f) => ({
    query: 'mutation($id: ID!) { reviewLoan(id: $id, approve: false, reason: "matrix") { status } }',
    variables: { id: f.pendingLoanId },
  }),
  'Mutation.reviewFullLoan': (f) => ({
    query: 'mutation($id: ID!) { reviewFullLoan(id: $id, approve: true) { status } }',
    variables: { id: f.fundraisingLoanId },
  }),
  'Mutation.expireLoans': () => ({ query: 'mutation { expireLoans }' }),
  'Mutation.runDailyJobs': (f) => ({
    query: 'mutation($d: Date!) { runDailyJobs(date: $d) { daysRun } }',
    variables: { d: f.businessDate },
  }),
  'Mutation.placeBid': (f) => ({
    query: 'mutation($id: ID!) { placeBid(loanId: $id, amount: "100.00") { status } }',
    variables: { id: f.fundraisingLoanId },
  }),
  'Mutation.setAutoInvest': () => ({
    query: 'mutation($i: AutoInvestInput!) { setAutoInvest(input: $i) { enabled } }',
    variables: { i: { enabled: false, amountPerLoan: '100.00' } },
  }),
  'Mutation.addCollectionNote': (f) => ({
    query: 'mutation($id: ID!) { addCollectionNote(caseId: $id, note: "matrix") { id } }',
    variables: { id: f.repayingLoanId },
  }),
  'Mutation.waivePenalty': (f) => ({
    query: 'mutation($id: ID!) { waivePenalty(installmentId: $id, amount: "1.00", reason: "matrix") { penalty } }',
    variables: { id: f.firstInstallmentId },
  }),
  'Mutation.listTransfer': (f) => ({
    query: 'mutation($id: ID!) { listTransfer(bidId: $id, price: "2000.00") { id } }',
    variables: { id: f.repayingBidId },
  }),
  'Mutation.cancelTransfer': (f) => ({
    query: 'mutation($id: ID!) { cancelTransfer(id: $id) { id } }',
    variables: { id: f.repayingLoanId },
  }),
  'Mutation.buyTransfer': (f) => ({
    query: 'mutation($id: ID!) { buyTransfer(id: $id) { id } }',
    variables: { id: f.repayingLoanId },
  }),
  'Mutation.repayInstallment': (f) => ({
    query: 'mutation($id: ID!) { repayInstallment(installmentId: $id) { status } }',
    variables: { id: f.firstInstallmentId },
  }),
  'Mutation.enableUser': (f) => ({
    query: 'mutation($id: ID!) { enableUser(userId: $id, reason: "matrix") { id } }',
    variables: { id: f.owner.id },
  }),
  'Mutation.unlockUser': (f) => ({
    query: 'mutation($id: ID!) { unlockUser(userId: $id, reason: "matrix") { id } }',
    variables: { id: f.owner.id },
  }),
  'Mutation.disableUser': () => ({
    query: 'mutation($id: ID!) { disableUser(userId: $id, reason: "matrix") { id } }',
    variables: { id: '0193a000-0000-7000-8000-00000000d15a' },
  }),
  'Mutation.cancelLoan': (f) => ({
    query: 'mutation($id: ID!) { cancelLoan(id: $id, reason: "matrix") { status } }',
    variables: { id: f.fundraisingLoanId },
  }),
  'Mutation.repayEarly': (f) => ({
    query: 'mutation($id: ID!) { repayEarly(loanId: $id) { id } }',
    variables: { id: f.repayingLoanId },
  }),
};

// ---------------------------------------------------------------------------------------------------
// The runner
// ---------------------------------------------------------------------------------------------------

/** Every row name the composed API schema calls for: root fields and the fields of TYPES_SEEN_BY_OTHERS. */
function namesInSchema(schema: GraphQLSchema): string[] {
  const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
  const types = [...roots, ...TYPES_SEEN_BY_OTHERS.map((name) => schema.getType(name))];
  return types.flatMap((type) => {
    assert(type && isObjectType(type), 'an object type of the API schema');
    return Object.keys((type as GraphQLObjectType).getFields()).map((field) => `${type.name}.${field}`);
  });
}

function apiSchema(): GraphQLSchema {
  const supergraph = fs.readFileSync(path.join(REPOSITORY_ROOT, 'schema', 'supergraph.graphql'), 'utf8');
  return Supergraph.build(supergraph).apiSchema().toGraphQLJSSchema();
}

/** Query and field cells asked at once: enough to overlap round trips, few enough not to trip the throttles. */
const READS_AT_ONCE = 10;

const valueAt = (data: unknown, at: (string | number)[]): unknown =>
  at.reduce<unknown>((value, key) => (value === null || value === undefined ? value : (value as any)[key]), data);

/** Fails unless an HTTP answer is `expected`. */
function checkAnswer(expected: Outcome, call: Call, actor: Actor, response: GraphQLResponse): void {
  const errors = response.errors ?? [];
  const codes = errors.map((error) => error.extensions?.code);
  const summary = JSON.stringify(
    errors.map(({ message, path: at, extensions }) => ({
      message,
      path: at,
      code: extensions?.code,
    })),
  );
  if (expected === 'OK' || expected === 'MASKED') {
    assert.deepEqual(codes, [], `no error expected, got ${summary}`);
    assert.ok(response.data, 'data');
    if (call.path === undefined) return;
    const parent = valueAt(response.data, call.path.slice(0, -1));
    const answered = typeof parent === 'object' && parent !== null && call.path.at(-1)! in parent;
    assert.ok(answered, `answered at ${call.path.join('.')}`);
    if (call.plain === undefined) return;
    const value = valueAt(response.data, call.path);
    assert.equal(value, expected === 'OK' ? call.plain : call.masked, `${expected} value expected, got ${value}`);
    return;
  }
  if (expected === 'NULL_WITH_ERROR') {
    assert(call.path !== undefined, 'NULL_WITH_ERROR is for fields');
    const code = actor === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN';
    const codesAndPaths = errors.map((error) => [error.extensions?.code, error.path]);
    assert.deepEqual(codesAndPaths, [[code, call.path]], `errors: ${summary}`);
    assert.equal(valueAt(response.data, call.path), null, 'the field is null');
    assert.ok(valueAt(response.data, [...call.path.slice(0, -1), 'id']), 'its parent stays');
    return;
  }
  assert.deepEqual(codes, [expected], `errors: ${summary}`);
}

/** Subscribes as `token` and waits until the gateway counts the subscriber or the subscribe is refused. */
async function subscribeOutcome(gatewayUrl: string, call: Call, token: string | undefined): Promise<string[]> {
  const SUBSCRIBERS = 'wanxin_subscription_subscribers';
  const baseline = await gatewayMetric(gatewayUrl, SUBSCRIBERS);
  const { client } = connectSubscriptions(gatewayUrl, token);
  try {
    const field = /\{\s*(\w+)/.exec(call.query)![1];
    const watched = watch(client, field, call.query, call.variables);
    await eventually(async () =>
      watched.errors !== undefined ||
      watched.closeCode !== undefined ||
      (await gatewayMetric(gatewayUrl, SUBSCRIBERS)) > baseline
        ? true
        : undefined,
    );
    assert.equal(watched.closeCode, undefined, 'the socket stays open');
    return (watched.errors ?? []).map((error) => String(error.extensions?.code));
  } finally {
    await client.dispose();
    // The next subscribe counts from here: wait until this one is forgotten.
    await eventually(async () => ((await gatewayMetric(gatewayUrl, SUBSCRIBERS)) <= baseline ? true : undefined));
  }
}

/** A cell awaiting another branch passes as skipped while it fails, and fails once it passes (drop the mark). */
async function checkCell(t: TestContext, cell: Cell, check: (expected: Outcome) => Promise<void>): Promise<void> {
  if (typeof cell === 'string') return check(cell);
  try {
    await check(cell.outcome);
  } catch (error) {
    t.skip(`awaiting ${cell.awaiting}: ${(error as Error).message.split('\n')[0]}`);
    return;
  }
  assert.fail(`passes now: drop the "${cell.awaiting}" mark of this cell`);
}

test('every query, mutation, subscription and User, Loan, Bid field has a row, and every row still exists', () => {
  const inSchema = namesInSchema(apiSchema());
  assert.deepEqual(
    inSchema.filter((name) => !(name in MATRIX)),
    [],
    'operations or fields without a row',
  );
  const gone = Object.keys(MATRIX).filter((name) => !inSchema.includes(name));
  assert.deepEqual(gone, [], 'rows naming what no longer exists');
  assert.deepEqual(
    Object.keys(MATRIX).filter((name) => !(name in CALLS)),
    [],
    'rows without a call',
  );
});

const skip = servicesUnderTest(['MariaDB', 'RabbitMQ']);

describe(
  'authorization matrix through the gateway (every service its own process, MariaDB, RabbitMQ)',
  {
    skip,
  },
  () => {
    let platform: RunningPlatform;
    let client: MarketplaceClient;
    let fixtures: Fixtures;
    /** The answers to every query and field cell, asked side by side before any mutation runs. */
    const answers = new Map<string, GraphQLResponse>();
    const cellKey = (name: string, actor: Actor) => `${name} as ${actor}`;
    const ask = (name: string, actor: Actor) => {
      const call = CALLS[name](fixtures, actor);
      return client.gateway(call.query, call.variables, fixtures.tokens[actor]);
    };

    before(async () => {
      platform = await startPlatform('mysql', true, { BID_SETTLE_INTERVAL_MS: '500' });
      client = new MarketplaceClient(platform);
      fixtures = await setUp(client);
      const reads = Object.keys(MATRIX)
        .filter((name) => !/^(Mutation|Subscription)\./.test(name))
        .flatMap((name) => ACTORS.map((actor) => [name, actor] as const));
      for (let start = 0; start < reads.length; start += READS_AT_ONCE) {
        await Promise.all(
          reads
            .slice(start, start + READS_AT_ONCE)
            .map(async ([name, actor]) => answers.set(cellKey(name, actor), await ask(name, actor))),
        );
      }
    });
    after(async () => platform?.stop());

    for (const [name, row] of Object.entries(MATRIX)) {
      ACTORS.forEach((actor, column) => {
        test(cellKey(name, actor), async (t) => {
          const call = CALLS[name](fixtures, actor);
          const token = fixtures.tokens[actor];
          await checkCell(t, row[column], async (expected) => {
            if (name.startsWith('Subscription.')) {
              const codes = await subscribeOutcome(platform.gateway.url, call, token);
              assert.deepEqual(codes, expected === 'OK' ? [] : [expected]);
            } else {
              checkAnswer(expected, call, actor, answers.get(cellKey(name, actor)) ?? (await ask(name, actor)));
            }
          });
        });
      });
    }
  },
);
