import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { eventually } from '@wanxin/platform/testing';

/** What a subscription saw: every payload in order, the errors that ended it, how its socket closed. */
export interface Watched<T> {
  events: T[];
  errors: readonly { message: string; extensions?: { code?: string } }[] | undefined;
  completed: boolean;
  closeCode: number | undefined;
  stop(): void;
}

/** A graphql-ws client on the gateway's `/graphql` (ws://), signed in with `token` when given; no reconnection. */
export function connectSubscriptions(httpUrl: string, token?: string): { client: Client; closeCodes: number[] } {
  const closeCodes: number[] = [];
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token === undefined ? {} : { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
    on: { closed: (event) => closeCodes.push((event as { code: number }).code) },
  });
  return { client, closeCodes };
}

/** Subscribes and records what arrives; `field` is the subscription field whose payloads are kept. */
export function watch<T>(
  client: Client,
  field: string,
  query: string,
  variables: Record<string, unknown> = {},
): Watched<T> {
  const watched: Watched<T> = {
    events: [],
    errors: undefined,
    completed: false,
    closeCode: undefined,
    stop: () => undefined,
  };
  watched.stop = client.subscribe<Record<string, T>>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors !== undefined) watched.errors = result.errors as Watched<T>['errors'];
        if (result.data?.[field] !== undefined) watched.events.push(result.data[field]);
      },
      error: (error) => {
        if (Array.isArray(error)) watched.errors = error;
        else watched.closeCode = (error as { code?: number }).code;
      },
      complete: () => {
        watched.completed = true;
      },
    },
  );
  return watched;
}

/** A counter or gauge from a gateway's `/metrics` (0 when absent). */
export async function gatewayMetric(httpUrl: string, name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', httpUrl))).text();
  const line = text
    .split('\n')
    .find((candidate) => candidate.startsWith(`${name}{`) || candidate.startsWith(`${name} `));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Waits until the gateway has registered `count` subscriptions: events after this reach them. */
export async function subscribed(httpUrl: string, count: number): Promise<void> {
  await eventually(async () =>
    (await gatewayMetric(httpUrl, 'wanxin_subscription_subscribers')) >= count ? true : undefined,
  );
}
