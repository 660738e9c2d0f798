// Proves that events survive faults end to end, on real RabbitMQ and MariaDB, with the producer and the
// consumer each their own process running the platform's outbox, relay, AMQP transport and inbox. For
// each fault a steady stream of events goes through the outbox while the fault happens; afterwards
// nothing is lost (every non-poison event has its effect), every effect happened exactly once (one
// business key and one inbox row per event), the outbox is drained (every row SENT, none PENDING or
// DEAD) and the queues are empty:
//   1. broker stop_app / start_app mid-stream      2. all connections force-closed
//   3. broker SIGKILLed and restarted              4. consumer SIGKILLed mid-handler
//   5. relay SIGKILLed between publish and mark-sent: the duplicate it causes is absorbed
//   6. every message delivered twice               7. poison messages reach the dead-letter queue while the rest flow on
// Also: no business transaction writing outbox rows is a deadlock victim of the relay. Per-aggregate order
// of the effects is reported, not asserted: after a redelivery it rests on the broker's return order.
// The broker is a private node on its own ports (harness/private-broker.ts): the shared one is never disturbed.
import { after, before, describe, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createTestEnvironment, servicesUnderTest, waitFor, type TestEnvironment } from '@wanxin/platform/testing';
import {
  ProbeProcess,
  readDeadLetterSequences,
  readProbeLedger,
  readProbeQueues,
  type ProbeLedger,
  type ProbeQueues,
} from '../harness/event-probe';
import { isPoisonSequence } from '../harness/event-probe-main';
import { PrivateBroker, rabbitmqServerInstalled } from '../harness/private-broker';
import { sleep } from '../harness/timing';

/** The private broker node is started from the rabbitmq-server binaries: the shared broker is not enough. */
const skip = servicesUnderTest(
  ['MariaDB'],
  [{ missing: !rabbitmqServerInstalled(), reason: 'rabbitmq-server is not installed' }],
);

/**
 * A twelve-second stream: each rabbitmqctl call takes 1–5 s on a 2-core machine under this load (closing
 * every connection lists them first), and the fault must land mid-stream. At 150 events/s, six seconds,
 * a slow machine's fault struck after the last event.
 */
const EVENTS_PER_SCENARIO = 900;
const RATE_PER_SECOND = 75;
const EVENTS_PER_TRANSACTION = 2;
/** The fault starts once this many events are in the outbox: events flow before, during and after it. */
const FAULT_AT_EVENT = 150;
const POISON_EVERY = 100;
/** How long the broker stays down: the outage is the fault (RabbitMQ has no clock a test could move). */
const BROKER_DOWN_MS = 2_000;
const STREAM_TIMEOUT_MS = 60_000;
const RECONNECT_TIMEOUT_MS = 30_000;
const SETTLE_TIMEOUT_MS = 90_000;
const SETTLE_POLL_MS = 250;
/** A settled state must still hold this much later, so a straggling delivery cannot hide behind it. */
const STABLE_RECHECK_MS = 1_000;

/** Quick retries so a run recovers in seconds; every limit is still set, and none is reached by these faults. */
const PROBE_MESSAGING_ENV: Record<string, string> = {
  OUTBOX_POLL_INTERVAL_MS: '200',
  OUTBOX_RETRY_DELAY_MS: '200',
  OUTBOX_RETRY_DELAY_MAX_MS: '2000',
  // About three minutes of retries before a row is DEAD: far longer than any fault here, so a DEAD row is a bug.
  OUTBOX_ATTEMPTS_MAX: '100',
  // One relay per run: the lease only has to keep a killed relay's rows for a few seconds (fault 5).
  OUTBOX_LEASE_MS: '3000',
  // Each fault returns unacked deliveries once (+1 each); a poison message goes after 5 redeliveries.
  EVENTS_DELIVERY_LIMIT: '5',
};

/** One fault's run: its own databases and broker namespace, and every probe process it started. */
class ScenarioRun {
  readonly producers: ProbeProcess[] = [];
  readonly consumers: ProbeProcess[] = [];
  readonly prefix: string;
  readonly namespace: string;

