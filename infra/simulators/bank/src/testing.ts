// Shared by the bank's tests: a bank on its own database, a platform that signs requests with the
// development platform key, a page client that posts forms like a browser, and a notification inbox.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import assert from 'node:assert/strict';
import { idNumberCheckCharacter, loadConfig, resolveKeyPair, utcDateOf, type DatabaseKind } from '@wanxin/platform';
import { createTestEnvironment, waitFor, type TestEnvironment } from '@wanxin/platform/testing';
import { readBankConfig, startBank, type BankService } from './index';
import {
  BANK_CODES,
  BANK_PATHS,
  isInstructionService,
  isPageService,
  newBankRequestNo,
  openSignedResult,
  signRequest,
  type BankEnvelope,
  type BankNotification,
  type BankRequestByService,
  type BankResult,
  type BankServiceName,
  type SignedResponse,
  type UndatedRequest,
} from '@wanxin/platform/bank-protocol';

export const PLATFORM_NO = 'WANXIN';
export const TRADE_PASSWORD = 'trade-pass-1';
/** The simulated card balance the harness gives every bank (1,000,000.00). */
export const CARD_START_FEN = 100_000_000n;

/** Answers the bank's notifications; by default "OK". */
export type NotificationAnswer = (
  notification: BankNotification,
  deliveries: number,
) => { status: number; body: string };

export class NotificationInbox {
  readonly received: BankNotification[] = [];
  private server: http.Server | undefined;
  url = '';

  constructor(private readonly answer: NotificationAnswer = () => ({ status: 200, body: 'OK' })) {}

