// A private MariaDB Galera cluster for the scale-out suite, beside (never instead of) the shared MariaDB:
// Debian's mariadbd with the galera-4 provider, every node its own data directory, socket and loopback
// ports (client, group communication, IST, SST) under one temporary directory. The first node bootstraps
// the cluster; the others join it one after another by state transfer (rsync SST: two joiners at once would
// wait for the one donor). A node SIGKILLed and started again recovers its position first (`--wsrep-recover`,
// as Debian's galera_recovery does) so that it can catch up by IST from a donor's gcache.
//
// Run as root, the nodes run as the `mysql` user: the rsync daemon of an SST drops root to `nobody`, who
// could not write a joiner's files. Clients connect over TCP as `wanxin`, created on the first node and
// replicated like any DDL.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freePort } from '@wanxin/platform/testing';
import { ProcessGroup } from './process-group';
import { sleep } from './timing';

const execFileAsync = promisify(execFile);

const MARIADBD = '/usr/sbin/mariadbd';
const GALERA_PROVIDER = '/usr/lib/galera/libgalera_smm.so';
/** A joiner's SST on a loaded two-core machine has been seen to take 90 s. */
const SYNC_TIMEOUT_MS = 180_000;
const SYNC_POLL_MS = 250;
/** A clean shutdown flushes InnoDB; past this the node is SIGKILLed. */
const STOP_GRACE_MS = 20_000;
const CLUSTER_USER = { user: 'wanxin', password: 'wanxin' };

export function galeraInstalled(): boolean {
  return fs.existsSync(MARIADBD) && fs.existsSync(GALERA_PROVIDER);
}

interface NodePorts {
  client: number;
  group: number;
  ist: number;
  sst: number;
}

/** How a node got back in: its time from start to SYNCED, and whether it needed a whole copy (SST). */
export interface Rejoin {
  ms: number;
  transfer: 'IST' | 'SST';
}

class GaleraNode {
  process: ProcessGroup | undefined;

  constructor(
    readonly name: string,
    readonly directory: string,
    readonly ports: NodePorts,
  ) {}

  get socket(): string {
    return path.join(this.directory, 'mysqld.sock');
  }

  get defaultsFile(): string {
    return path.join(this.directory, 'my.cnf');
  }

  get errorLog(): string {
    return path.join(this.directory, 'error.log');
  }

  /** Root over the node's own socket: works while the node is up, whatever the cluster's state. */
  async rootQuery<T>(sql: string): Promise<T[]> {
    const connection = await mysql.createConnection({ socketPath: this.socket, user: 'root' });
    try {
      const [rows] = await connection.query(sql);
      return rows as T[];
    } finally {
      await connection.end();
    }
  }

  async wsrepStatus(variable: string): Promise<string | undefined> {
    const rows = await this.rootQuery<{ Value: string }>(`show status like '${variable}'`).catch(() => []);
    return rows[0]?.Value;
  }
}

export class GaleraCluster {
  private constructor(
    private readonly directory: string,
    readonly nodes: readonly GaleraNode[],
    private readonly runAs: string | undefined,
  ) {}