  constructor(
    readonly broker: PrivateBroker,
    private readonly environment: TestEnvironment,
    index: number,
    readonly poisonEvery: number,
  ) {
    this.prefix = `${environment.env.DATABASE_NAME_PREFIX}_f${index}`;
    this.namespace = `${environment.env.DATABASE_NAME_PREFIX}-f${index}`;
  }

  get producer(): ProbeProcess {
    return this.producers[this.producers.length - 1];
  }

  get consumer(): ProbeProcess {
    return this.consumers[this.consumers.length - 1];
  }

  async startConsumer(extra: Record<string, string> = {}): Promise<ProbeProcess> {
    const consumer = await ProbeProcess.start('consumer', this.env(extra));
    this.consumers.push(consumer);
    return consumer;
  }

  async startProducer(extra: Record<string, string> = {}): Promise<ProbeProcess> {
    const producer = await ProbeProcess.start('producer', this.env(extra));
    this.producers.push(producer);
    return producer;
  }

  /** Events the current producer reported in the outbox (at most one status interval old). */
  inserted(): number {
    return this.producer.status.inserted ?? 0;
  }

  async waitUntilInserted(count: number): Promise<void> {
    await this.producer.waitFor(
      (status) => (status.inserted ?? 0) >= count,
      `${count} events in the outbox`,
      STREAM_TIMEOUT_MS,
    );
  }

  ledger(): Promise<ProbeLedger> {
    return readProbeLedger(this.environment.env.DATABASE_URL, this.prefix);
  }

  queues(): Promise<ProbeQueues> {
    return readProbeQueues(this.broker.url, this.namespace);
  }

  /** Business transactions of the producers that MariaDB rolled back as deadlock victims (retried). */
  deadlocksRetried(): number {
    return this.producers.reduce((sum, producer) => sum + (producer.status.deadlocksRetried ?? 0), 0);
  }

  /** Summed over every consumer process of the run (a SIGKILLed one counts up to its last status line). */
  duplicatesAbsorbed(): number {
    return this.consumers.reduce((sum, consumer) => sum + (consumer.status.duplicates ?? 0), 0);
  }

  /** Stops every probe still running (SIGTERM, so each prints its final counters). */
  async stopAll(): Promise<void> {
    const running = [...this.producers, ...this.consumers].filter((probe) => probe.running);
    const results = await Promise.allSettled(running.map((probe) => probe.stop()));
    const failed = results.find((result) => result.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }

  private env(extra: Record<string, string>): Record<string, string> {
    return {
      ...this.environment.env,
      ...PROBE_MESSAGING_ENV,
      DATABASE_NAME_PREFIX: this.prefix,
      EVENTS_NAMESPACE: this.namespace,
      AMQP_URL: this.broker.url,
      PROBE_EVENTS_TOTAL: String(EVENTS_PER_SCENARIO),
      PROBE_RATE_PER_SECOND: String(RATE_PER_SECOND),
      PROBE_EVENTS_PER_TRANSACTION: String(EVENTS_PER_TRANSACTION),
      PROBE_POISON_EVERY: String(this.poisonEvery),
      ...extra,
    };
  }
}

/** What a fault left as proof that it happened, and how many duplicates it must have caused at least. */
interface Injected {
  evidence: string;
  /** Events in the outbox when the fault struck (0 for a fault present from the first event on). */
  insertedAtFault: number;
  duplicatesAtLeast?: number;
}

interface Scenario {
  fault: string;
  poisonEvery?: number;
  producerEnv?: Record<string, string>;
  consumerEnv?: Record<string, string>;
  /** Injects the fault mid-stream and restarts whatever it killed. */
  inject(run: ScenarioRun): Promise<Injected>;
}

interface Outcome {
  fault: string;
  eventsSent: number;
  lost: number;
  duplicatesAbsorbed: number;
  deadLettered: number;
  orderViolations: number;
  deadlocksRetried: number;
  seconds: number;
  evidence: string;
  /** Where in the stream the fault struck, and how long after the stream everything had settled. */
  phases: string;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function poisonSequences(poisonEvery: number): number[] {
  return Array.from({ length: EVENTS_PER_SCENARIO }, (_, sequence) => sequence).filter((sequence) =>
    isPoisonSequence(sequence, poisonEvery),
  );
}

function isSettled({ ledger, queues }: { ledger: ProbeLedger; queues: ProbeQueues }): boolean {
  return (
    ledger.emissions === EVENTS_PER_SCENARIO &&
    ledger.outbox.pending === 0 &&
    ledger.outbox.sent === ledger.emissions &&
    ledger.missingCount === 0 &&
    ledger.inbox === ledger.effects &&
    queues.ready === 0 &&
    queues.deadLetters === ledger.poisonEmissions
  );
}

/** Polls the databases and the broker until the run is settled and stays so; bounded by SETTLE_TIMEOUT_MS. */
async function waitUntilSettled(run: ScenarioRun): Promise<{ ledger: ProbeLedger; queues: ProbeQueues }> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const state = { ledger: await run.ledger(), queues: await run.queues() };
      last = state;
      if (isSettled(state)) {
        await sleep(STABLE_RECHECK_MS);
        const again = { ledger: await run.ledger(), queues: await run.queues() };
        last = again;
        if (isSettled(again)) return again;
      }
    } catch (error) {
      last = error;
    }
    await sleep(SETTLE_POLL_MS);
  }
  const consumers = run.consumers.map((consumer) => consumer.status);
  throw new Error(
    `not settled after ${SETTLE_TIMEOUT_MS} ms: ${last instanceof Error ? last.message : JSON.stringify(last)}\nconsumers: ${JSON.stringify(consumers)}\nlast consumer output:\n${run.consumer.output.slice(-3000)}\nlast producer output:\n${run.producer.output.slice(-3000)}`,
  );
}

