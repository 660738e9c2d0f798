import assert from 'node:assert/strict';
import { dataOf, eventually, postGraphQL } from '@wanxin/platform/testing';

const TRADE_PASSWORD = 'trade-pass-1';
const REDIRECT = 'url method requestNo fields { name value }';

interface Redirect {
  url: string;
  method: string;
  fields: { name: string; value: string }[];
}

/** Marketplace members acting through one gateway, as front ends do: registration, the bank's page, loans and bids. */
export class MarketplaceActors {
  constructor(private readonly gatewayUrl: () => string) {}

  call(query: string, variables: Record<string, unknown>, token: string | undefined) {
    return postGraphQL(this.gatewayUrl(), query, variables, token);
  }

  async login(mobile: string, password: string): Promise<string> {
    return dataOf(await this.call('mutation($m: String!, $p: String!) { login(mobile: $m, password: $p) { token } }', { m: mobile, p: password }, undefined)).login.token;
  }

  /** Submits a bank page's form with the trade password, as the user's browser would. */
  private async completeAtBank(redirect: Redirect): Promise<void> {
    const form = new URLSearchParams(redirect.fields.map((field): [string, string] => [field.name, field.value]));
    form.set('password', TRADE_PASSWORD);
    assert.equal((await fetch(redirect.url, { method: redirect.method, body: form })).status, 200);
  }

  private async account(token: string): Promise<{ status: string; balance: string }> {
    return dataOf(await this.call('{ me { depositoryAccount { status balance } } }', {}, token)).me.depositoryAccount;
  }

  /** A registered member with an opened depository account and, for investors, `rechargeYuan` on it. */
  async member(mobile: string, role: 'BORROWER' | 'INVESTOR', idNumber: string, rechargeYuan?: string): Promise<string> {
    const register = 'mutation($i: RegisterInput!) { register(input: $i) { token } }';
    const token = dataOf(await this.call(register, { i: { mobile, password: 'member-pass-1', role } }, undefined)).register.token;
    const input = { realName: '李四', idNumber, bankCode: 'ICBC', cardNumber: '6222020000007654321', cardMobile: mobile };
    const opening = await eventually(async () => {
      const response = await this.call(`mutation($i: OpenAccountInput!) { openDepositoryAccount(input: $i) { ${REDIRECT} } }`, { i: input }, token);
      return response.errors ? undefined : dataOf(response).openDepositoryAccount;
    });
    await this.completeAtBank(opening);
    await eventually(async () => ((await this.account(token)).status === 'OPENED' ? true : undefined));
    if (rechargeYuan !== undefined) {
      await this.completeAtBank(dataOf(await this.call(`mutation($a: Money!) { recharge(amount: $a) { ${REDIRECT} } }`, { a: rechargeYuan }, token)).recharge);
      await eventually(async () => ((await this.account(token)).balance === rechargeYuan ? true : undefined));
    }
    return token;
  }

  /** A loan published by `borrower`, approved by `admin`, with its funding row in bids (bids are taken). */
  async openLoan(borrower: string, admin: string, amount: string, title = '经营周转'): Promise<string> {
    const create = 'mutation($i: CreateLoanInput!) { createLoan(input: $i) { id } }';
    const input = { title, amount, termMonths: 3, repaymentMethod: 'EQUAL_INSTALLMENT' };
    const loan = await eventually(async () => {
      const response = await this.call(create, { i: input }, borrower);
      return response.errors ? undefined : dataOf(response).createLoan;
    });
    dataOf(await this.call('mutation($id: ID!) { reviewLoan(id: $id, approve: true) { status } }', { id: loan.id }, admin));
    // Bids learns of the loan from loans.loan.opened: until then its funding shows nothing remaining.
    const remaining = async () => dataOf(await this.call('query($id: ID!) { loan(id: $id) { funding { remaining } } }', { id: loan.id }, admin)).loan.funding.remaining;
    await eventually(async () => ((await remaining()) === amount ? true : undefined));
    return loan.id;
  }

  /** An accepted (FROZEN) bid's id. */
  async bid(loanId: string, amount: string, investor: string): Promise<string> {
    const placed = dataOf(await this.call('mutation($l: ID!, $a: Money!) { placeBid(loanId: $l, amount: $a) { id status } }', { l: loanId, a: amount }, investor)).placeBid;
    assert.equal(placed.status, 'FROZEN');
    return placed.id;
  }
}
