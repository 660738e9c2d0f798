// For the integration tests of every consumer of `repayments.business-date.advanced` (depository's and
// loans'): the event exactly as repayments' runDailyJobs publishes it, handed to the subgraphs started in
// this process through their shared in-process transport, so each one's inbox and subscription run as in
// production. Without RabbitMQ: the transport is not what these tests are about.
import assert from 'node:assert/strict';
import {
  createLogger,
  embeddedTransport,
  forkEntityManager,
  InboxMessage,
  newId,
  type Database,
} from '@wanxin/platform';

export const BUSINESS_DATE_ADVANCED = 'repayments.business-date.advanced';
const MILLISECONDS_PER_DAY = 86_400_000;

/** The UTC calendar date `days` days after the instant `ms` (negative: before). */
export function dateAfter(ms: number, days: number): string {
  return new Date(ms + days * MILLISECONDS_PER_DAY).toISOString().slice(0, 10);
}

/** Publishes the day (as message `messageId`) and returns once every bound consumer has committed it. */
export async function deliverBusinessDate(date: string, messageId = newId()): Promise<string> {
  const envelope = {
    id: messageId,
    type: BUSINESS_DATE_ADVANCED,
    version: 1,
    occurredAt: new Date().toISOString(),
    aggregateId: 'business-date',
    payload: { date },
  };
  const transport = embeddedTransport(createLogger('test', 'warn'));
  const [outcome] = await transport.publish([
    { messageId, routingKey: BUSINESS_DATE_ADVANCED, body: Buffer.from(JSON.stringify(envelope)) },
  ]);
  assert.ok(outcome.confirmed, `${BUSINESS_DATE_ADVANCED} ${date} was not taken: ${JSON.stringify(outcome)}`);
  assert.equal(
    transport.deadLetters.filter((dead) => dead.message.messageId === messageId).length,
    0,
    `${date} was dead-lettered`,
  );
  return messageId;
}

/**
 * Delivers `date` as one message twice and then as a second message, and checks that the inbox of
 * `consumer` ("<subgraph>.<subscription>") absorbed the duplicate and handled the second message. What
 * the day then did once is the caller's to check.
 */
export async function deliverBusinessDateAgain(orm: Database, consumer: string, date: string): Promise<void> {
  const messageId = await deliverBusinessDate(date);
  await deliverBusinessDate(date, messageId);
  const announcedAgain = await deliverBusinessDate(date);
  assert.equal(
    await forkEntityManager(orm).count(InboxMessage, { consumer, messageId }),
    1,
    'the duplicate delivery was absorbed by the inbox',
  );
  assert.equal(
    await forkEntityManager(orm).count(InboxMessage, { consumer, messageId: announcedAgain }),
    1,
    'the second message was handled',
  );
}
