import assert from 'node:assert/strict';
import { formatMoney, idNumberCheckCharacter, parseMoney } from '@wanxin/platform';
import {
  dataOf,
  eventually,
  postGraphQL,
  TEST_ADMIN,
  type GraphQLResponse,
  type InstallmentShown,
} from '@wanxin/platform/testing';

export const TRADE_PASSWORD = 'trade-pass-1';
const MEMBER_PASSWORD = 'member-pass-1';
/** The real name every member verifies. */
export const MEMBER_NAME = '张三';
/** The rate members' loans are published at: above every line's risk price, under the 24 % ceiling. */
export const MEMBER_LOAN_RATE = '0.15';
/** Members' profile: the income grants the largest line (min(20 × 25,000.00, 500,000.00)). */
const PROFILE = {
  education: 'BACHELOR',
  address: '北京市朝阳区建国路 1 号',
  email: 'member@example.com',
  employer: '万信科技',
  position: '工程师',
  monthlyIncome: '25000.00',
  emergencyContacts: [{ name: '王大明', relation: '父亲', mobile: '19900000001' }],
};
const JPEG_MAGIC = [0xff, 0xd8, 0xff, 0xe0];
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function imageBase64(magic: number[], seed: string): string {
  return Buffer.concat([Buffer.from(magic), Buffer.from(seed, 'utf8')]).toString('base64');
}
const REDIRECT = 'url method requestNo fields { name value }';
/** Member numbers give distinct mobiles and ID numbers up to this many members per platform. */
const MEMBER_NUMBER_MAX = 9_999;

export type MemberRole = 'BORROWER' | 'INVESTOR';

export interface DepositoryBalances {
  status: string;
  balance: string;
  frozen: string;
}

/** A BankRedirect as the gateway returns it: what the browser posts to the bank's page. */
export interface Redirect {
  url: string;
  method: string;
  fields: { name: string; value: string }[];
}

/** A member's identity: a distinct mobile and a valid, distinct resident ID number (GB 11643) per member number. */
export function identityFor(memberNumber: number): { mobile: string; idNumber: string } {
  assert(
    Number.isInteger(memberNumber) && memberNumber >= 0 && memberNumber <= MEMBER_NUMBER_MAX,
    `member number ${memberNumber}`,
  );
  // Region 110101, born 7 March of 1980 + a year per 999 members (adults under 70: identity checks accept
  // them), then a three-digit sequence other than 999, which the identity provider refuses.
  const year = 1980 + Math.floor(memberNumber / 999);
  const first17 = `110101${year}0307${String(memberNumber % 999).padStart(3, '0')}`;
  return {
    mobile: `1370000${String(memberNumber).padStart(4, '0')}`,
    idNumber: first17 + idNumberCheckCharacter(first17),
  };
}

/** Posts a bank page's fields and a trade password, as the user's browser does with a BankRedirect. */
export function postBankPage(redirect: Redirect, password: string): Promise<Response> {
  const form = new URLSearchParams(redirect.fields.map((field): [string, string] => [field.name, field.value]));
  form.set('password', password);
  return fetch(redirect.url, { method: redirect.method, body: form });
}

/** Submits a bank page as the user's browser would, with the trade password. */
async function completeAtBank(redirect: Redirect): Promise<void> {
  assert.equal((await postBankPage(redirect, TRADE_PASSWORD)).status, 200);
}

const SCHEDULE =
  'query($id: ID!) { loan(id: $id) { status schedule { id period dueDate principal interest amount status penalty repaidAt } } }';

/** One row of a loan's schedule as the gateway shows it. */
export type ScheduledInstallment = InstallmentShown;

/** Drives the marketplace through the gateway as its users do: register, open an account on the bank's page, recharge, publish, review, bid. */
export class MarketplaceClient {
  constructor(private readonly platform: { gateway: { url: string } }) {}

  gateway(query: string, variables: Record<string, unknown> = {}, token?: string): Promise<GraphQLResponse> {
    return postGraphQL(this.platform.gateway.url, query, variables, token);
  }

  /** The admin's token for reviews, signed in once: concurrent sign-ins to one account count against its lock. */
  private reviewerToken: Promise<string> | undefined;

  async adminToken(): Promise<string> {
    const login = 'mutation($m: String!, $p: String!) { login(mobile: $m, password: $p) { token } }';
    return dataOf(await this.gateway(login, { m: TEST_ADMIN.mobile, p: TEST_ADMIN.password })).login.token;
  }

  /** The user's depository account as the agent reads it live from the bank. */
  async balances(token: string): Promise<DepositoryBalances> {
    return dataOf(await this.gateway('{ me { depositoryAccount { status balance frozen } } }', {}, token)).me
      .depositoryAccount;
  }

