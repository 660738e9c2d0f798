import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { SupergraphManager, SupergraphSdlUpdateFunction } from '@apollo/gateway';
import { assert, type Logger } from '@wanxin/platform';

/** How the gateway follows its supergraph file. */
export interface SupergraphFileOptions {
  path: string;
  /** How often the file is read even when no change was heard (fs.watch misses some, e.g. on network mounts). */
  pollIntervalMs: number;
  /** How long the file must stay quiet after a change before it is read: a writer is usually done by then. */
  debounceMs: number;
  /** A larger file is refused unread. */
  bytesMax: number;
  logger: Logger;
  /** Told of every new content the gateway took or refused (for `/metrics` and tests). */
  onOutcome?: (outcome: SupergraphOutcome) => void;
}

export type SupergraphOutcome = 'applied' | 'refused';

function digestOf(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Serves the supergraph from a file and follows it, so a subgraph deploy needs no gateway restart: the
 * file's directory is watched (a rename over the file and Kubernetes' ConfigMap symlink swap are seen, which
 * a watch on the file itself misses) and the file read on a bounded poll as well. A new content goes to
 * Apollo's update callback, which builds the new schema before it swaps it in; a file it cannot take
 * (half-written, invalid, too large) leaves the served supergraph as it is and is logged once.
 */
export class SupergraphFile implements SupergraphManager {
  private appliedDigest = '';
  private refusedDigest = '';
  private update: SupergraphSdlUpdateFunction | undefined;
  private watcher: fs.FSWatcher | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private debounceTimer: NodeJS.Timeout | undefined;
  /** One read at a time; a change heard during a read asks for one more, never a queue. */
  private reading = false;
  private readAgain = false;
  private stopped = false;
  /** The file as it was at start (a missing or oversized file fails the start): what subscriptions plan against. */
  readonly startSdl: string;

  constructor(private readonly options: SupergraphFileOptions) {
    assert(options.pollIntervalMs > 0, 'the supergraph poll interval is positive');
    assert(options.bytesMax > 0, 'the supergraph size bound is positive');
    this.startSdl = this.readBounded();
  }

  /** Apollo's hook: the supergraph read at start, then the follow-up. */
  async initialize({ update }: { update: SupergraphSdlUpdateFunction }) {
    const supergraphSdl = this.startSdl;
    this.appliedDigest = digestOf(supergraphSdl);
    this.update = update;
    this.watch();
    this.pollTimer = setInterval(() => void this.check(), this.options.pollIntervalMs);
    this.pollTimer.unref();
    return { supergraphSdl, cleanup: async () => this.stop() };
  }

  private readBounded(): string {
    const bytes = fs.statSync(this.options.path).size;
    if (bytes > this.options.bytesMax) {
      throw new Error(
        `${this.options.path} has ${bytes} bytes, more than SUPERGRAPH_BYTES_MAX ${this.options.bytesMax}`,
      );
    }
    return fs.readFileSync(this.options.path, 'utf8');
  }

  private watch(): void {
    const directory = path.dirname(this.options.path);
    try {
      this.watcher = fs.watch(directory, { persistent: false }, () => this.changed());
      this.watcher.on('error', (error) => {
        this.options.logger.warn({ err: error, directory }, 'supergraph watch failed: polling only');
        this.watcher?.close();
      });
    } catch (error) {
      this.options.logger.warn({ err: error, directory }, 'supergraph directory not watchable: polling only');
    }
  }

  /** Any change in the directory: the file is read once things have been quiet for `debounceMs`. */
  private changed(): void {
    clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => void this.check(), this.options.debounceMs);
    this.debounceTimer.unref();
  }

  private async check(): Promise<void> {
    if (this.stopped) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        await this.readAndApply();
      } while (this.readAgain && !this.stopped);
    } finally {
      this.reading = false;
    }
  }

  private async readAndApply(): Promise<void> {
    let supergraphSdl: string;
    try {
      supergraphSdl = this.readBounded();
    } catch (error) {
      // Between a delete and a create, or too large: the next change or poll looks again.
      return this.refuse(`unreadable:${String(error)}`, error);
    }
    const digest = digestOf(supergraphSdl);
    if (digest === this.appliedDigest || digest === this.refusedDigest || this.stopped) return;
    assert(this.update !== undefined, 'the supergraph file is followed only after initialize');
    try {
      // Builds the schema and query planner first: a throw leaves the gateway's state untouched.
      this.update(supergraphSdl);
    } catch (error) {
      return this.refuse(digest, error);
    }
    this.appliedDigest = digest;
    this.refusedDigest = '';
    this.options.logger.info({ path: this.options.path, digest }, 'supergraph updated without a restart');
    this.options.onOutcome?.('applied');
  }

  private refuse(digest: string, error: unknown): void {
    if (digest === this.refusedDigest) return;
    this.refusedDigest = digest;
    this.options.logger.error(
      { err: error, path: this.options.path },
      'supergraph file refused: still serving the previous supergraph',
    );
    this.options.onOutcome?.('refused');
  }

  private stop(): void {
    this.stopped = true;
    this.watcher?.close();
    clearInterval(this.pollTimer);
    clearTimeout(this.debounceTimer);
  }
}