async function runScenario(
  t: TestContext,
  broker: PrivateBroker,
  environment: TestEnvironment,
  index: number,
  scenario: Scenario,
): Promise<Outcome> {
  const poisonEvery = scenario.poisonEvery ?? 0;
  const run = new ScenarioRun(broker, environment, index, poisonEvery);
  const startedAtMs = Date.now();
  try {
    // The consumer first: its queue must be bound before anything is published (publishes are `mandatory`).
    await run.startConsumer(scenario.consumerEnv);
    await run.startProducer(scenario.producerEnv);
    const injected = await scenario.inject(run);
    await run.producer.waitFor((status) => status.done === true, 'whole stream in the outbox', STREAM_TIMEOUT_MS);
    const { ledger, queues } = await waitUntilSettled(run);
    const settledAfterMs = Date.now() - (run.producer.status.insertFinishedAtMs ?? Date.now());
    await run.stopAll();
    const poison = poisonSequences(poisonEvery);
    const outcome: Outcome = {
      fault: scenario.fault,
      eventsSent: ledger.emissions,
      lost: ledger.missingCount,
      duplicatesAbsorbed: run.duplicatesAbsorbed(),
      deadLettered: queues.deadLetters,
      orderViolations: ledger.orderViolations,
      deadlocksRetried: run.deadlocksRetried(),
      seconds: (Date.now() - startedAtMs) / 1000,
      evidence: injected.evidence,
      phases: `fault struck at event ${injected.insertedAtFault} of ${EVENTS_PER_SCENARIO}, all settled ${seconds(settledAfterMs)} after the last event was written`,
    };
    t.diagnostic(formatOutcome(outcome));

    assert.ok(
      injected.insertedAtFault < EVENTS_PER_SCENARIO,
      `the fault struck mid-stream (at event ${injected.insertedAtFault})`,
    );
    assert.equal(ledger.emissions, EVENTS_PER_SCENARIO, 'the whole stream was written');
    assert.deepEqual(
      ledger.outbox,
      { total: EVENTS_PER_SCENARIO, pending: 0, sent: EVENTS_PER_SCENARIO, dead: 0 },
      'outbox drained: every row SENT, none PENDING or DEAD',
    );
    assert.equal(ledger.missingCount, 0, `0 lost: events without effect ${ledger.missingSequences.join(', ')}`);
    assert.equal(ledger.poisonEmissions, poison.length);
    assert.equal(ledger.effects, EVENTS_PER_SCENARIO - poison.length, 'one effect per non-poison event');
    assert.equal(ledger.distinctEffectSequences, ledger.effects, 'no business key twice');
    assert.equal(ledger.unexpectedEffects, 0, 'no effect of a poison or unknown event');
    assert.equal(ledger.inbox, ledger.effects, 'one inbox row per effect');
    assert.equal(queues.ready, 0, 'consumer queue empty');
    assert.equal(queues.deadLetters, poison.length, 'dead-letter queue holds exactly the poison messages');
    if (poison.length > 0) assert.deepEqual(await readDeadLetterSequences(broker.url, run.namespace), poison);
    assert.equal(
      outcome.deadlocksRetried,
      0,
      'no business transaction writing outbox rows was a deadlock victim of the relay',
    );
    assert.ok(
      outcome.duplicatesAbsorbed >= (injected.duplicatesAtLeast ?? 0),
      `the inbox absorbed ${outcome.duplicatesAbsorbed} duplicates, the fault caused at least ${injected.duplicatesAtLeast}`,
    );
    return outcome;
  } finally {
    await run.stopAll().catch(() => undefined);
  }
}

