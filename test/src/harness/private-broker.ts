// A private RabbitMQ node for fault tests, beside (never instead of) the shared broker: its own HOME
// (so its own Erlang cookie), node name, AMQP and distribution ports, data and logs, all under one
// temporary directory. The node runs in the foreground as a ProcessGroup we own, so a test can stop its
// application, close its connections, SIGKILL it and start it again, and `stop()` leaves no beam process
// and no directory behind. The shared epmd is never touched.
//
// It runs Debian's scripts under /usr/lib/rabbitmq/bin directly: the /usr/sbin wrappers re-execute
// themselves as the `rabbitmq` user through `su`, which resets HOME to /var/lib/rabbitmq (the shared
// node's cookie) and overwrites the shared node's startup log. Run directly, the node and the CLI run
// as the caller (root or not) with our HOME, and every file they write is under our directory.
// Everything goes through async `spawn`/`execFile`: a synchronous call would freeze the event loop of
// the test, and the AMQP clients in it would never see the fault.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '@wanxin/platform/testing';
import { ProcessGroup } from './process-group';
import { sleep } from './timing';

const execFileAsync = promisify(execFile);

/** Where Debian's rabbitmq-server package puts the unwrapped scripts. */
const RABBITMQ_SCRIPTS_DIRECTORY = '/usr/lib/rabbitmq/bin';
/** Seen here: about 3 s without plugins; quorum queues and a loaded machine can make it 12 s. */
const BOOT_TIMEOUT_MS = 60_000;
const BOOT_POLL_MS = 300;
/** One rabbitmqctl call; `await_startup` is given less than this. */
const CTL_TIMEOUT_MS = 30_000;
/** How long the node may take to exit after SIGTERM before it is SIGKILLed. */
const STOP_TIMEOUT_MS = 15_000;
/** rabbitmqctl's own distribution ports (RABBITMQ_CTL_DIST_PORT_MIN..MAX defaults): never the node's. */
const CTL_DIST_PORTS = { min: 35_672, max: 35_682 };
const PORT_PICK_ATTEMPTS_MAX = 20;

export function rabbitmqServerInstalled(): boolean {
  return fs.existsSync(path.join(RABBITMQ_SCRIPTS_DIRECTORY, 'rabbitmq-server'));
}

async function nodeDistributionPort(): Promise<number> {
  for (let attempt = 0; attempt < PORT_PICK_ATTEMPTS_MAX; attempt += 1) {
    const port = await freePort();
    if (port < CTL_DIST_PORTS.min || port > CTL_DIST_PORTS.max) return port;
  }
  throw new Error(
    `no free distribution port outside ${CTL_DIST_PORTS.min}-${CTL_DIST_PORTS.max} after ${PORT_PICK_ATTEMPTS_MAX} tries`,
  );
}

/**
 * Every private node's directory not yet removed, so a crash of the test still removes them (ProcessGroup's
 * own exit handler, registered first, has SIGKILLed the nodes by then). Synchronous by necessity.
 */
const liveDirectories = new Set<string>();
process.once('exit', () => {
  for (const directory of liveDirectories) fs.rmSync(directory, { recursive: true, force: true });
});

export class PrivateBroker {
  private group: ProcessGroup | undefined;

  private constructor(
    readonly nodeName: string,
    readonly amqpPort: number,
    private readonly directory: string,
    private readonly env: Record<string, string>,
  ) {}

