import assert from 'node:assert/strict';
import { it } from 'node:test';

/**
 * A lifecycle's one transition function (style §4) and the moves a test says it allows: from a status, by
 * an action, to a status. Every (status, action) pair not listed must be refused (null).
 */
export interface TransitionTable<Status extends string, Action extends string> {
  statuses: readonly Status[];
  actions: readonly Action[];
  next(status: Status, action: Action): Status | null;
  allowed: readonly Transition<Status, Action>[];
}

/** One allowed move: from a status, by an action, to a status. */
export type Transition<Status extends string, Action extends string> = readonly [Status, Action, Status];

/** The (status, action) pairs the table does not allow, in the order of its lists. */
export function refusedPairs<Status extends string, Action extends string>(
  table: TransitionTable<Status, Action>,
): (readonly [Status, Action])[] {
  const pairs = table.statuses.flatMap((status) => table.actions.map((action) => [status, action] as const));
  return pairs.filter(([status, action]) => !table.allowed.some(([from, by]) => from === status && by === action));
}

/** Registers, in the enclosing suite, the two tests every lifecycle has: its listed moves, and no other. */
export function itFollowsTransitionTable<Status extends string, Action extends string>(
  table: TransitionTable<Status, Action>,
): void {
  it('allows exactly the transitions of the lifecycle', () => {
    for (const [from, action, to] of table.allowed) assert.equal(table.next(from, action), to, `${from} ${action}`);
  });

  it('refuses every other (status, action) pair', () => {
    const refused = refusedPairs(table);
    for (const [status, action] of refused) assert.equal(table.next(status, action), null, `${status} ${action}`);
    assert.equal(refused.length, table.statuses.length * table.actions.length - table.allowed.length);
  });
}