function formatOutcome(outcome: Outcome): string {
  return `${outcome.fault}: ${outcome.eventsSent} sent, ${outcome.lost} lost, ${outcome.duplicatesAbsorbed} duplicates absorbed, ${outcome.deadLettered} dead-lettered, ${outcome.orderViolations} out of order, ${outcome.deadlocksRetried} producer deadlocks retried, ${outcome.seconds.toFixed(1)} s; ${outcome.evidence}; ${outcome.phases}`;
}

/** Waits until as many connections as were force-closed are open again, all of them new. */
async function waitForReconnections(broker: PrivateBroker, closed: ReadonlySet<string>): Promise<number> {
  const startedAtMs = Date.now();
  await waitFor(
    async () => (await broker.connectionNames()).filter((name) => !closed.has(name)).length >= closed.size,
    {
      timeoutMs: RECONNECT_TIMEOUT_MS,
      intervalMs: 100,
      what: `${closed.size} new connections replaced the force-closed ones`,
    },
  );
  return Date.now() - startedAtMs;
}

/** An event of its own aggregate (not a shared one), a third into the stream. */
const HANG_AT_SEQUENCE = Math.floor(EVENTS_PER_SCENARIO / 3) | 1;

const SCENARIOS: Scenario[] = [
  {
    fault: '1. broker stop_app / start_app',
    async inject(run) {
      await run.waitUntilInserted(FAULT_AT_EVENT);
      await run.broker.stopApp();
      const insertedAtFault = run.inserted();
      await sleep(BROKER_DOWN_MS);
      const backlog = (await run.ledger()).outbox.pending;
      await run.broker.startApp();
      assert.ok(backlog > 0, 'events kept entering the outbox while the broker was down');
      return {
        insertedAtFault,
        evidence: `${run.inserted() - insertedAtFault} events written while stopped, ${backlog} pending at start_app`,
      };
    },
  },
  {
    fault: '2. all connections force-closed',
    async inject(run) {
      const closed = new Set(await run.broker.connectionNames());
      assert.ok(closed.size >= 2, `producer and consumer are connected (${closed.size} connections)`);
      await run.waitUntilInserted(FAULT_AT_EVENT);
      await run.broker.closeAllConnections('fault test: every connection force-closed');
      const insertedAtFault = run.inserted();
      const reconnectMs = await waitForReconnections(run.broker, closed);
      return { insertedAtFault, evidence: `${closed.size} connections closed, all back within ${reconnectMs} ms` };
    },
  },
  {
    fault: '3. broker SIGKILLed and restarted',
    async inject(run) {
      await run.waitUntilInserted(FAULT_AT_EVENT);
      await run.broker.kill9();
      const insertedAtFault = run.inserted();
      await sleep(BROKER_DOWN_MS);
      const backlog = (await run.ledger()).outbox.pending;
      await run.broker.restart();
      assert.ok(backlog > 0, 'events kept entering the outbox while the broker was dead');
      return { insertedAtFault, evidence: `${backlog} pending when the node came back` };
    },
  },
  {
    fault: '4. consumer SIGKILLed mid-handler',
    consumerEnv: { PROBE_HANDLER_DELAY_MS: '20', PROBE_HANG_AT_SEQUENCE: String(HANG_AT_SEQUENCE) },
    async inject(run) {
      const hanging = await run.consumer.waitFor(
        (status) => status.hanging === HANG_AT_SEQUENCE,
        `handler of event ${HANG_AT_SEQUENCE} inside its transaction`,
        STREAM_TIMEOUT_MS,
      );
      await run.consumer.kill9();
      const insertedAtFault = run.inserted();
      await run.startConsumer({ PROBE_HANDLER_DELAY_MS: '20' });
      return {
        insertedAtFault,
        evidence: `killed with ${hanging.inFlight ?? 0} handlers in flight, event ${HANG_AT_SEQUENCE}'s effect written but uncommitted`,
      };
    },
  },
  {
    fault: '5. relay SIGKILLed between publish and mark-sent',
    producerEnv: { PROBE_FAULT: 'kill-after-confirm', PROBE_FAULT_AFTER_MESSAGES: String(FAULT_AT_EVENT) },
    async inject(run) {
      const killed = run.producer;
      const { code, signal } = await killed.waitForExit(STREAM_TIMEOUT_MS);
      assert.equal(
        signal,
        'SIGKILL',
        `the producer killed itself after a confirm (it exited with ${code}):\n${killed.output}`,
      );
      const confirmedUnmarked = killed.status.confirmedUnmarked ?? 0;
      assert.ok(confirmedUnmarked > 0, 'the broker had confirmed messages the relay never marked');
      const pendingAtKill = (await run.ledger()).outbox.pending;
      assert.ok(pendingAtKill >= confirmedUnmarked, 'the confirmed rows are still PENDING');
      // Resumes the stream at the next sequence number; the killed relay's rows go again once their lease ends.
      await run.startProducer();
      return {
        insertedAtFault: killed.status.inserted ?? 0,
        evidence: `killed with ${confirmedUnmarked} broker-confirmed rows still PENDING, published again after restart`,
        duplicatesAtLeast: confirmedUnmarked,
      };
    },
  },
  {
    fault: '6. every message delivered twice',
    producerEnv: { PROBE_FAULT: 'publish-twice' },
    async inject() {
      return {
        insertedAtFault: 0,
        evidence: 'every message published twice with the same messageId',
        duplicatesAtLeast: EVENTS_PER_SCENARIO,
      };
    },
  },
  {
    fault: '7. poison messages dead-lettered',
    poisonEvery: POISON_EVERY,
    async inject() {
      return { insertedAtFault: 0, evidence: `the handler of every ${POISON_EVERY}th event always throws` };
    },
  },
];

