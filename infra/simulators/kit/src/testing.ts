// Shared by the provider simulators' tests: a callback receiver that plays the platform's endpoint, and
// the platform's side of a request (signed with the development platform key, posted, receipt opened).
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { resolveKeyPair, type DatabaseKind } from '@wanxin/platform';
import type { RunningProvider } from './provider';
import { createTestEnvironment, waitFor, type TestEnvironment } from '@wanxin/platform/testing';
import {
  encodeData,
  MESSAGE_FRESHNESS_MS,
  openProviderReceipt,
  signProviderMessage,
  type ProviderEnvelope,
  type ProviderReceipt,
} from '@wanxin/platform/provider-protocol';

/** Each delivery as received, in order. */
export interface ReceivedCallback {
  envelope: ProviderEnvelope;
  /** The HTTP status the receiver answered. */
  answeredStatus: number;
}

/** Plays the platform's callback endpoint: refuses the first `failFirst` deliveries with 503, then 200. */
export class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  private server: http.Server | undefined;
  url = '';

  constructor(private failFirst = 0) {}

  /** From now on, refuse the next `count` deliveries. */
  refuseNext(count: number): void {
    this.failFirst = count;
  }

  async start(): Promise<void> {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const refuse = this.failFirst > 0;
        if (refuse) this.failFirst -= 1;
        const answeredStatus = refuse ? 503 : 200;
        const envelope = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ProviderEnvelope;
        this.received.push({ envelope, answeredStatus });
        response.writeHead(answeredStatus, { 'content-type': 'text/plain' });
        response.end(refuse ? 'busy' : 'OK');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', () => resolve()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
  }

  /** The deliveries the receiver acknowledged. */
  acknowledged(): ProviderEnvelope[] {
    return this.received.filter((delivery) => delivery.answeredStatus === 200).map((delivery) => delivery.envelope);
  }

  /** Waits (bounded) until `count` deliveries were acknowledged. */
  async waitForAcknowledged(count: number, timeoutMs = 15_000): Promise<ProviderEnvelope[]> {
    await waitFor(() => this.acknowledged().length >= count, {
      timeoutMs,
      what: `${count} callbacks acknowledged`,
    });
    return this.acknowledged();
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** A receipt as the platform sees it, with the HTTP status it came with. */
export interface PostedReceipt extends ProviderReceipt {
  status: number;
}

/** The platform's side in a provider's tests: its development key and a private scratch environment. */
export class PlatformSide {
  readonly privateKeyPem: string;

  constructor(readonly environment: TestEnvironment) {
    this.privateKeyPem = resolveKeyPair(environment.config.dataDir, 'platform', {}).privateKeyPem!;
  }

  static create(kind: DatabaseKind): PlatformSide {
    return new PlatformSide(createTestEnvironment(kind));
  }

  sign(messageType: string, data: object, options: { sentAt?: Date } = {}): ProviderEnvelope {
    return signProviderMessage(messageType, data, this.privateKeyPem, options);
  }

  /** POSTs `body` (an envelope, or anything) as JSON and opens the signed receipt. */
  async post(url: string, body: unknown, receiptType: string, providerPublicKeyPem: string): Promise<PostedReceipt> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const receipt = openProviderReceipt(await response.json(), receiptType, providerPublicKeyPem);
    return { ...receipt, status: response.status };
  }
}

/** POSTs `{downForMs}` to a provider's outage switch at `url` (with the operations token if given): the HTTP status. */
export async function switchOutage(url: string, downForMs: unknown, opsToken?: string): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(opsToken === undefined ? {} : { authorization: `Bearer ${opsToken}` }),
    },
    body: JSON.stringify({ downForMs }),
  });
  await response.text();
  return response.status;
}

/** How a provider's harness starts it and speaks to it. */
export interface ProviderUnderTest<P extends RunningProvider, Result> {
  start(env: Record<string, string>): Promise<P>;
  path: string;
  requestType: string;
  receiptType: string;
  /** Opens an acknowledged callback with the provider's key (absent for a provider that calls nothing back). */
  openCallback?(envelope: ProviderEnvelope, providerPublicKeyPem: string): Result;
}

