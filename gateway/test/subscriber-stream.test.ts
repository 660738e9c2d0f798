// Proves a subscriber's buffer is bounded: results wait in order for a slow reader up to the bound; one
// more drops the subscriber (the gateway then closes its socket with 4413) and frees what was waiting;
// ending the stream leaves its group once, however it ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SubscriberStream } from '../src/subscriptions/subscriber-stream';

const result = (n: number) => ({ data: { n } });

test('results wait in order up to the bound and are read in that order', async () => {
  const stream = new SubscriberStream(3, () => assert.fail('not overflowed'), () => undefined);
  for (const n of [1, 2, 3]) assert.equal(stream.push(result(n)), true);
  for (const n of [1, 2, 3]) assert.deepEqual(await stream.next(), { value: result(n), done: false });
});

test('a reader already waiting gets the next result directly', async () => {
  const stream = new SubscriberStream(1, () => assert.fail('not overflowed'), () => undefined);
  const pending = stream.next();
  assert.equal(stream.push(result(1)), true);
  assert.equal(stream.push(result(2)), true, 'the bound counts only results left waiting');
  assert.deepEqual(await pending, { value: result(1), done: false });
});

test('one result past the bound drops the subscriber and ends the stream once', async () => {
  let overflows = 0;
  let ends = 0;
  const stream = new SubscriberStream(2, () => (overflows += 1), () => (ends += 1));
  stream.push(result(1));
  stream.push(result(2));
  assert.equal(stream.push(result(3)), false);
  assert.equal(stream.push(result(4)), false, 'nothing more is taken');
  assert.deepEqual(await stream.next(), { value: undefined, done: true }, 'what waited is freed');
  await stream.return();
  assert.deepEqual([overflows, ends], [1, 1]);
});

test('return() ends a reader that waits', async () => {
  let ends = 0;
  const stream = new SubscriberStream(2, () => assert.fail('not overflowed'), () => (ends += 1));
  const pending = stream.next();
  await stream.return();
  assert.deepEqual(await pending, { value: undefined, done: true });
  await stream.return();
  assert.equal(ends, 1);
});
