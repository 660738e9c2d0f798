import type { ExecutionResult } from 'graphql';
import { assert } from '@wanxin/platform';

/**
 * One subscriber's results on their way to its socket. graphql-ws pulls the next result only once the
 * previous one was written out, so a client that cannot keep up leaves results waiting here: past
 * `waitingMax` the stream ends and `onOverflow` drops the client, instead of memory growing without bound.
 */
export class SubscriberStream implements AsyncGenerator<ExecutionResult, undefined> {
  private readonly waiting: ExecutionResult[] = [];
  private pull: ((result: IteratorResult<ExecutionResult, undefined>) => void) | undefined;
  private ended = false;

  constructor(
    private readonly waitingMax: number,
    private readonly onOverflow: () => void,
    private readonly onEnd: () => void,
  ) {
    assert(waitingMax >= 1, 'a subscriber buffers at least one result');
  }

  /** Hands a result to the subscriber; false when it was dropped for falling behind (or had ended). */
  push(result: ExecutionResult): boolean {
    if (this.ended) return false;
    if (this.pull !== undefined) {
      const pull = this.pull;
      this.pull = undefined;
      pull({ value: result, done: false });
      return true;
    }
    if (this.waiting.length >= this.waitingMax) {
      void this.return();
      this.onOverflow();
      return false;
    }
    this.waiting.push(result);
    return true;
  }

  next(): Promise<IteratorResult<ExecutionResult, undefined>> {
    const result = this.waiting.shift();
    if (result !== undefined) return Promise.resolve({ value: result, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    assert(this.pull === undefined, 'one pull at a time');
    return new Promise((resolve) => {
      this.pull = resolve;
    });
  }

  /** Ends the stream (client completed, socket closed, or overflow); idempotent. */
  async return(): Promise<IteratorResult<ExecutionResult, undefined>> {
    if (!this.ended) {
      this.ended = true;
      this.waiting.length = 0;
      this.pull?.({ value: undefined, done: true });
      this.pull = undefined;
      this.onEnd();
    }
    return { value: undefined, done: true };
  }

  throw(): Promise<IteratorResult<ExecutionResult, undefined>> {
    return this.return();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
