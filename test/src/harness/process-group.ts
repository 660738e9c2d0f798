// A server the harness runs itself (a RabbitMQ or MariaDB node, HAProxy) as a detached child leading its own
// process group: a signal reaches the whole group (a script and what it exec'd or forked, such as Galera's
// rsync daemon), the last output is kept for error messages, and a crash of the test still takes every
// group down. Everything is async: a synchronous call would freeze the event loop of the test, and the
// clients in it would never see the fault.
import { spawn, type ChildProcess } from 'node:child_process';
import { withinMs } from './timing';

/** Output kept for error messages. */
const OUTPUT_TAIL_BYTES_MAX = 8_000;
/** How long a group may take to exit after SIGKILL. */
const EXIT_AFTER_KILL_TIMEOUT_MS = 10_000;

/** Every group started and not yet exited, so the exit handler can take them down. */
const liveGroups = new Set<ProcessGroup>();
process.once('exit', () => {
  for (const group of liveGroups) group.signal('SIGKILL');
});

export class ProcessGroup {
  private outputTail = '';
  readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.outputTail = (this.outputTail + chunk.toString()).slice(-OUTPUT_TAIL_BYTES_MAX);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    liveGroups.add(this);
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        liveGroups.delete(this);
        resolve();
      }),
    );
  }

  static spawn(
    name: string,
    command: string,
    args: readonly string[],
    options: { env: Record<string, string>; cwd: string },
  ): ProcessGroup {
    const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    return new ProcessGroup(name, child);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** How it ended (exit code or signal), for error messages. */
  get ending(): string {
    return String(this.child.exitCode ?? this.child.signalCode ?? 'running');
  }

  get output(): string {
    return this.outputTail;
  }

  signal(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined || !this.running) return;
    try {
      // Negative pid: the whole group the detached child leads.
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  }

  /** Sends `signal` to the group and waits for the leader to exit; SIGKILL must end it within a bound. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    this.signal(signal);
    if (
      (await withinMs(
        this.exited.then(() => true),
        EXIT_AFTER_KILL_TIMEOUT_MS,
      )) !== true
    )
      throw new Error(`${this.name} did not exit within ${EXIT_AFTER_KILL_TIMEOUT_MS} ms of ${signal}`);
  }

  /** SIGTERM, then SIGKILL when it has not exited within `graceMs`. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    if (
      (await withinMs(
        this.exited.then(() => true),
        graceMs,
      )) !== true
    )
      await this.kill('SIGKILL');
  }
}
