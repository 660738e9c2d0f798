import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export const REPOSITORY_ROOT = path.resolve(__dirname, '../../..');
/** How long a service may take to answer /readyz after it was spawned. */
const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 100;
/** Output kept per process for the failure message. */
const OUTPUT_TAIL_BYTES_MAX = 8_000;

/** One service running as its own OS process, as in production. */
export class ServiceProcess {
  private outputTail = '';
  private readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.outputTail = (this.outputTail + chunk.toString()).slice(-OUTPUT_TAIL_BYTES_MAX);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /** The OS process id, e.g. to read its CPU time from /proc. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/graphql`;
  }

  get output(): string {
    return this.outputTail;
  }

  async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null)
        throw new Error(`${this.name} exited with ${this.child.exitCode}:\n${this.outputTail}`);
      const ready = await fetch(`http://127.0.0.1:${this.port}/readyz`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
    }
    throw new Error(`${this.name} not ready after ${READY_TIMEOUT_MS} ms:\n${this.outputTail}`);
  }

  /** SIGTERM (or SIGKILL), then the exit code: a graceful stop exits 0. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

export function spawnService(
  name: string,
  script: string,
  port: number,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): ServiceProcess {
  const child = spawn(process.execPath, [...nodeArgs, path.join(REPOSITORY_ROOT, script)], {
    cwd: REPOSITORY_ROOT,
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new ServiceProcess(name, port, child);
}