  async start(): Promise<void> {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const notification = JSON.parse(Buffer.concat(chunks).toString('utf8')) as BankNotification;
        this.received.push(notification);
        const deliveries = this.received.filter((seen) => seen.respData === notification.respData).length;
        const { status, body } = this.answer(notification, deliveries);
        response.writeHead(status, { 'content-type': 'text/plain' });
        response.end(body);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/bank/notify`;
  }

  /** Waits until `count` notifications arrived (bounded). */
  async waitFor(count: number, timeoutMs = 10_000): Promise<BankNotification[]> {
    await waitFor(() => this.received.length >= count, { timeoutMs, what: `${count} notifications arrived` });
    return this.received;
  }

  /** The notifications received so far about request `requestNo`, decoded. */
  about(requestNo: string): Record<string, unknown>[] {
    return this.received
      .map(
        (notification) =>
          JSON.parse(Buffer.from(notification.respData, 'base64').toString('utf8')) as Record<string, unknown>,
      )
      .filter((result) => result.requestNo === requestNo);
  }

  /** Waits until a notification about `requestNo` arrived (bounded). */
  async waitForRequest(requestNo: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    await waitFor(() => this.about(requestNo).length > 0, {
      timeoutMs,
      what: `a notification about ${requestNo} arrived`,
    });
    return this.about(requestNo)[0];
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface PageAnswer {
  status: number;
  html: string;
  /** `data-code` of the result or error paragraph, if any. */
  code: string | null;
}

/** harness.register gives each user its own ID number (one account per person), from seed 100 up. */
const REGISTERED_ID_SEED_MIN = 100;
let registered = 0;

/** A requestNo no other test run uses. */
export function requestNo(prefix = 'R'): string {
  return newBankRequestNo(prefix);
}

/** A valid 18-character ID number (GB 11643), different for each seed. */
export function idNumberFor(seed: number): string {
  const first17 = `11010519900101${String(seed % 1000).padStart(3, '0')}`;
  return first17 + idNumberCheckCharacter(first17);
}

/** When each requestNo was first signed here: signed again, a request keeps its dates and its body. */
const firstSignedAt = new Map<string, Date>();

/**
 * The request as the platform would sign it: an instruction the test did not date carries the UTC day
 * it was first signed as its `accountingDate` (the harness's platform has a business clock that follows
 * the wall clock) and, for a page service, that instant as its `issuedAt`.
 */
export function dated<S extends BankServiceName>(serviceName: S, reqData: UndatedRequest<S>): BankRequestByService[S] {
  if (!isInstructionService(serviceName)) return reqData as BankRequestByService[S];
  const signedAt = firstSignedAt.get(reqData.requestNo) ?? new Date();
  firstSignedAt.set(reqData.requestNo, signedAt);
  // Added after the given fields, given dates kept where they are: a request signed as given keeps its body.
  return {
    ...reqData,
    accountingDate: reqData.accountingDate ?? utcDateOf(signedAt),
    ...(isPageService(serviceName) ? { issuedAt: reqData.issuedAt ?? signedAt.toISOString() } : {}),
  } as BankRequestByService[S];
}

export interface BankHarness {
  bank: BankService;
  environment: TestEnvironment;
  inbox: NotificationInbox;
  platformPrivateKeyPem: string;
  /** Signs the request, dated (`dated`) when it is an instruction without its accountingDate. */
  envelope<S extends BankServiceName>(serviceName: S, reqData: UndatedRequest<S>): BankEnvelope;
  /** Posts an envelope (or anything) to /service; returns the verified result. */
  post<S extends BankServiceName>(body: unknown): Promise<BankResult<S>>;
  call<S extends BankServiceName>(serviceName: S, reqData: UndatedRequest<S>): Promise<BankResult<S>>;
  /** Posts the page form; with `password` the operation is submitted. */
  page<S extends BankServiceName>(serviceName: S, reqData: UndatedRequest<S>, password?: string): Promise<PageAnswer>;
  postForm(fields: Record<string, string>): Promise<PageAnswer>;
  register(userNo: string, password?: string): Promise<void>;
  recharge(userNo: string, amountFen: bigint): Promise<void>;
  balance(userNo: string): Promise<{ availableFen: bigint; frozenFen: bigint }>;
  /**
   * Notifications the bank recorded, in any status (each is written with the result it notifies), counted
   * once none is PENDING: the ledger counts each status apart, so a row delivered in between would be
   * counted twice or not at all.
   */
  notificationsRecorded(): Promise<number>;
  /**
   * Waits until the bank has nothing left to deliver (no notification PENDING): from then on no
   * notification it recorded can still arrive at the inbox.
   */
  notificationsSettled(timeoutMs?: number): Promise<void>;
  /** Fails the test when the ledger self-check finds anything. */
  assertLedgerSound(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBankHarness(
  kind: DatabaseKind,
  options: { answer?: NotificationAnswer; env?: Record<string, string> } = {},
): Promise<BankHarness> {
  const environment = createTestEnvironment(kind);
  const inbox = new NotificationInbox(options.answer);
  await inbox.start();
  const env = {
    ...environment.env,
    PORT: '0',
    BANK_PLATFORM_NO: PLATFORM_NO,
    BANK_NOTIFY_URL: inbox.url,
    BANK_NOTIFY_SCHEDULE_SCALE: '0.0005',
    ...options.env,
  };
  const bank = await startBank(loadConfig(env, readBankConfig));
  const platformKeys = resolveKeyPair(environment.config.dataDir, 'platform', {});
  const platformPrivateKeyPem = platformKeys.privateKeyPem!;
  const harness: BankHarness = {
    bank,
    environment,
    inbox,
    platformPrivateKeyPem,
    envelope: (serviceName, reqData) =>
      signRequest(serviceName, PLATFORM_NO, dated(serviceName, reqData), platformPrivateKeyPem),
    async post<S extends BankServiceName>(body: unknown) {
      const response = await fetch(`${bank.url}${BANK_PATHS.service}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 200, `POST /service answered ${response.status}`);
      return openSignedResult<S>((await response.json()) as SignedResponse, bank.publicKeyPem, {
        messageType: 'RESPONSE',
        platformNo: PLATFORM_NO,
      });
    },
    call: (serviceName, reqData) => harness.post(harness.envelope(serviceName, reqData)),
    page: (serviceName, reqData, password) => {
      const fields: Record<string, string> = { ...harness.envelope(serviceName, reqData) };
      if (password !== undefined) fields.password = password;
      return harness.postForm(fields);
    },
    async postForm(fields) {
      const response = await fetch(`${bank.url}${BANK_PATHS.gateway}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
      const html = await response.text();
      return { status: response.status, html, code: /data-code="([0-9]+)"/.exec(html)?.[1] ?? null };
    },
    async register(userNo, password = TRADE_PASSWORD) {
      const answer = await harness.page(
        'PERSONAL_REGISTER',
        {
          requestNo: requestNo('REG'),
          userNo,
          realName: '王小明',
          idNumber: idNumberFor(REGISTERED_ID_SEED_MIN + registered++),
          bankCode: 'ICBC',
          cardNumber: '6222020000001234567',
          cardMobile: '13800000000',
        },
        password,
      );
      assert.equal(answer.code, BANK_CODES.SUCCESS, `registering ${userNo}: ${answer.html}`);
    },
    async recharge(userNo, amountFen) {
      const answer = await harness.page(
        'RECHARGE',
        { requestNo: requestNo('RCH'), userNo, amountFen: amountFen.toString() },
        TRADE_PASSWORD,
      );
      assert.equal(answer.code, BANK_CODES.SUCCESS, `recharging ${userNo}: ${answer.html}`);
    },
    async balance(userNo) {
      const result = succeeded(await harness.call('QUERY_BALANCE', { requestNo: requestNo('QB'), userNo }));
      return { availableFen: BigInt(result.availableFen), frozenFen: BigInt(result.frozenFen) };
    },
    async notificationsRecorded() {
      await harness.notificationsSettled();
      const counts = (await bank.checkLedger()).notifications;
      return Object.values(counts).reduce((total, count) => total + count, 0);
    },
    notificationsSettled: (timeoutMs = 10_000) =>
      waitFor(async () => (await bank.checkLedger()).notifications.PENDING === 0, {
        timeoutMs,
        what: 'no notification is PENDING at the bank',
      }),
    async assertLedgerSound() {
      const check = await bank.checkLedger();
      assert.deepEqual(check.problems, [], 'ledger self-check');
      assert.ok(check.ok);
    },
    async stop() {
      await bank.stop();
      await inbox.stop();
      await environment.cleanup();
    },
  };
  return harness;
}

/** Narrows a result to success, failing the test with its message otherwise. */
export function succeeded<S extends BankServiceName>(
  result: BankResult<S>,
): Extract<BankResult<S>, { code: typeof BANK_CODES.SUCCESS }> {
  assert.equal(result.code, BANK_CODES.SUCCESS, result.message);
  return result as Extract<BankResult<S>, { code: typeof BANK_CODES.SUCCESS }>;
}
export { escapeHtml } from './http/page';
