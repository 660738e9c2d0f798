// Proves GroupCommit: a lone item runs at once in a group of its own; items offered while the allowed
// groups run wait and go together in the next group, each getting its own result in order; groups are
// cut at itemsPerGroupMax; offerAll keeps items together; a group whose run throws rejects every item of
// it and the next group still runs; past waitingMax nothing is taken; with startAfterTurn, the items offered
// in one event-loop turn (callers a committed group released together) share a group.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GroupCommit, type GroupCommitLimits } from '../src';

/** A GroupCommit whose groups wait until the test releases them; `groups` records what each one held. */
function heldGroups(limits: GroupCommitLimits) {
  const groups: { items: number[]; release: (fail?: Error) => void }[] = [];
  const commit = new GroupCommit<number, string>(
    (items) =>
      new Promise((resolve, reject) =>
        groups.push({
          items,
          release: (fail) => (fail === undefined ? resolve(items.map((item) => `done ${item}`)) : reject(fail)),
        }),
      ),
    limits,
  );
  return { commit, groups };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

test('a lone item runs at once; items offered meanwhile go together next, each with its own result', async () => {
  const { commit, groups } = heldGroups({ groupsInFlightMax: 1, itemsPerGroupMax: 3, waitingMax: 10 });
  const first = commit.offer(1)!;
  assert.deepEqual(
    groups.map((group) => group.items),
    [[1]],
  );
  const waiting = [2, 3, 4, 5].map((item) => commit.offer(item)!);
  await settle();
  assert.equal(groups.length, 1, 'nothing more runs while the one allowed group runs');
  groups[0].release();
  assert.equal(await first, 'done 1');
  await settle();
  assert.deepEqual(
    groups.map((group) => group.items),
    [[1], [2, 3, 4]],
    'the waiting items go together, cut at 3',
  );
  groups[1].release();
  await settle();
  assert.deepEqual(groups[2].items, [5]);
  groups[2].release();
  assert.deepEqual(await Promise.all(waiting), ['done 2', 'done 3', 'done 4', 'done 5']);
});

test('offerAll keeps items together; a failed group rejects its items and the next still runs; past the bound nothing is taken', async () => {
  const { commit, groups } = heldGroups({ groupsInFlightMax: 2, itemsPerGroupMax: 5, waitingMax: 5 });
  const together = commit.offerAll([1, 2, 3])!;
  assert.deepEqual(
    groups.map((group) => group.items),
    [[1, 2, 3]],
    'one group, not a lone first item',
  );
  const second = commit.offer(4)!;
  assert.equal(groups.length, 2, 'a second group may run alongside');
  const queued = commit.offerAll([5, 6, 7, 8, 9])!;
  assert.equal(commit.offer(10), undefined, 'five already wait');
  assert.equal(commit.offerAll([10]), undefined);
  groups[0].release(new Error('deadlock'));
  for (const item of together) await assert.rejects(item, /deadlock/);
  await settle();
  assert.deepEqual(groups[2].items, [5, 6, 7, 8, 9]);
  groups[1].release();
  groups[2].release();
  assert.equal(await second, 'done 4');
  assert.deepEqual(await Promise.all(queued), ['done 5', 'done 6', 'done 7', 'done 8', 'done 9']);
});

test('with startAfterTurn the items of one turn share a group, the first does not leave alone', async () => {
  const { commit, groups } = heldGroups({
    groupsInFlightMax: 1,
    itemsPerGroupMax: 10,
    waitingMax: 10,
    startAfterTurn: true,
  });
  const first = [1, 2, 3].map((item) => commit.offer(item)!);
  assert.equal(groups.length, 0, 'nothing starts before the turn ends');
  await settle();
  assert.deepEqual(
    groups.map((group) => group.items),
    [[1, 2, 3]],
  );
  // The callers the group releases come back in the same turn, as writers do after their commit.
  const second = first.map((result, index) => result.then(() => commit.offer(4 + index)!));
  groups[0].release();
  await Promise.all(first);
  await settle();
  assert.deepEqual(
    groups.map((group) => group.items),
    [
      [1, 2, 3],
      [4, 5, 6],
    ],
  );
  groups[1].release();
  assert.deepEqual(await Promise.all(second), ['done 4', 'done 5', 'done 6']);
});