  /**
   * Registers a user as a front end would have them do it: profile, identity verified by the identity
   * provider, the depository account opened on the bank's page with `rechargeYuan` on it, and for a
   * borrower a credit line approved by an admin and the risk provider (the only way to publish loans).
   */
  async member(mobile: string, role: MemberRole, idNumber: string, rechargeYuan?: string): Promise<string> {
    const token = await this.verifiedMember(mobile, role, idNumber);
    if (role === 'BORROWER') await this.creditLine(token);
    await this.openAccount(token, mobile);
    if (rechargeYuan !== undefined) await this.moveMoney(token, 'recharge', rechargeYuan);
    return token;
  }

  /** A user registered with MEMBER_PASSWORD whose identity the provider verified; no account yet. Their token. */
  async verifiedMember(mobile: string, role: MemberRole, idNumber: string): Promise<string> {
    const register = 'mutation($i: RegisterInput!) { register(input: $i) { token } }';
    const token = dataOf(await this.gateway(register, { i: { mobile, password: MEMBER_PASSWORD, role } })).register
      .token;
    await this.verifiedIdentity(token, idNumber);
    return token;
  }

  /** Recharges or withdraws `amount` on the bank's page, and waits until the balance shows it. */
  async moveMoney(token: string, direction: 'recharge' | 'withdraw', amount: string): Promise<void> {
    const before = parseMoney((await this.balances(token)).balance);
    const expected = formatMoney(direction === 'recharge' ? before + parseMoney(amount) : before - parseMoney(amount));
    const mutation = `mutation($a: Money!) { ${direction}(amount: $a) { ${REDIRECT} } }`;
    await completeAtBank(dataOf(await this.gateway(mutation, { a: amount }, token))[direction]);
    await eventually(async () => ((await this.balances(token)).balance === expected ? true : undefined));
  }

  /** Opens the member's depository account on the bank's page (the holder is their verified identity). */
  async openAccount(token: string, mobile: string): Promise<void> {
    const input = {
      bankCode: 'ICBC',
      cardNumber: '6222020000001234567',
      cardMobile: mobile,
    };
    // The account row and the verified identity arrive by events (users.user.registered, .identity.verified).
    const opening = await eventually(async () => {
      const response = await this.gateway(
        `mutation($i: OpenAccountInput!) { openDepositoryAccount(input: $i) { ${REDIRECT} } }`,
        { i: input },
        token,
      );
      return response.errors ? undefined : dataOf(response).openDepositoryAccount;
    });
    await completeAtBank(opening);
    await eventually(async () => ((await this.balances(token)).status === 'OPENED' ? true : undefined));
  }

  /** Saves the member's profile and verifies their identity through the identity provider (VERIFIED). */
  async verifiedIdentity(token: string, idNumber: string): Promise<void> {
    dataOf(
      await this.gateway('mutation($i: ProfileInput!) { updateProfile(input: $i) { email } }', { i: PROFILE }, token),
    );
    const identity = {
      realName: MEMBER_NAME,
      idNumber,
      // Three different images (the provider refuses a face equal to the front), tiny: the checks read bytes.
      idFrontImage: imageBase64(JPEG_MAGIC, `front ${idNumber}`),
      idBackImage: imageBase64(JPEG_MAGIC, `back ${idNumber}`),
      faceImage: imageBase64(PNG_MAGIC, `face ${idNumber}`),
    };
    const verify = 'mutation($i: IdentityInput!) { verifyIdentity(input: $i) { status } }';
    dataOf(await this.gateway(verify, { i: identity }, token));
    const status = async () =>
      dataOf(await this.gateway('{ me { identity { status } } }', {}, token)).me.identity.status;
    assert.equal(await eventually(async () => ((await status()) === 'PENDING' ? undefined : status())), 'VERIFIED');
  }

  /**
   * A borrower's credit line through the public path: applyForCredit, the admin's approving review, the
   * risk provider's answer, loans granting the line. The profile's income gives the largest line
   * (500,000.00), priced from the score under the rate loans are published at (MEMBER_LOAN_RATE).
   */
  async creditLine(borrower: string): Promise<{ limit: string; available: string; annualRate: string }> {
    const application = dataOf(await this.gateway('mutation { applyForCredit { id } }', {}, borrower)).applyForCredit;
    const review = 'mutation($id: ID!) { reviewCreditApplication(id: $id, approve: true) { status } }';
    this.reviewerToken ??= this.adminToken();
    const reviewed = dataOf(await this.gateway(review, { id: application.id }, await this.reviewerToken));
    assert.equal(reviewed.reviewCreditApplication.status, 'RISK_PENDING');
    const line = async () =>
      dataOf(await this.gateway('{ me { creditLine { limit available annualRate } } }', {}, borrower)).me.creditLine;
    return eventually(async () => (await line()) ?? undefined);
  }

