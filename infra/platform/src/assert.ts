/** Thrown when an invariant is broken: a bug, never a user error. */
export class AssertionError extends Error {
  override name = 'AssertionError';
}

/** Guards an invariant. A broken invariant is a crash with a clear message, never a wrong number. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new AssertionError(message);
}

/** Ends every `switch` over a union: the compiler proves the default is unreachable. */
export function unreachable(value: never, what: string): never {
  throw new AssertionError(`unreachable ${what}: ${String(value)}`);
}
