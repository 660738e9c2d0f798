// Drives event-probe-main.js processes (producer and consumer of a probe event stream on the real
// platform code) from fault tests and the benchmark, and reads back what they left: the producer's
// emissions and outbox, the consumer's effects and inbox on MariaDB, the queues on RabbitMQ.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import amqp from 'amqplib';
import mysql from 'mysql2/promise';
import { brokerNames } from '@wanxin/platform';
import { PROBE_CONSUMER, PROBE_PRODUCER } from './event-probe-main';
import { REPOSITORY_ROOT } from './processes';
import { sleep, withinMs } from './timing';

const PROBE_SCRIPT = path.join(__dirname, 'event-probe-main.js');
/** Opening the database, creating the schema and connecting to the broker. */
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const KILL_TIMEOUT_MS = 10_000;
const WAIT_POLL_MS = 20;
const OUTPUT_TAIL_BYTES_MAX = 6_000;
/** Dead letters read back for inspection at most. */
const DEAD_LETTERS_READ_MAX = 10_000;

export type ProbeRole = 'producer' | 'consumer';

/** The last counters a probe printed (each status line is a full snapshot; fault lines add fields). */
export interface ProbeStatus {
  pid?: number;
  role?: ProbeRole;
  ready?: boolean;
  final?: boolean;
  /** CPU time used by the process, in its final status. */
  cpuMs?: number;
  // producer
  inserted?: number;
  insertedHere?: number;
  done?: boolean;
  published?: number;
  insertStartedAtMs?: number;
  insertFinishedAtMs?: number;
  fault?: string;
  confirmedUnmarked?: number;
  /** Business transactions rolled back as deadlock victims and tried again. */
  deadlocksRetried?: number;
  // consumer
  consumed?: number;
  duplicates?: number;
  inFlight?: number;
  hanging?: number;
  firstHandledAtMs?: number;
  lastHandledAtMs?: number;
  latency?: { count: number; p50Ms: number; p99Ms: number; maxMs: number };
}

/** Every probe this process started, so a crashed test does not leave them running. */
const liveProbes = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveProbes) child.kill('SIGKILL');
});