  /** Creates the nodes' directories, bootstraps the first and joins the others one by one. */
  static async start(size = 3): Promise<GaleraCluster> {
    if (!galeraInstalled()) throw new Error(`Galera needs ${MARIADBD} and ${GALERA_PROVIDER} (galera-4)`);
    const directory = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'wanxin-galera-'));
    const nodes: GaleraNode[] = [];
    for (let index = 0; index < size; index += 1) {
      const ports = { client: await freePort(), group: await freePort(), ist: await freePort(), sst: await freePort() };
      nodes.push(new GaleraNode(`galera${index + 1}`, path.join(directory, `node${index + 1}`), ports));
    }
    const runAs = process.getuid?.() === 0 ? 'mysql' : undefined;
    const cluster = new GaleraCluster(directory, nodes, runAs);
    try {
      await cluster.writeFiles();
      await cluster.boot(nodes[0], ['--wsrep-new-cluster']);
      const { user, password } = CLUSTER_USER;
      await nodes[0].rootQuery(`create user '${user}'@'%' identified by '${password}'`);
      await nodes[0].rootQuery(`grant all on *.* to '${user}'@'%'`);
      for (const node of nodes.slice(1)) await cluster.boot(node, []);
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** A client URL of node `index` (as DATABASE_URL takes it). */
  url(index: number): string {
    return `mariadb://${CLUSTER_USER.user}:${CLUSTER_USER.password}@127.0.0.1:${this.nodes[index].ports.client}`;
  }

  /** The cluster's size as node `index` sees it (undefined when it does not answer). */
  async sizeSeenBy(index: number): Promise<number | undefined> {
    const size = await this.nodes[index].wsrepStatus('wsrep_cluster_size');
    return size === undefined ? undefined : Number(size);
  }

  /** SIGKILLs node `index` (its server and any state transfer it runs). */
  async kill9(index: number): Promise<void> {
    await this.nodes[index].process?.kill('SIGKILL');
  }

  /** Starts node `index` again after `kill9`: recovers its position, joins, and waits until it is SYNCED. */
  async rejoin(index: number): Promise<Rejoin> {
    const node = this.nodes[index];
    if (node.process?.running) throw new Error(`${node.name} is still running`);
    const startedAt = Date.now();
    const position = await this.recoveredPosition(node);
    const logBefore = (await fs.promises.stat(node.errorLog)).size;
    await this.boot(node, position === undefined ? [] : [`--wsrep-start-position=${position}`]);
    const log = (await fs.promises.readFile(node.errorLog)).subarray(logBefore).toString();
    return { ms: Date.now() - startedAt, transfer: /IST received/.test(log) ? 'IST' : 'SST' };
  }

  /** Stops every node (SIGTERM, then SIGKILL after a bound) and removes the directory. Safe to call twice. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.process?.stop(STOP_GRACE_MS)));
    await fs.promises.rm(this.directory, { recursive: true, force: true });
  }

  private async writeFiles(): Promise<void> {
    const peers = this.nodes.map((node) => `127.0.0.1:${node.ports.group}`).join(',');
    for (const node of this.nodes) {
      await fs.promises.mkdir(path.join(node.directory, 'data'), { recursive: true });
      const { client, group, ist, sst } = node.ports;
      const lines = [
        '[mariadbd]',
        `datadir=${path.join(node.directory, 'data')}`,
        `socket=${node.socket}`,
        `port=${client}`,
        'bind-address=127.0.0.1',
        `pid-file=${path.join(node.directory, 'mysqld.pid')}`,
        `log-error=${node.errorLog}`,
        'binlog_format=ROW',
        'default_storage_engine=InnoDB',
        'innodb_autoinc_lock_mode=2',
        'innodb_buffer_pool_size=64M',
        'max_connections=500',
        'wsrep_on=ON',
        `wsrep_provider=${GALERA_PROVIDER}`,
        'wsrep_cluster_name=wanxin-scale-out',
        `wsrep_cluster_address=gcomm://${peers}`,
        `wsrep_node_name=${node.name}`,
        `wsrep_node_address=127.0.0.1:${group}`,
        `wsrep_provider_options="base_port=${group};gmcast.listen_addr=tcp://127.0.0.1:${group};` +
          `ist.recv_addr=127.0.0.1:${ist};gcache.size=128M"`,
        'wsrep_sst_method=rsync',
        `wsrep_sst_receive_address=127.0.0.1:${sst}`,
      ];
      await fs.promises.writeFile(node.defaultsFile, lines.join('\n') + '\n');
    }
    if (this.runAs !== undefined) await execFileAsync('chown', ['-R', `${this.runAs}:${this.runAs}`, this.directory]);
    await execFileAsync('mariadb-install-db', [
      '--no-defaults',
      `--datadir=${path.join(this.nodes[0].directory, 'data')}`,
      `--user=${this.runAs ?? os.userInfo().username}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
    ]);
  }

  private serverArgs(node: GaleraNode): string[] {
    return [`--defaults-file=${node.defaultsFile}`, ...(this.runAs === undefined ? [] : [`--user=${this.runAs}`])];
  }

  /** The position InnoDB holds after a crash, as `uuid:seqno`; undefined when it has none to offer. */
  private async recoveredPosition(node: GaleraNode): Promise<string | undefined> {
    const log = path.join(node.directory, 'recover.log');
    await execFileAsync(MARIADBD, [...this.serverArgs(node), '--wsrep-recover', `--log-error=${log}`], {
      timeout: SYNC_TIMEOUT_MS,
    });
    const found = /Recovered position: (\S+:-?\d+)/.exec(await fs.promises.readFile(log, 'utf8'));
    return found === null || found[1].endsWith(':-1') ? undefined : found[1];
  }

  private async boot(node: GaleraNode, extraArgs: readonly string[]): Promise<void> {
    node.process = ProcessGroup.spawn(node.name, MARIADBD, [...this.serverArgs(node), ...extraArgs], {
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C.UTF-8' },
      cwd: node.directory,
    });
    const deadline = Date.now() + SYNC_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (!node.process.running) throw new Error(`${node.name} exited (${node.process.ending}):\n${await tail(node)}`);
      if ((await node.wsrepStatus('wsrep_local_state_comment')) === 'Synced') return;
      await sleep(SYNC_POLL_MS);
    }
    throw new Error(`${node.name} not SYNCED after ${SYNC_TIMEOUT_MS} ms:\n${await tail(node)}`);
  }
}

async function tail(node: GaleraNode): Promise<string> {
  const log = await fs.promises.readFile(node.errorLog, 'utf8').catch(() => node.process?.output ?? '');
  return log.slice(-4_000);
}
