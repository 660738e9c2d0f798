// Shared by the provider simulators' tests: a callback receiver that plays the platform's endpoint, and
// the platform's side of a request (signed with the development platform key, posted, receipt opened).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolveKeyPair, type DatabaseKind } from '@wanxin/platform';
import type { RunningProvider } from './provider';
import { createTestEnvironment, waitFor, type TestEnvironment } from '@wanxin/platform/testing';
import {
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

/** How a provider's harness starts it and speaks to it. */
export interface ProviderUnderTest<P extends RunningProvider, Result> {
  start(env: Record<string, string>): Promise<P>;
  path: string;
  requestType: string;
  receiptType: string;
  /** Opens an acknowledged callback with the provider's key. */
  openCallback(envelope: ProviderEnvelope, providerPublicKeyPem: string): Result;
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
    results: () => receiver.acknowledged().map((envelope) => under.openCallback(envelope, provider.publicKeyPem)),
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
