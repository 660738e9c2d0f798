// Proves CoalescingBankClient's group commit against a stand-in for the agent's /internal/bank/batch that
// holds every batch until the test releases it: a lone call leaves at once in a batch of its own; calls
// made while the allowed batches are out wait and leave together, each getting its own item's outcome;
// twins with one requestNo share one item; a batch the agent does not answer is UNKNOWN for every call in
// it; past the queue's bound a call is UNKNOWN at once. (The real agent and bank are in the depository
// and bids suites.)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  BANK_BATCH_MAX,
  CoalescingBankClient,
  COALESCING_QUEUE_MAX,
  listenHttp,
  readBody,
  type BankOutcome,
} from '../src';
import { waitFor } from '../src/testing';
import { BANK_CODES } from '../src/bank-protocol';

interface HeldBatch {
  requestNos: string[];
  answer(status?: number): void;
}

let held: HeldBatch[] = [];
let server: Awaited<ReturnType<typeof listenHttp>>;

before(async () => {
  server = await listenHttp(
    (request: IncomingMessage, response: ServerResponse) => {
      void readBody(request).then((text) => {
        const { items } = JSON.parse(text) as { items: { reqData: { requestNo: string; amountFen: string } }[] };
        held.push({
          requestNos: items.map((item) => item.reqData.requestNo),
          answer(status = 200) {
            response.writeHead(status, { 'content-type': 'application/json' });
            // An amount of "0" stands for a refusal, anything else for a freeze done.
            response.end(
              JSON.stringify({
                results: items.map(({ reqData }) => ({
                  requestNo: reqData.requestNo,
                  code: reqData.amountFen === '0' ? BANK_CODES.ACCOUNT_BALANCE_TOO_LOW : BANK_CODES.SUCCESS,
                  message: 'stand-in',
                })),
              }),
            );
          },
        });
      });
    },
    '127.0.0.1',
    0,
  );
});
after(() => server.close());

const batchesHeld = (count: number) =>
  waitFor(() => held.length === count, { timeoutMs: 5_000, what: `the stand-in agent holds ${count} batch(es)` });

const freeze = (client: CoalescingBankClient, requestNo: string, amountFen = '100') =>
  client.instruct('USER_AUTO_PRE_TRANSACTION', {
    requestNo,
    userNo: 'U1',
    projectNo: 'P1',
    bizType: 'TENDER',
    amountFen,
  });

test('a lone call leaves at once; calls made while the batches are out leave together, each with its own outcome', async () => {
  held = [];
  const client = new CoalescingBankClient(server.url, 'secret', 5_000, 1);
  const first = freeze(client, 'R1');
  await batchesHeld(1);
  assert.deepEqual(held[0].requestNos, ['R1']);
  const waiting = [freeze(client, 'R2'), freeze(client, 'R3', '0'), freeze(client, 'R4')];
  const twin = freeze(client, 'R2');
  // An absence has no state to wait for (the client shows no queue): a short look for a batch that must not leave.
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(held.length, 1, 'nothing more leaves while the one allowed batch is out');
  held[0].answer();
  assert.equal((await first).kind, 'DONE');
  await batchesHeld(2);
  assert.deepEqual(held[1].requestNos, ['R2', 'R3', 'R4'], 'the waiting calls leave in one batch, the twin sharing R2');
  held[1].answer();
  const outcomes: BankOutcome[] = await Promise.all([...waiting, twin]);
  assert.deepEqual(
    outcomes.map((outcome) => outcome.kind),
    ['DONE', 'REFUSED', 'DONE', 'DONE'],
  );
});

test('a batch the agent does not answer is UNKNOWN for every call in it; past the bound a call is UNKNOWN at once', async () => {
  held = [];
  const client = new CoalescingBankClient(server.url, 'secret', 5_000, 1);
  const blocker = freeze(client, 'B0');
  await batchesHeld(1);
  const queued = Array.from({ length: COALESCING_QUEUE_MAX }, (_, index) => freeze(client, `Q${index}`));
  const overflow = await freeze(client, 'OVER');
  assert.equal(overflow.kind, 'UNKNOWN');
  held[0].answer(503);
  assert.equal((await blocker).kind, 'UNKNOWN');
  for (let sent = 1; sent <= COALESCING_QUEUE_MAX / BANK_BATCH_MAX; sent += 1) {
    await batchesHeld(sent + 1);
    assert.equal(held[sent].requestNos.length, BANK_BATCH_MAX, 'waiting calls leave in full batches');
    held[sent].answer();
  }
  assert.ok((await Promise.all(queued)).every((outcome) => outcome.kind === 'DONE'));
});