/** One probe process: its latest status, and bounded waits on it. */
export class ProbeProcess {
  status: ProbeStatus = {};
  private stdoutTail = '';
  private stderrTail = '';
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(
    readonly role: ProbeRole,
    private readonly child: ChildProcess,
  ) {
    liveProbes.add(child);
    this.exit = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        liveProbes.delete(child);
        resolve({ code, signal });
      }),
    );
    readline.createInterface({ input: child.stdout! }).on('line', (line) => this.onLine(line));
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-OUTPUT_TAIL_BYTES_MAX);
    });
  }

  /**
   * Spawns `node event-probe-main.js` with exactly `env` (plus PATH and PROBE_MODE) and waits until it is
   * ready; `nodeArgs` are node's own options (--cpu-prof, which NODE_OPTIONS may not carry).
   */
  static async start(role: ProbeRole, env: Record<string, string>, nodeArgs: string[] = []): Promise<ProbeProcess> {
    const child = spawn(process.execPath, [...nodeArgs, PROBE_SCRIPT], {
      cwd: REPOSITORY_ROOT,
      env: { PATH: process.env.PATH ?? '', ...env, PROBE_MODE: role },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const probe = new ProbeProcess(role, child);
    await probe.waitFor((status) => status.ready === true, `${role} ready`, READY_TIMEOUT_MS);
    return probe;
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The end of its stderr (errors), then of its stdout (the platform's logs), for failure messages. */
  get output(): string {
    return `--- ${this.role} ${this.child.pid} stderr:\n${this.stderrTail}\n--- ${this.role} ${this.child.pid} stdout:\n${this.stdoutTail}`;
  }

  /** Polls the latest status until `predicate` holds; fails with the probe's output on timeout or exit. */
  async waitFor(predicate: (status: ProbeStatus) => boolean, what: string, timeoutMs: number): Promise<ProbeStatus> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (predicate(this.status)) return this.status;
      if (!this.running)
        throw new Error(
          `${this.role} exited (${this.child.exitCode ?? this.child.signalCode}) before ${what}:\n${this.output}`,
        );
      await sleep(WAIT_POLL_MS);
    }
    throw new Error(
      `${this.role}: no ${what} after ${timeoutMs} ms; last status ${JSON.stringify(this.status)}:\n${this.output}`,
    );
  }

  /** Waits for the process to end on its own (e.g. a fault hook SIGKILLed it). */
  async waitForExit(timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const ended = await withinMs(this.exit, timeoutMs);
    if (ended === undefined) throw new Error(`${this.role} still running after ${timeoutMs} ms:\n${this.output}`);
    return ended;
  }

  /** SIGKILL: no handler runs, open transactions are cut, unacked deliveries go back to the queue. */
  async kill9(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.waitForExit(KILL_TIMEOUT_MS);
  }

  /** SIGTERM, a graceful stop; returns the final status. */
  async stop(): Promise<ProbeStatus> {
    if (!this.running) return this.status;
    this.child.kill('SIGTERM');
    const ended = await withinMs(this.exit, STOP_TIMEOUT_MS);
    if (ended === undefined) {
      await this.kill9();
      throw new Error(`${this.role} did not stop within ${STOP_TIMEOUT_MS} ms of SIGTERM:\n${this.output}`);
    }
    return this.status;
  }

  private onLine(line: string): void {
    if (line.startsWith('{"probe":"status"')) {
      try {
        this.status = { ...this.status, ...(JSON.parse(line) as ProbeStatus) };
        return;
      } catch {
        // Not one of ours after all: keep it as output.
      }
    }
    this.stdoutTail = (this.stdoutTail + `${line}\n`).slice(-OUTPUT_TAIL_BYTES_MAX);
  }
}

/** What the probe databases hold after (or during) a run. */
export interface ProbeLedger {
  emissions: number;
  poisonEmissions: number;
  outbox: { total: number; pending: number; sent: number; dead: number };
  effects: number;
  distinctEffectSequences: number;
  /** Non-poison emissions without an effect: lost events (the first few, for the message). */
  missingSequences: number[];
  missingCount: number;
  /** Effects of events that were never emitted, or of poison events: both impossible. */
  unexpectedEffects: number;
  inbox: number;
  /** Pairs of one aggregate's effects committed out of sequence order. */
  orderViolations: number;
}

/** Reads the probe databases of one run (`<prefix>_probe_producer`, `<prefix>_probe_consumer`). */
export async function readProbeLedger(databaseUrl: string, prefix: string): Promise<ProbeLedger> {
  const producer = `\`${prefix}_${PROBE_PRODUCER}\``;
  const consumer = `\`${prefix}_${PROBE_CONSUMER}\``;
  const connection = await mysql.createConnection(databaseUrl.replace(/^mariadb:/, 'mysql:'));
  try {
    const query = async <T>(sql: string) => (await connection.query(sql))[0] as T[];
    const emissions = await query<{ sequence: number; poison: number }>(
      `select sequence, poison from ${producer}.probe_emissions`,
    );
    const [outbox] = await query<{ total: number; pending: string | null; sent: string | null; dead: string | null }>(
      `select count(*) as total, sum(status = 'PENDING') as pending, sum(status = 'SENT') as sent, sum(status = 'DEAD') as dead from ${producer}.outbox`,
    );
    const effects = await query<{ sequence: number; aggregate_id: string }>(
      `select sequence, aggregate_id from ${consumer}.probe_effects order by id`,
    );
    const [inbox] = await query<{ count: number }>(`select count(*) as count from ${consumer}.inbox`);
    const expected = new Set(emissions.filter((row) => !row.poison).map((row) => row.sequence));
    const handled = new Set(effects.map((row) => row.sequence));
    const missing = [...expected].filter((sequence) => !handled.has(sequence)).sort((a, b) => a - b);
    return {
      emissions: emissions.length,
      poisonEmissions: emissions.filter((row) => row.poison).length,
      outbox: {
        total: Number(outbox.total),
        pending: Number(outbox.pending ?? 0),
        sent: Number(outbox.sent ?? 0),
        dead: Number(outbox.dead ?? 0),
      },
      effects: effects.length,
      distinctEffectSequences: handled.size,
      missingSequences: missing.slice(0, 20),
      missingCount: missing.length,
      unexpectedEffects: [...handled].filter((sequence) => !expected.has(sequence)).length,
      inbox: Number(inbox.count),
      orderViolations: countOrderViolations(effects),
    };
  } finally {
    await connection.end();
  }
}

function countOrderViolations(effectsInCommitOrder: { sequence: number; aggregate_id: string }[]): number {
  const lastByAggregate = new Map<string, number>();
  let violations = 0;
  for (const effect of effectsInCommitOrder) {
    const last = lastByAggregate.get(effect.aggregate_id);
    if (last !== undefined && effect.sequence < last) violations += 1;
    lastByAggregate.set(effect.aggregate_id, Math.max(last ?? -1, effect.sequence));
  }
  return violations;
}

/** The consumer queue and its dead-letter queue as the broker reports them. */
export interface ProbeQueues {
  ready: number;
  consumers: number;
  deadLetters: number;
}

export async function readProbeQueues(amqpUrl: string, namespace: string): Promise<ProbeQueues> {
  const names = brokerNames(namespace);
  const connection = await amqp.connect(amqpUrl);
  try {
    const channel = await connection.createChannel();
    const main = await channel.checkQueue(names.consumerQueue(PROBE_CONSUMER));
    const dead = await channel.checkQueue(names.deadLetterQueue(PROBE_CONSUMER));
    return { ready: main.messageCount, consumers: main.consumerCount, deadLetters: dead.messageCount };
  } finally {
    await connection.close();
  }
}

/** The sequence numbers in the dead-letter queue; the messages stay there (unacked, then returned). */
export async function readDeadLetterSequences(amqpUrl: string, namespace: string): Promise<number[]> {
  const queue = brokerNames(namespace).deadLetterQueue(PROBE_CONSUMER);
  const connection = await amqp.connect(amqpUrl);
  try {
    const channel = await connection.createChannel();
    const sequences: number[] = [];
    for (let read = 0; read < DEAD_LETTERS_READ_MAX; read += 1) {
      const message = await channel.get(queue, { noAck: false });
      if (message === false) break;
      sequences.push(Number(JSON.parse(message.content.toString('utf8')).payload.sequence));
    }
    // Closing the channel without acking returns every message read to the queue.
    await channel.close();
    return sequences.sort((a, b) => a - b);
  } finally {
    await connection.close();
  }
}

/** Deletes the probe's queues and exchanges of `namespace` (the shared broker keeps nothing of a run). */
export async function deleteProbeTopology(amqpUrl: string, namespace: string): Promise<void> {
  const names = brokerNames(namespace);
  const connection = await amqp.connect(amqpUrl);
  try {
    const channel = await connection.createChannel();
    await channel.deleteQueue(names.consumerQueue(PROBE_CONSUMER));
    await channel.deleteQueue(names.deadLetterQueue(PROBE_CONSUMER));
    await channel.deleteExchange(names.eventsExchange);
    await channel.deleteExchange(names.deadLetterExchange);
  } finally {
    await connection.close();
  }
}
