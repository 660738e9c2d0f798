/** How long a wait may last and what it waits for: the failure names it. */
export interface WaitOptions {
  timeoutMs: number;
  /** What the condition means, e.g. "the dead letter is in its queue". */
  what: string;
  intervalMs?: number;
}

const WAIT_INTERVAL_MS = 20;

/**
 * Polls `condition` until it holds: a test waits for the observable state it means, never for a fixed
 * time. Fails with `what` once `timeoutMs` passed (an error the condition threw is kept as the cause).
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await condition()) return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError === undefined ? '' : ` (last error: ${String(lastError)})`;
      throw new Error(`timed out after ${options.timeoutMs} ms waiting until ${options.what}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? WAIT_INTERVAL_MS));
  }
}