  /**
   * Creates the node's directory and files, boots it and waits until it accepts work. Nodes that are to form a
   * cluster share an Erlang `cookie`; by default each node has its own.
   */
  static async start(options: { cookie?: string } = {}): Promise<PrivateBroker> {
    if (!rabbitmqServerInstalled())
      throw new Error(`rabbitmq-server is not installed (no ${RABBITMQ_SCRIPTS_DIRECTORY}/rabbitmq-server)`);
    const directory = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'wanxin-broker-'));
    const amqpPort = await freePort();
    const distributionPort = await nodeDistributionPort();
    const nodeName = `faults-${randomBytes(4).toString('hex')}@localhost`;
    const home = path.join(directory, 'home');
    await fs.promises.mkdir(home);
    // Written before the node or the CLI starts, so neither races to create a different one.
    const cookie = options.cookie ?? randomBytes(16).toString('hex').toUpperCase();
    await fs.promises.writeFile(path.join(home, '.erlang.cookie'), cookie, {
      mode: 0o400,
    });
    await fs.promises.writeFile(path.join(directory, 'enabled_plugins'), '[].\n');
    await fs.promises.writeFile(
      path.join(directory, 'rabbitmq.conf'),
      `listeners.tcp.default = 127.0.0.1:${amqpPort}\nloopback_users = none\n`,
    );
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LC_ALL: 'C.UTF-8',
      HOME: home,
      RABBITMQ_NODENAME: nodeName,
      RABBITMQ_NODE_PORT: String(amqpPort),
      RABBITMQ_DIST_PORT: String(distributionPort),
      RABBITMQ_MNESIA_BASE: path.join(directory, 'mnesia'),
      RABBITMQ_LOG_BASE: path.join(directory, 'log'),
      RABBITMQ_ENABLED_PLUGINS_FILE: path.join(directory, 'enabled_plugins'),
      RABBITMQ_CONFIG_FILE: path.join(directory, 'rabbitmq.conf'),
      RABBITMQ_CONF_ENV_FILE: '/dev/null',
    };
    const broker = new PrivateBroker(nodeName, amqpPort, directory, env);
    liveDirectories.add(directory);
    try {
      await broker.boot();
    } catch (error) {
      await broker.stop();
      throw error;
    }
    return broker;
  }

  /** `guest` may connect from 127.0.0.1 because the config sets `loopback_users = none`. */
  get url(): string {
    return `amqp://guest:guest@127.0.0.1:${this.amqpPort}`;
  }

  get output(): string {
    return this.group?.output ?? '';
  }

  /** Runs `rabbitmqctl -n <node> …` asynchronously with the node's HOME (and so its cookie). */
  async ctl(args: readonly string[], timeoutMs = CTL_TIMEOUT_MS): Promise<string> {
    const { stdout } = await execFileAsync(
      path.join(RABBITMQ_SCRIPTS_DIRECTORY, 'rabbitmqctl'),
      ['-n', this.nodeName, ...args],
      {
        env: this.env,
        timeout: timeoutMs,
        maxBuffer: 4 * 1024 * 1024,
      },
    );
    return stdout;
  }

  /** Stops the RabbitMQ application (every connection drops, the port closes); the Erlang node stays. */
  async stopApp(): Promise<void> {
    await this.ctl(['stop_app']);
  }

  async startApp(): Promise<void> {
    await this.ctl(['start_app']);
    await this.ctl(['await_startup', '--timeout', String(CTL_TIMEOUT_MS / 1000 - 5)]);
  }

  /** Joins `seed`'s cluster (both started with one cookie): the node's application stops, joins, starts again. */
  async joinCluster(seed: PrivateBroker): Promise<void> {
    await this.stopApp();
    await this.ctl(['join_cluster', seed.nodeName]);
    await this.startApp();
  }

  /** The client connections open now, by name (`<client address:port> -> <node address:port>`, unique). */
  async connectionNames(): Promise<string[]> {
    const listing = await this.ctl(['list_connections', '--quiet', '--no-table-headers', 'name']);
    return listing
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '');
  }

  /** Closes every client connection on the node, as an operator or a network partition would. */
  async closeAllConnections(reason: string): Promise<void> {
    await this.ctl(['close_all_connections', '--global', reason]);
  }

  /** SIGKILLs the whole node: no shutdown, nothing written beyond what was already fsynced. */
  async kill9(): Promise<void> {
    await this.group?.kill('SIGKILL');
  }

  /** Boots the node again on the same data, name and ports after `kill9()`. */
  async restart(): Promise<void> {
    if (this.group?.running) throw new Error(`${this.nodeName} is still running`);
    await this.boot();
  }

  /** SIGKILLs the whole node, waits `downMs`, boots it again. */
  async kill9AndRestart(downMs: number): Promise<void> {
    await this.kill9();
    await sleep(downMs);
    await this.restart();
  }

  /** Stops the node (SIGTERM, then SIGKILL after a bound) and removes its directory. Safe to call twice. */
  async stop(): Promise<void> {
    await this.group?.stop(STOP_TIMEOUT_MS);
    liveDirectories.delete(this.directory);
    await fs.promises.rm(this.directory, { recursive: true, force: true });
  }

  private async boot(): Promise<void> {
    this.group = ProcessGroup.spawn(this.nodeName, path.join(RABBITMQ_SCRIPTS_DIRECTORY, 'rabbitmq-server'), [], {
      env: this.env,
      cwd: this.directory,
    });
    await this.awaitStartup(this.group);
  }

  /** `await_startup` fails at once while the node is not yet registered with epmd, so it is retried. */
  private async awaitStartup(group: ProcessGroup): Promise<void> {
    const deadline = Date.now() + BOOT_TIMEOUT_MS;
    let lastError: unknown;
    while (Date.now() < deadline) {
      if (!group.running)
        throw new Error(
          `private RabbitMQ node ${this.nodeName} exited while booting (${group.ending}):\n${group.output}`,
        );
      try {
        await this.ctl(['await_startup', '--timeout', '20']);
        return;
      } catch (error) {
        lastError = error;
      }
      await sleep(BOOT_POLL_MS);
    }
    throw new Error(
      `private RabbitMQ node ${this.nodeName} not up after ${BOOT_TIMEOUT_MS} ms: ${String(lastError)}\n${group.output}`,
    );
  }
}
