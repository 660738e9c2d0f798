import { assert } from './assert';

/**
 * Runs a pass of background work soon after each `wake()`, and every `pollIntervalMs` otherwise.
 * Passes never overlap: a wake during a pass asks for one more pass after it, `gatherMs` after it (0: at
 * once), so that under a steady stream of wakes each pass takes what `gatherMs` more brought instead of
 * a few items each; a wake after a quiet spell still runs at once. Used by the outbox relay and the bank's
 * notification worker.
 */
export class WakeLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wakeRequested = false;
  /** A pass is due `gatherMs` after the last one: wakes meanwhile are already answered by it. */
  private gathering = false;
  private stopped = false;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly pollIntervalMs: number,
    private readonly onError: (error: unknown) => void,
    private readonly gatherMs = 0,
  ) {
    assert(pollIntervalMs > 0, 'the poll interval must be positive');
    assert(gatherMs >= 0 && gatherMs <= pollIntervalMs, `the gather time ${gatherMs} ms is outside 0..poll interval`);
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  wake(): void {
    if (this.stopped || this.gathering) return;
    if (this.running !== undefined) {
      this.wakeRequested = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.pass()
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        if (this.wakeRequested) {
          this.wakeRequested = false;
          this.wakeAfterGathering();
        } else {
          this.timer = setTimeout(() => this.wake(), this.pollIntervalMs);
        }
      });
  }

  private wakeAfterGathering(): void {
    if (this.gatherMs === 0) return this.wake();
    this.gathering = true;
    this.timer = setTimeout(() => {
      this.gathering = false;
      this.wake();
    }, this.gatherMs);
  }

  /** No more passes; resolves when the one in progress (if any) has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}

/**
 * A subgraph's background job: `pass` at once, then every `pollIntervalMs` and soon after each wake; a pass
 * that reports more waiting (`true`: a full batch) is followed by another at once. The loop is the job
 * (`stop()`) and what other code wakes.
 */
export function startPassLoop(
  pass: () => Promise<boolean>,
  pollIntervalMs: number,
  onError: (error: unknown) => void,
): WakeLoop {
  const loop: WakeLoop = new WakeLoop(
    async () => {
      if (await pass()) loop.wake();
    },
    pollIntervalMs,
    onError,
  );
  loop.wake();
  return loop;
}