export interface ProviderHarness<P extends RunningProvider, Request, Result> {
  readonly provider: P;
  platform: PlatformSide;
  receiver: CallbackReceiver;
  /** Signs and posts a request; returns the opened receipt. */
  ask(request: Request): Promise<PostedReceipt>;
  /** Posts anything to the provider's request path. */
  post(body: unknown): Promise<PostedReceipt>;
  /** The acknowledged callbacks, opened and verified with the provider's key. */
  results(): Result[];
  /** Stops the provider and starts it again on the same database and keys. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A provider on a private database of `kind`, with a callback receiver that refuses the first `failFirst`. */
export async function startProviderHarness<P extends RunningProvider, Request extends object, Result>(
  kind: DatabaseKind,
  under: ProviderUnderTest<P, Result>,
  options: { failFirst?: number } = {},
): Promise<ProviderHarness<P, Request, Result>> {
  const platform = PlatformSide.create(kind);
  const receiver = new CallbackReceiver(options.failFirst);
  await receiver.start();
  let provider = await under.start(platform.environment.env);
  const harness: ProviderHarness<P, Request, Result> = {
    get provider() {
      return provider;
    },
    platform,
    receiver,
    ask: (request) => harness.post(platform.sign(under.requestType, request)),
    post: (body) => platform.post(`${provider.url}${under.path}`, body, under.receiptType, provider.publicKeyPem),
    results: () =>
      receiver.acknowledged().map((envelope) => {
        assert.ok(under.openCallback, 'this provider calls nothing back');
        return under.openCallback(envelope, provider.publicKeyPem);
      }),
    async restart() {
      await provider.stop();
      provider = await under.start(platform.environment.env);
    },
    async stop() {
      await provider.stop();
      await receiver.stop();
      await platform.environment.cleanup();
    },
  };
  return harness;
}

/** How many requests a provider recorded, by default its callbacks (one per accepted request). */
async function callbacksRecorded(provider: RunningProvider): Promise<number> {
  const counts = await provider.callbackCounts();
  return Object.values(counts).reduce((total, count) => total + count, 0);
}

/**
 * The signing cases every provider must refuse, registered as tests on a fresh harness: a request not
 * in an envelope or with an empty signature, altered data, a foreign key, another message type, a stale
 * instant (each refused with its code and nothing recorded, as `countRecorded` tells) and the same
 * message twice (REPLAYED; asking again takes a new message, which is the same request: same reference).
 */
export function describeSigningRefusals<P extends RunningProvider, Request extends object, Result>(
  name: string,
  skip: string | false,
  start: () => Promise<ProviderHarness<P, Request, Result>>,
  requestOf: (callbackUrl: string) => Request,
  requestType: string,
  countRecorded: (provider: P) => Promise<number> = callbacksRecorded,
): void {
  describe(name, { skip }, () => {
    let harness: ProviderHarness<P, Request, Result>;
    before(async () => {
      harness = await start();
    });
    after(async () => {
      await harness?.stop();
    });

    test('a request that is not a signed envelope is refused BAD_SIGNATURE', async () => {
      const request = requestOf(harness.receiver.url);
      for (const body of [request, { ...harness.platform.sign(requestType, request), signature: '' }, 'not json']) {
        const receipt = await harness.post(body);
        assert.deepEqual([receipt.status, receipt.code, receipt.reference], [401, 'BAD_SIGNATURE', null]);
      }
    });

    test('altered data, a foreign key or another message type is refused BAD_SIGNATURE', async () => {
      const request = requestOf(harness.receiver.url);
      const signed = harness.platform.sign(requestType, request);
      const altered = { ...signed, data: encodeData(JSON.stringify({ ...request, callbackUrl: 'http://evil/' })) };
      const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
        type: 'pkcs8',
        format: 'pem',
      }) as string;
      const foreign = signProviderMessage(requestType, request, foreignKey);
      const otherType = harness.platform.sign(`${requestType}_X`, request);
      for (const body of [altered, foreign, otherType, { ...signed, nonce: `${signed.nonce}Z` }]) {
        const receipt = await harness.post(body);
        assert.deepEqual([receipt.status, receipt.code], [401, 'BAD_SIGNATURE']);
      }
    });

    test('a message signed outside the freshness window is refused STALE', async () => {
      const sentAt = new Date(Date.now() - 2 * MESSAGE_FRESHNESS_MS);
      const receipt = await harness.post(
        harness.platform.sign(requestType, requestOf(harness.receiver.url), { sentAt }),
      );
      assert.deepEqual([receipt.status, receipt.code], [401, 'STALE']);
    });

    test('the same message twice is REPLAYED; a new message for the same request is the same request', async () => {
      const request = requestOf(harness.receiver.url);
      const envelope = harness.platform.sign(requestType, request);
      const first = await harness.post(envelope);
      assert.deepEqual([first.status, first.code], [202, 'ACCEPTED']);
      assert.ok(first.reference);
      const replayed = await harness.post(envelope);
      assert.deepEqual([replayed.status, replayed.code, replayed.reference], [401, 'REPLAYED', null]);
      const again = await harness.ask(request);
      assert.deepEqual([again.status, again.code, again.reference], [202, 'ACCEPTED', first.reference]);
    });

    test('only the accepted request was recorded', async () => {
      assert.equal(await countRecorded(harness.provider), 1, 'the accepted request, once');
    });
  });
}
