// Proves a subscriber's buffer is bounded: each result goes out as the subscriber's own `next` frame
// around the group's one serialization; while the socket has more than the bound waiting unsent, the
// next result drops the subscriber (the gateway then closes the socket with 4413) instead of queueing;
// however the stream ends, it leaves its group once and graphql-ws's pull ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SubscriberStream } from '../src/subscriptions/subscriber-stream';

/** A socket stand-in that records frames and reports as waiting whatever the test says. */
function channel() {
  const sent: string[] = [];
  const state = { waitingBytes: 0 };
  return { sent, state, send: (text: string) => sent.push(text), bufferedBytes: () => state.waitingBytes };
}

test("each result is sent as this subscriber's next frame, in order", () => {
  const socket = channel();
  const stream = new SubscriberStream(
    socket,
    'sub-1',
    1024,
    () => assert.fail('not overflowed'),
    () => undefined,
  );
  assert.equal(stream.deliver('{"data":{"n":1}}'), true);
  assert.equal(stream.deliver('{"data":{"n":2}}'), true);
  assert.deepEqual(
    socket.sent.map((frame) => JSON.parse(frame)),
    [
      { id: 'sub-1', type: 'next', payload: { data: { n: 1 } } },
      { id: 'sub-1', type: 'next', payload: { data: { n: 2 } } },
    ],
  );
});

test('a socket with more than the bound waiting drops the subscriber once; nothing more is sent', async () => {
  const socket = channel();
  let overflows = 0;
  let ends = 0;
  const stream = new SubscriberStream(
    socket,
    'sub-2',
    1024,
    () => (overflows += 1),
    () => (ends += 1),
  );
  socket.state.waitingBytes = 1024;
  assert.equal(stream.deliver('{"data":{}}'), true, 'at the bound is still within it');
  socket.state.waitingBytes = 1025;
  assert.equal(stream.deliver('{"data":{}}'), false);
  assert.equal(stream.deliver('{"data":{}}'), false);
  assert.deepEqual(await stream.next(), { value: undefined, done: true });
  await stream.return();
  assert.deepEqual([socket.sent.length, overflows, ends], [1, 1, 1]);
});

test("return() ends graphql-ws's waiting pull and leaves the group once", async () => {
  let ends = 0;
  const stream = new SubscriberStream(
    channel(),
    'sub-3',
    1024,
    () => assert.fail('not overflowed'),
    () => (ends += 1),
  );
  const pending = stream.next();
  await stream.return();
  assert.deepEqual(await pending, { value: undefined, done: true });
  await stream.return();
  assert.equal(ends, 1);
});