describe(
  'events survive faults: outbox → RabbitMQ → inbox (private broker node, MariaDB, every probe its own process)',
  { skip },
  () => {
    let broker: PrivateBroker | undefined;
    let environment: TestEnvironment | undefined;
    const outcomes: Outcome[] = [];

    before(async () => {
      broker = await PrivateBroker.start();
      environment = createTestEnvironment('mysql');
    });
    after(async () => {
      await broker?.stop();
      await environment?.cleanup();
    });

    for (const [index, scenario] of SCENARIOS.entries()) {
      test(`${scenario.fault}: 0 lost, effects exactly once, outbox drained, queues empty`, async (t) => {
        outcomes.push(await runScenario(t, broker!, environment!, index + 1, scenario));
      });
    }

    test('summary: every fault ran and none lost an event', (t) => {
      const header = [
        'fault',
        'sent',
        'lost',
        'duplicates absorbed',
        'dead-lettered',
        'out of order',
        'deadlocks retried',
        'seconds',
      ];
      const rows = outcomes.map((outcome) =>
        [
          outcome.fault,
          outcome.eventsSent,
          outcome.lost,
          outcome.duplicatesAbsorbed,
          outcome.deadLettered,
          outcome.orderViolations,
          outcome.deadlocksRetried,
          outcome.seconds.toFixed(1),
        ].map(String),
      );
      const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
      for (const row of [header, ...rows])
        t.diagnostic(
          row
            .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
            .join('  '),
        );
      assert.equal(outcomes.length, SCENARIOS.length, 'every fault scenario completed');
      assert.deepEqual(
        outcomes.map((outcome) => outcome.lost),
        SCENARIOS.map(() => 0),
      );
    });
  },
);