  /** A borrower's new loan, PENDING_REVIEW, once loans knows the borrower's account is open (depository.account.opened). */
  async publishLoan(
    borrower: string,
    amount: string,
    termMonths = 3,
  ): Promise<{ id: string; status: string; annualRate: string; investorRate: string }> {
    const create = 'mutation($i: CreateLoanInput!) { createLoan(input: $i) { id status annualRate investorRate } }';
    const input = {
      title: '装修贷款',
      amount,
      termMonths,
      repaymentMethod: 'EQUAL_INSTALLMENT',
      annualRate: MEMBER_LOAN_RATE,
    };
    return eventually(async () => {
      const response = await this.gateway(create, { i: input }, borrower);
      // CONFLICT until loans has the event; another error is what the wait reports if it never passes.
      return response.errors?.[0]?.extensions?.code === 'CONFLICT' ? undefined : dataOf(response).createLoan;
    });
  }

  /** A loan's status and repayment schedule as `token` reads them. */
  async loanSchedule(loanId: string, token: string): Promise<{ status: string; schedule: ScheduledInstallment[] }> {
    return dataOf(await this.gateway(SCHEDULE, { id: loanId }, token)).loan;
  }

  /** A loan of `amount` over `termMonths`, funded by `bids` (investor token, amount), paid out, with its schedule built. */
  async repayingLoan(
    admin: string,
    borrower: string,
    amount: string,
    termMonths: number,
    bids: [string, string][],
  ): Promise<{ loanId: string; schedule: ScheduledInstallment[] }> {
    const loanId = (await this.publishLoan(borrower, amount, termMonths)).id;
    assert.equal(await this.approveLoan(admin, loanId), 'FUNDRAISING');
    assert.equal((await this.frozenBid(loanId, bids[0][1], bids[0][0])).status, 'FROZEN');
    for (const [investor, bidAmount] of bids.slice(1))
      assert.equal(dataOf(await this.placeBid(loanId, bidAmount, investor)).placeBid.status, 'FROZEN');
    const status = async () => (await this.loanSchedule(loanId, borrower)).status;
    await eventually(async () => ((await status()) === 'FULLY_FUNDED' ? true : undefined));
    const payout = 'mutation($id: ID!) { reviewFullLoan(id: $id, approve: true) { status } }';
    assert.equal(dataOf(await this.gateway(payout, { id: loanId }, admin)).reviewFullLoan.status, 'REPAYING');
    // repayments builds the schedule from loans.loan.disbursed.
    const schedule = await eventually(async () => {
      const rows = (await this.loanSchedule(loanId, borrower)).schedule;
      return rows.length === termMonths ? rows : undefined;
    });
    return { loanId, schedule };
  }

  /** The admin's review: FUNDRAISING (a project at the bank) when approved. */
  async approveLoan(admin: string, loanId: string): Promise<string> {
    return dataOf(
      await this.gateway('mutation($id: ID!) { reviewLoan(id: $id, approve: true) { status } }', { id: loanId }, admin),
    ).reviewLoan.status;
  }

  placeBid(loanId: string, amount: string, token: string): Promise<GraphQLResponse> {
    return this.gateway(
      'mutation($l: ID!, $a: Money!) { placeBid(loanId: $l, amount: $a) { id status amount } }',
      { l: loanId, a: amount },
      token,
    );
  }

  /** The first bid on a newly opened loan: bids learns of the loan from loans.loan.opened, so it waits while the loan is NOT_FOUND there. */
  async firstBid(loanId: string, amount: string, token: string): Promise<GraphQLResponse> {
    return eventually(async () => {
      const response = await this.placeBid(loanId, amount, token);
      return response.errors?.[0]?.extensions?.code === 'NOT_FOUND' ? undefined : response;
    });
  }

  /**
   * The first bid, once its funds are frozen at the bank: placeBid answers PENDING when the bank's answer is
   * late (the settle job asks again), so a test that needs the money frozen waits for the bid's status.
   */
  async frozenBid(loanId: string, amount: string, token: string): Promise<{ id: string; status: string }> {
    const placed: { id: string; status: string } = dataOf(await this.firstBid(loanId, amount, token)).placeBid;
    if (placed.status !== 'PENDING') return placed;
    const bidsOfLoan = 'query($id: ID!) { loan(id: $id) { bids(first: 100) { edges { node { id status } } } } }';
    return eventually(async () => {
      const edges: { node: { id: string; status: string } }[] = dataOf(
        await this.gateway(bidsOfLoan, { id: loanId }, token),
      ).loan.bids.edges;
      const bid = edges.find((edge) => edge.node.id === placed.id)?.node;
      return bid === undefined || bid.status === 'PENDING' ? undefined : bid;
    });
  }
}
