import { assert } from '@wanxin/platform';

/** Where a subscriber's frames go: its WebSocket, and how many bytes wait there unwritten. */
export interface SubscriberChannel {
  send(text: string): void;
  bufferedBytes(): number;
}

/**
 * One subscriber's end of its group. The group serializes each result once; `deliver` wraps it in this
 * subscriber's `next` frame and writes it straight to the socket, so a fan-out to thousands costs one
 * JSON.stringify, not one per subscriber. A client that cannot keep up leaves bytes waiting in its
 * socket: past `bufferBytesMax` the subscriber is dropped (`onOverflow` closes the socket) instead of
 * memory growing without bound.
 *
 * To graphql-ws it is the subscription's async iterator: it yields nothing (frames bypass it) and ends
 * when the client completes, the socket closes, or the subscriber is dropped.
 */
export class SubscriberStream implements AsyncGenerator<never, undefined> {
  private readonly frameStart: string;
  private ended = false;
  private wake: (() => void) | undefined;

  constructor(
    private readonly channel: SubscriberChannel,
    subscriptionId: string,
    private readonly bufferBytesMax: number,
    private readonly onOverflow: () => void,
    private readonly onEnd: () => void,
  ) {
    assert(bufferBytesMax >= 1, 'a subscriber buffers at least one byte');
    this.frameStart = `{"id":${JSON.stringify(subscriptionId)},"type":"next","payload":`;
  }

  /** Sends one serialized result; false when the subscriber had ended or was just dropped for falling behind. */
  deliver(resultJson: string): boolean {
    if (this.ended) return false;
    if (this.channel.bufferedBytes() > this.bufferBytesMax) {
      void this.return();
      this.onOverflow();
      return false;
    }
    this.channel.send(`${this.frameStart}${resultJson}}`);
    return true;
  }

  next(): Promise<IteratorResult<never, undefined>> {
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    assert(this.wake === undefined, 'one pull at a time');
    return new Promise((resolve) => {
      this.wake = () => resolve({ value: undefined, done: true });
    });
  }

  /** Ends the subscription (client completed, socket closed, or dropped); idempotent. */
  async return(): Promise<IteratorResult<never, undefined>> {
    if (!this.ended) {
      this.ended = true;
      this.wake?.();
      this.wake = undefined;
      this.onEnd();
    }
    return { value: undefined, done: true };
  }

  throw(): Promise<IteratorResult<never, undefined>> {
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
