// Proves WakeLoop's gathering: a wake after a quiet spell runs a pass at once; wakes during a pass ask for
// one more pass, which starts `gatherMs` after that pass ended, and wakes while it gathers add no pass;
// with gatherMs 0 the next pass follows at once. The clock is node:test's mock, so nothing here is timed.
import { afterEach, beforeEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { WakeLoop } from '../src';

/** A loop whose passes wait until the test ends them; `passes` counts those started. */
function heldLoop(gatherMs: number) {
  const ends: (() => void)[] = [];
  const loop = new WakeLoop(
    () => new Promise<void>((resolve) => ends.push(resolve)),
    1_000,
    (error) => assert.fail(String(error)),
    gatherMs,
  );
  return { loop, ends };
}

/** Lets settled promises run their continuations. */
const flush = async () => {
  for (let turn = 0; turn < 5; turn += 1) await Promise.resolve();
};

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

test('wakes during a pass give one more pass, gatherMs after it; a wake after quiet runs at once', async () => {
  const { loop, ends } = heldLoop(10);
  loop.wake();
  assert.equal(ends.length, 1, 'a wake after quiet runs at once');
  loop.wake();
  loop.wake();
  ends[0]();
  await flush();
  assert.equal(ends.length, 1, 'the next pass gathers first');
  mock.timers.tick(9);
  loop.wake();
  assert.equal(ends.length, 1, 'a wake while gathering adds no pass');
  mock.timers.tick(1);
  assert.equal(ends.length, 2, 'one pass for every wake of the pass and of the gathering');
  ends[1]();
  await flush();
  mock.timers.tick(10);
  assert.equal(ends.length, 2, 'no wake during the pass: back to the poll');
  mock.timers.tick(990);
  assert.equal(ends.length, 3, 'the poll');
  ends[2]();
  await flush();
  await loop.stop();
});

test('with gatherMs 0 the pass asked for during a pass follows at once', async () => {
  const { loop, ends } = heldLoop(0);
  loop.wake();
  loop.wake();
  ends[0]();
  await flush();
  assert.equal(ends.length, 2);
  ends[1]();
  await flush();
  await loop.stop();
});
