// A private HAProxy (Debian's haproxy, in the foreground, its own config and ports) in front of service
// replicas, as the scale-out suite runs them: one HTTP frontend per service, balancing its replicas and
// sending requests only to those whose /readyz answers. A request that could not reach a replica (connection
// refused: it was killed) is sent to another — the only retry that is safe for a mutation.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '@wanxin/platform/testing';
import { ProcessGroup } from './process-group';
import { sleep } from './timing';

const HAPROXY = '/usr/sbin/haproxy';
/** A replica is taken out after two failed checks half a second apart, and back after one good one. */
const CHECK_INTERVAL_MS = 500;
const READY_TIMEOUT_MS = 30_000;
const READY_POLL_MS = 100;
const STOP_GRACE_MS = 5_000;

export function haproxyInstalled(): boolean {
  return fs.existsSync(HAPROXY);
}

/** A frontend: its name and the replicas' ports behind it. */
export interface ProxiedService {
  name: string;
  replicaPorts: readonly number[];
}

export class HaProxy {
  private constructor(
    private readonly directory: string,
    private readonly process: ProcessGroup,
    /** The frontend's port, by service name. */
    readonly ports: ReadonlyMap<string, number>,
  ) {}

  static async start(services: readonly ProxiedService[]): Promise<HaProxy> {
    if (!haproxyInstalled()) throw new Error(`HAProxy is not installed (no ${HAPROXY})`);
    const directory = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'wanxin-haproxy-'));
    const ports = new Map<string, number>();
    for (const service of services) ports.set(service.name, await freePort());
    const lines = [
      'global',
      '  maxconn 4000',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 120s',
      '  timeout server 120s',
      // Subscriptions are WebSockets: once upgraded, a tunnel lives as long as the subscription.
      '  timeout tunnel 1h',
      '  option redispatch',
      '  retries 2',
      ...services.flatMap(({ name, replicaPorts }) => [
        `frontend ${name}`,
        `  bind 127.0.0.1:${ports.get(name)}`,
        `  default_backend ${name}`,
        `backend ${name}`,
        '  balance roundrobin',
        '  option httpchk GET /readyz',
        `  default-server inter ${CHECK_INTERVAL_MS} fall 2 rise 1`,
        ...replicaPorts.map((port, index) => `  server ${name}${index + 1} 127.0.0.1:${port} check`),
      ]),
    ];
    const config = path.join(directory, 'haproxy.cfg');
    await fs.promises.writeFile(config, lines.join('\n') + '\n');
    const group = ProcessGroup.spawn('haproxy', HAPROXY, ['-db', '-f', config], {
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin' },
      cwd: directory,
    });
    const proxy = new HaProxy(directory, group, ports);
    try {
      await proxy.waitUntilListening();
    } catch (error) {
      await proxy.stop();
      throw error;
    }
    return proxy;
  }

  /** The frontend's base URL of a service (`http://127.0.0.1:<port>`). */
  origin(name: string): string {
    const port = this.ports.get(name);
    if (port === undefined) throw new Error(`no frontend for ${name}`);
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await this.process.stop(STOP_GRACE_MS);
    await fs.promises.rm(this.directory, { recursive: true, force: true });
  }

  /** Every frontend accepts connections (what is behind may not be up yet). */
  private async waitUntilListening(): Promise<void> {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    for (const name of this.ports.keys()) {
      for (;;) {
        if (!this.process.running) throw new Error(`haproxy exited (${this.process.ending}):\n${this.process.output}`);
        const listening = await fetch(`${this.origin(name)}/readyz`).then(
          () => true,
          () => false,
        );
        if (listening) break;
        if (Date.now() > deadline) throw new Error(`haproxy not listening after ${READY_TIMEOUT_MS} ms`);
        await sleep(READY_POLL_MS);
      }
    }
  }
}
